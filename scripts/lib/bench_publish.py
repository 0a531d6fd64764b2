"""Benchmark: `vend publish` of N synthetic products to a fresh local cloud, against a
sequential boto3 script making the same mutating calls, in the same run.

Run through scripts/bench. Measured twice on the same server:
  raw      — the local cloud as it is: moto answers in about 3 ms, but one request at a time
             (one Python process), so the server, not the client, bounds a concurrent client;
  latency  — every AWS request held LATENCY_MS first (control config latency_ms, slept outside
             every lock, so requests in flight overlap as against AWS): the AWS-like model in
             which the floor below is meaningful.
For each: wall times, mutating/read call counts, peak RSS, the boto3 script's time, and the
floor (mutating calls x median mutating-call latency / the requests AWS clients keep in
flight at once), and the CPU seconds the local cloud's process spent answering the fresh
publish (on the raw local cloud the truer bound: its requests queue for that one process).
Then the repository's own products (vend.yaml and products/ as they are),
fresh and no-op, at each latency: the issue's "no-op re-publish of the project's products
under a second".
"""
import json
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Requests one client keeps on the wire at once: botocore's max_pool_connections and vend's
# AWSClient.defaultMaxConcurrentRequests.
CONCURRENCY = 10


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def control(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/_localcloud{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def requests_log(port):
    return control(port, "GET", "/requests")["requests"]


def is_mutating(op):
    return op and not op.startswith(("Describe", "List", "Search", "Get", "Head", "Scan"))


def server_cpu_seconds(state):
    """CPU seconds (user + system) the local cloud's process has used so far. The server is one
    Python process, so the CPU it spends answering a run bounds that run on the raw local cloud
    more truly than the floor, whose median latency assumes ten requests served at once."""
    pid = (state / "pid").read_text().strip()
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_workspace(base, count):
    shutil.copy(ROOT / "vend.yaml", base / "vend.yaml")
    shutil.copytree(ROOT / "baseline", base / "baseline")
    for index in range(count):
        name = f"synthetic-{index:03d}"
        target = base / "products" / name
        shutil.copytree(ROOT / "products" / "producer-registration", target)
        text = (target / "product.yaml").read_text()
        (target / "product.yaml").write_text(text.replace("name: producer-registration", f"name: {name}", 1))


def timed_vend(vend, args, cwd, env):
    """Wall seconds and peak RSS (KiB) of one vend run, measured in a child python."""
    probe = (
        "import resource,subprocess,sys,time,json;"
        f"t=time.perf_counter();c=subprocess.call({[vend] + args!r},cwd={str(cwd)!r},env={env!r},stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "print(json.dumps([c,time.perf_counter()-t,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    code, wall, rss = json.loads(subprocess.check_output([sys.executable, "-c", probe]))
    if code != 0:
        sys.exit(f"bench: vend {' '.join(args)} exited {code}")
    return wall, rss


def boto3_publish(port, base, count):
    """The same mutating calls vend makes, one after another, as a plain boto3 script would."""
    session = boto3.session.Session(profile_name="central")
    sc, s3, ssm = session.client("servicecatalog"), session.client("s3"), session.client("ssm")
    bucket = "vend-artifacts-111111111111-us-east-1"
    pf = sc.create_portfolio(DisplayName="data-mesh", ProviderName="Data Platform Team", IdempotencyToken="bench-pf")["PortfolioDetail"]["Id"]
    tag = sc.create_tag_option(Key="classification", Value="internal")["TagOptionDetail"]["Id"]
    for index in range(count):
        name = f"synthetic-{index:03d}"
        folder = base / "products" / name
        template = (folder / "template.yaml").read_bytes()
        s3.put_object(Bucket=bucket, Key=f"bench/{name}/bundle.tar.gz", Body=b"x" * 5000)
        s3.put_object(Bucket=bucket, Key=f"bench/{name}/template.yaml", Body=template)
        out = sc.create_product(Name=name, Owner="o", ProductType="CLOUD_FORMATION_TEMPLATE", IdempotencyToken=f"bench-{name}",
                                ProvisioningArtifactParameters={"Name": "1.0.0", "Type": "CLOUD_FORMATION_TEMPLATE",
                                                                "Info": {"LoadTemplateFromURL": f"http://127.0.0.1:{port}/{bucket}/bench/{name}/template.yaml"}})
        prod, pa = out["ProductViewDetail"]["ProductViewSummary"]["ProductId"], out["ProvisioningArtifactDetail"]["Id"]
        while sc.describe_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa)["Status"] != "AVAILABLE":
            time.sleep(0.2)
        sc.associate_product_with_portfolio(ProductId=prod, PortfolioId=pf)
        sc.create_constraint(PortfolioId=pf, ProductId=prod, Type="LAUNCH", Parameters='{"LocalRoleName": "R"}', IdempotencyToken=f"bench-c-{name}")
        sc.associate_tag_option_with_resource(ResourceId=prod, TagOptionId=tag)
        doc = f"bench-{name}"
        ssm.create_document(Name=doc, Content=(folder / "actions" / "add-data-source.yaml").read_text(), DocumentType="Automation", DocumentFormat="YAML")
        ssm.modify_document_permission(Name=doc, PermissionType="Share", AccountIdsToAdd=["222222222222", "333333333333"])
        act = sc.create_service_action(Name=f"{name}-AddDataSource", DefinitionType="SSM_AUTOMATION", IdempotencyToken=f"bench-a-{name}",
                                       Definition={"Name": doc, "Version": "1", "AssumeRole": "LAUNCH_ROLE", "Parameters": "[]"})
        sc.associate_service_action_with_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                               ServiceActionId=act["ServiceActionDetail"]["ServiceActionSummary"]["Id"])
    for account in ("222222222222", "333333333333"):
        sc.create_portfolio_share(PortfolioId=pf, AccountId=account, ShareTagOptions=True)


def counts(log):
    mutating = sum(1 for r in log if is_mutating(r.get("operation")))
    return mutating, len(log) - mutating


def warm_up():
    """One call to each service publish uses: the server imports moto's module and loads the
    service's model on its first request (up to 0.8 s, once per server), which AWS does not."""
    session = boto3.session.Session(profile_name="central")
    session.client("sts").get_caller_identity()
    session.client("s3").list_buckets()
    session.client("servicecatalog").list_portfolios()
    session.client("cloudformation").describe_stacks()
    ssm = session.client("ssm")
    ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
    try:
        ssm.describe_document(Name="vend-bench-warm-up")
    except ssm.exceptions.InvalidDocument:
        pass


def scenario(vend, port, base, vend_env, count, latency_ms):
    """A fresh publish, a no-op re-publish and the boto3 script, each on a reset local cloud
    holding every request latency_ms; bootstrap and bucket creation run without it."""
    control(port, "POST", "/reset")
    control(port, "POST", "/config", {"latency_ms": 0})
    timed_vend(vend, ["bootstrap", "--quiet"], base, vend_env)
    control(port, "POST", "/config", {"latency_ms": latency_ms})
    control(port, "DELETE", "/requests")
    cpu_before = server_cpu_seconds(base / "cloud")
    fresh_wall, fresh_rss = timed_vend(vend, ["publish", "--quiet"], base, vend_env)
    fresh_server_cpu = server_cpu_seconds(base / "cloud") - cpu_before
    fresh_log = requests_log(port)
    control(port, "DELETE", "/requests")
    noop_wall, noop_rss = timed_vend(vend, ["publish", "--quiet"], base, vend_env)
    noop_log = requests_log(port)

    control(port, "POST", "/reset")
    control(port, "POST", "/config", {"latency_ms": 0})
    boto3.session.Session(profile_name="central").client("s3").create_bucket(Bucket="vend-artifacts-111111111111-us-east-1")
    control(port, "POST", "/config", {"latency_ms": latency_ms})
    control(port, "DELETE", "/requests")
    start = time.perf_counter()
    boto3_publish(port, base, count)
    boto3_wall = time.perf_counter() - start
    boto3_log = requests_log(port)
    control(port, "POST", "/config", {"latency_ms": 0})

    fresh_mut, fresh_read = counts(fresh_log)
    noop_mut, noop_read = counts(noop_log)
    boto_mut, boto_read = counts(boto3_log)
    median_ms = statistics.median(r["duration_ms"] for r in fresh_log if is_mutating(r.get("operation")))
    floor = fresh_mut * median_ms / 1000 / CONCURRENCY
    return {
        "added_latency_ms": latency_ms,
        "vend_fresh_publish_seconds": round(fresh_wall, 3),
        "vend_fresh_mutating_calls": fresh_mut,
        "vend_fresh_read_calls": fresh_read,
        "vend_fresh_peak_rss_mib": round(fresh_rss / 1024, 1),
        "vend_noop_publish_seconds": round(noop_wall, 3),
        "vend_noop_mutating_calls": noop_mut,
        "vend_noop_read_calls": noop_read,
        "vend_noop_peak_rss_mib": round(noop_rss / 1024, 1),
        "boto3_sequential_seconds": round(boto3_wall, 3),
        "boto3_mutating_calls": boto_mut,
        "boto3_read_calls": boto_read,
        "speedup_vs_boto3": round(boto3_wall / fresh_wall, 2),
        "median_mutating_latency_ms": round(median_ms, 2),
        "floor_seconds": round(floor, 3),
        "ratio_to_floor": round(fresh_wall / floor, 2),
        # The local cloud is one Python process (GIL, 2 cores): the time it spent handling,
        # less the latency it added, bounds any client however concurrent.
        "local_cloud_busy_seconds_fresh": round(sum(r["duration_ms"] - latency_ms for r in fresh_log) / 1000, 3),
        # What the server's process spent answering the fresh publish: the bound that matters
        # on the raw local cloud, where requests queue for the one process.
        "local_cloud_cpu_seconds_fresh": round(fresh_server_cpu, 3),
        "ratio_to_local_cloud_cpu": round(fresh_wall / fresh_server_cpu, 2) if fresh_server_cpu > 0 else None,
    }


def own_products(vend, port, base, vend_env, latency_ms):
    """A fresh publish and a no-op re-publish of the repository's own products."""
    control(port, "POST", "/reset")
    control(port, "POST", "/config", {"latency_ms": 0})
    timed_vend(vend, ["bootstrap", "--quiet"], base, vend_env)
    control(port, "POST", "/config", {"latency_ms": latency_ms})
    result = {"added_latency_ms": latency_ms}
    for run in ("fresh", "noop"):
        control(port, "DELETE", "/requests")
        wall, rss = timed_vend(vend, ["publish", "--quiet"], base, vend_env)
        mutating, reads = counts(requests_log(port))
        result.update({f"vend_{run}_publish_seconds": round(wall, 3), f"vend_{run}_mutating_calls": mutating,
                       f"vend_{run}_read_calls": reads, f"vend_{run}_peak_rss_mib": round(rss / 1024, 1)})
    control(port, "POST", "/config", {"latency_ms": 0})
    return result


def main():
    vend = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    latency_ms = float(sys.argv[3]) if len(sys.argv) > 3 else 50.0
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="vend-bench-publish-") as temp:
        base = pathlib.Path(temp)
        state = base / "cloud"
        env = dict(os.environ, LOCALCLOUD_STATE=str(state))
        subprocess.check_call([str(ROOT / "scripts/localcloud/up"), "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            make_workspace(base, count)
            vend_env = {"AWS_CONFIG_FILE": str(state / "aws/config"), "AWS_SHARED_CREDENTIALS_FILE": str(state / "aws/credentials"), "PATH": os.environ["PATH"]}
            os.environ.update(vend_env)
            warm_up()
            runs = {"raw": scenario(vend, port, base, vend_env, count, 0)}
            if latency_ms > 0:
                runs[f"latency_{latency_ms:g}ms"] = scenario(vend, port, base, vend_env, count, latency_ms)
            own = base / "own"
            own.mkdir()
            shutil.copy(ROOT / "vend.yaml", own / "vend.yaml")
            shutil.copytree(ROOT / "baseline", own / "baseline")
            shutil.copytree(ROOT / "products", own / "products")
            products = sorted(p.parent.name for p in (own / "products").glob("*/product.yaml"))
            runs["own_products"] = {"products": products, "raw": own_products(vend, port, own, vend_env, 0)}
            if latency_ms > 0:
                runs["own_products"][f"latency_{latency_ms:g}ms"] = own_products(vend, port, own, vend_env, latency_ms)
        finally:
            subprocess.call([str(ROOT / "scripts/localcloud/down")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(json.dumps({"products": count, **runs}, indent=2))


if __name__ == "__main__":
    main()
