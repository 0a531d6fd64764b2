"""Accounts, keys, signatures, model validation, unimplemented operations, request log —
with boto3 and the AWS CLI."""
import json
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, ENDPOINT, PRODUCER, control, make_client, requests_log


def err(e):
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def raw_client(service, key="AKIAVENDCENTRAL00001", secret="x" * 40, token=None):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token,
                        config=Config(retries={"total_max_attempts": 1}, parameter_validation=False,
                                      signature_version="s3v4" if service == "s3" else None,
                                      s3={"addressing_style": "path"}))


def test_profiles_land_in_their_accounts(cli):
    for profile, acct in (("central", CENTRAL), ("producer", PRODUCER), ("consumer", CONSUMER)):
        assert make_client("sts", profile).get_caller_identity()["Account"] == acct
        out = json.loads(cli(profile, "sts", "get-caller-identity").stdout)
        assert out["Account"] == acct


@pytest.mark.parametrize("service,call,code", [
    ("sts", lambda c: c.get_caller_identity(), "InvalidClientTokenId"),
    ("iam", lambda c: c.list_roles(), "InvalidClientTokenId"),
    ("glue", lambda c: c.get_databases(), "UnrecognizedClientException"),
    ("servicecatalog", lambda c: c.list_portfolios(), "UnrecognizedClientException"),
    ("lakeformation", lambda c: c.get_data_lake_settings(), "UnrecognizedClientException"),
    ("s3", lambda c: c.list_buckets(), "InvalidAccessKeyId"),
])
def test_unknown_key_is_refused(service, call, code):
    with pytest.raises(ClientError) as e:
        call(raw_client(service, key="AKIAUNKNOWNKEY000001"))
    assert err(e) == (code, 403)
    assert not any(r["account"] == "123456789012" for r in requests_log())


def test_unknown_key_refused_for_cli(cli):
    import os
    import subprocess
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "AKIAUNKNOWNKEY000001", "AWS_SECRET_ACCESS_KEY": "y" * 40,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1", "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
    p = subprocess.run(["aws", "--endpoint-url", ENDPOINT, "servicecatalog", "list-portfolios"], env=env,
                       capture_output=True, text=True)
    assert p.returncode != 0 and "UnrecognizedClientException" in p.stderr


@pytest.mark.parametrize("service,call,code", [
    ("sts", lambda c: c.get_caller_identity(), "SignatureDoesNotMatch"),
    ("cloudformation", lambda c: c.list_stacks(), "SignatureDoesNotMatch"),
    ("glue", lambda c: c.get_databases(), "InvalidSignatureException"),
    ("servicecatalog", lambda c: c.list_portfolios(), "InvalidSignatureException"),
    ("lakeformation", lambda c: c.get_data_lake_settings(), "InvalidSignatureException"),
    ("s3", lambda c: c.list_buckets(), "SignatureDoesNotMatch"),
])
def test_bad_signature_is_refused(service, call, code):
    with pytest.raises(ClientError) as e:
        call(raw_client(service, secret="wrong" * 8))
    assert err(e) == (code, 403)
    assert requests_log(service=service)[-1]["signature_ok"] is False


def test_tampered_body_and_stale_date_are_refused():
    c = make_client("glue")
    def tamper(request, **kw):
        request.body = request.body.replace(b"db1", b"db2")
    c.meta.events.register_last("before-send.glue.CreateDatabase", tamper)
    with pytest.raises(ClientError) as e:
        c.create_database(DatabaseInput={"Name": "db1"})
    assert err(e) == ("InvalidSignatureException", 403)
    c2 = make_client("sts")
    def old(request, **kw):
        pass
    import datetime
    from unittest import mock
    with mock.patch("botocore.auth.get_current_datetime",
                    return_value=datetime.datetime.utcnow() - datetime.timedelta(minutes=30)):
        with pytest.raises(ClientError) as e:
            c2.get_caller_identity()
    assert err(e)[1] == 403


def test_signatures_of_awkward_s3_keys_and_presigned_urls(cli, tmp_path):
    s3 = make_client("s3")
    s3.create_bucket(Bucket="awkward")
    for key in ("a b/c+d=e.txt", "ünï/çødé", "x/y%z&q?.csv"):
        s3.put_object(Bucket="awkward", Key=key, Body=b"1")
        assert s3.get_object(Bucket="awkward", Key=key)["Body"].read() == b"1"
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "awkward", "Key": "a b/c+d=e.txt"})
    assert urllib.request.urlopen(url).read() == b"1"
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"))
    assert e.value.code == 403
    f = tmp_path / "f.txt"
    f.write_text("hello")
    cli("central", "s3", "cp", str(f), "s3://awkward/cli dir/f+1.txt")
    out = cli("central", "s3", "ls", "s3://awkward/cli dir/").stdout
    assert "f+1.txt" in out


def test_assume_role_into_other_account_and_bad_session_token():
    sts = make_client("sts", "central")
    # a role that does not exist: allowed by default (cross-account tests), refused when strict
    assert sts.assume_role(RoleArn=f"arn:aws:iam::{CONSUMER}:role/Anything", RoleSessionName="ts")
    control("POST", "/config", {"strict_assume_role": True})
    with pytest.raises(ClientError) as e:  # AWS: the role must exist and trust the caller
        sts.assume_role(RoleArn=f"arn:aws:iam::{CONSUMER}:role/Anything", RoleSessionName="ts")
    assert err(e) == ("AccessDenied", 403)
    control("POST", "/config", {"strict_assume_role": False})
    with pytest.raises(ClientError) as e:  # trusts central only
        make_client("sts", "producer").assume_role(
            RoleArn=f"arn:aws:iam::{CONSUMER}:role/OrganizationAccountAccessRole", RoleSessionName="ts")
    assert err(e) == ("AccessDenied", 403)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{CONSUMER}:role/OrganizationAccountAccessRole",
                            RoleSessionName="ts")["Credentials"]
    c = boto3.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                     aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    ident = c.get_caller_identity()
    assert ident["Account"] == CONSUMER and ":assumed-role/OrganizationAccountAccessRole/ts" in ident["Arn"]
    with pytest.raises(ClientError) as e:
        raw_client("sts", creds["AccessKeyId"], creds["SecretAccessKey"], "forged").get_caller_identity()
    assert err(e) == ("InvalidClientTokenId", 403)


def test_get_session_token_gives_working_temporary_keys():
    creds = make_client("sts", "producer").get_session_token()["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    c = boto3.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                     aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    assert c.get_caller_identity()["Account"] == PRODUCER


@pytest.mark.parametrize("service,call,code,fragment", [
    ("glue", lambda c: c.get_database(Name="x" * 300), "ValidationException", "less than or equal to 255"),
    ("glue", lambda c: c.get_database(), "ValidationException", "must not be null"),
    ("servicecatalog", lambda c: c.create_portfolio(DisplayName="p", ProviderName="x", IdempotencyToken="bad token!"),
     "ValidationException", "regular expression"),
    ("servicecatalog", lambda c: c.describe_portfolio_shares(PortfolioId="port-aaaaaaaaaaaaa", Type="FRIENDS"),
     "ValidationException", "enum value set"),
    ("servicecatalog", lambda c: with_extra_member(c).list_portfolios(), "ValidationException", "Bogus"),
    ("iam", lambda c: c.create_role(RoleName="has space", AssumeRolePolicyDocument="{}"), "ValidationError",
     "regular expression"),
    ("lakeformation", lambda c: c.get_lf_tag(TagKey=""), "ValidationException", "length"),
])
def test_invalid_requests_answer_like_aws(service, call, code, fragment):
    with pytest.raises(ClientError) as e:
        call(make_client(service))
    assert err(e) == (code, 400)
    assert fragment in e.value.response["Error"]["Message"]
    assert requests_log(service=service)[-1]["validation_ok"] is False


def test_invalid_request_with_cli(cli):
    p = cli("central", "glue", "get-database", "--name", "x" * 300, check=False)
    assert p.returncode != 0 and "ValidationException" in p.stderr


def with_extra_member(c):
    """Add a member the model does not know to a JSON request body before it is signed."""
    def add(request, **kw):
        body = json.loads(request.body or b"{}")
        body["Bogus"] = 1
        request.data = json.dumps(body).encode()
        request.headers["Content-Length"] = str(len(request.data))
    c.meta.events.register("before-sign.*.*", add)
    return c


def test_json_nulls_count_as_absent():
    c = make_client("servicecatalog")

    def nulls(request, **kw):
        body = json.loads(request.body or b"{}")
        body["PageToken"] = None
        request.data = json.dumps(body).encode()
        request.headers["Content-Length"] = str(len(request.data))
    c.meta.events.register("before-sign.*.*", nulls)
    c.list_portfolios()


def test_unknown_members_can_be_allowed():
    control("POST", "/config", {"reject_unknown_members": False})
    with_extra_member(make_client("servicecatalog")).list_portfolios()


def test_request_log_and_reset_keeps_keys():
    make_client("s3", "producer").create_bucket(Bucket="logged-bucket")
    log = requests_log(operation="CreateBucket")
    assert log[-1]["account"] == PRODUCER and log[-1]["status"] == 200
    assert log[-1]["signature_ok"] is True and log[-1]["validation_ok"] is True
    assert log[-1]["access_key"] == "AKIAVENDPRODUCER0001"
    control("DELETE", "/requests")
    assert requests_log() == []
    control("POST", "/reset")
    assert make_client("s3", "producer").list_buckets()["Buckets"] == []
    assert make_client("sts", "consumer").get_caller_identity()["Account"] == CONSUMER


def test_latency_holds_each_request_and_requests_in_flight_overlap():
    # An AWS-like round trip for benchmarks: each request is held latency_ms before its answer,
    # and two requests sent together are held side by side, not one after the other.
    assert control("POST", "/config", {"latency_ms": 400})["latency_ms"] == 400
    clients = [make_client("sts", profile) for profile in ("producer", "consumer")]
    control("DELETE", "/requests")
    with ThreadPoolExecutor(max_workers=2) as pool:
        accounts = sorted(pool.map(lambda c: c.get_caller_identity()["Account"], clients))
    assert accounts == sorted([PRODUCER, CONSUMER])
    log = requests_log(operation="GetCallerIdentity")
    assert len(log) == 2
    assert all(e["duration_ms"] >= 400 for e in log), log
    # Held in parallel: neither waited behind the other's 400 ms.
    assert all(e["duration_ms"] < 800 for e in log), log
    spans = [(datetime.fromisoformat(e["time"]).timestamp(), e["duration_ms"] / 1000) for e in log]
    assert max(start for start, _ in spans) < min(start + duration for start, duration in spans), spans
    # The control endpoint is not held, and 0 turns it off again.
    assert control("POST", "/config", {"latency_ms": 0})["latency_ms"] == 0
    control("DELETE", "/requests")
    make_client("sts").get_caller_identity()
    assert requests_log(operation="GetCallerIdentity")[0]["duration_ms"] < 400


def _raw_exchange(sock, data, answers):
    """Sends bytes on an open socket; reads `answers` HTTP answers (each with a Content-Length)."""
    sock.sendall(data)
    reader = sock.makefile("rb")
    out = []
    for _ in range(answers):
        status = reader.readline().decode()
        headers = {}
        while (line := reader.readline().decode().strip()):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = reader.read(int(headers.get("content-length", 0)))
        out.append((status.split()[1], headers, body))
    return out, reader


def _get(path, version="HTTP/1.1", extra=""):
    host = ENDPOINT.split("//")[1]
    return f"GET {path} {version}\r\nHost: {host}\r\n{extra}\r\n".encode()


def test_connections_are_kept_alive_between_requests():
    # As AWS's endpoints do: a client reuses one connection for many requests (werkzeug alone
    # closes each). A signed call, control calls and a body-carrying call share one socket.
    import socket
    host, port = ENDPOINT.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        body = b'{"AccountId": "x"}'
        post = (f"POST / HTTP/1.1\r\nHost: {host}\r\nX-Amz-Target: AWS242ServiceCatalogService.ListPortfolios\r\n"
                f"Content-Type: application/x-amz-json-1.1\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        # Pipelined: the second request is on the wire before the first is answered, and is
        # answered, not swallowed by the server's clean-up after the first answer.
        answers, _ = _raw_exchange(sock, _get("/_localcloud/health") + post, 2)
        answers += _raw_exchange(sock, _get("/_localcloud/health"), 1)[0]
    assert [a[0] for a in answers] == ["200", "403", "200"], answers
    assert all(a[1].get("connection", "").lower() != "close" for a in answers), answers
    assert json.loads(answers[2][2])["ok"] is True


@pytest.mark.parametrize("request_bytes", [_get("/_localcloud/health", "HTTP/1.0"),
                                           _get("/_localcloud/health", extra="Connection: close\r\n")])
def test_connections_close_when_the_client_asks_or_speaks_http_1_0(request_bytes):
    import socket
    host, port = ENDPOINT.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        answers, reader = _raw_exchange(sock, request_bytes, 1)
        assert answers[0][0] == "200"
        assert reader.read() == b""  # the server closed its end


def test_unread_request_body_is_drained_before_the_next_request():
    # The guard behind keep-alive: what an application leaves of a body is read and dropped up
    # to DRAIN_LIMIT, never past its Content-Length; more than that closes the connection.
    import io
    from vendcloud import keepalive
    stream = io.BytesIO(b"0123456789NEXT REQUEST")
    body = keepalive._BodyReader(stream, 10)
    assert body.read(4) == b"0123"
    assert body.readline() == b"456789"
    assert body.read() == b"" and body.drain()
    assert stream.read() == b"NEXT REQUEST"
    partly = keepalive._BodyReader(io.BytesIO(b"abcdefNEXT"), 6)
    assert partly.read(2) == b"ab" and partly.drain() and partly.stream.read() == b"NEXT"
    assert not keepalive._BodyReader(io.BytesIO(b""), keepalive.DRAIN_LIMIT + 1).drain()
    assert not keepalive._BodyReader(io.BytesIO(b"short"), 9).drain()  # the client stopped sending


@pytest.mark.parametrize("value", [-1, 60_001, "soon"])
def test_latency_out_of_range_is_refused(value):
    with pytest.raises(urllib.error.HTTPError) as e:
        control("POST", "/config", {"latency_ms": value})
    assert e.value.code == 400
    assert control("GET", "/config")["latency_ms"] == 0


def test_moto_api_reset_reseeds_keys():
    req = urllib.request.Request(ENDPOINT + "/moto-api/reset", method="POST", data=b"")
    urllib.request.urlopen(req).read()
    assert make_client("sts", "producer").get_caller_identity()["Account"] == PRODUCER


def test_s3_configuration_calls_with_xml_bodies_and_head_404s():
    s3 = make_client("s3")
    s3.create_bucket(Bucket="configured")
    s3.put_bucket_encryption(Bucket="configured", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    s3.put_public_access_block(Bucket="configured", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_versioning(Bucket="configured", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_tagging(Bucket="configured", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    with pytest.raises(ClientError) as e:  # XML bodies are checked against the model too
        s3.put_bucket_encryption(Bucket="configured", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "ROT13"}}]})
    assert err(e) == ("InvalidArgument", 400) and "enum" in e.value.response["Error"]["Message"]
    assert s3.get_bucket_versioning(Bucket="configured")["Status"] == "Enabled"
    for call in (lambda: s3.head_object(Bucket="configured", Key="nope"),
                 lambda: s3.head_object(Bucket="no-such-bucket-here", Key="nope"),
                 lambda: s3.head_bucket(Bucket="no-such-bucket-here")):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert all(r["status"] != 501 for r in requests_log(service="s3"))


def test_a_route_shared_with_a_deprecated_operation_is_the_current_one(client):
    """GET /{Bucket}?lifecycle is both GetBucketLifecycle (deprecated) and
    GetBucketLifecycleConfiguration: the log names the current one, and its answer (with Filter)
    passes the answer check."""
    s3 = client("s3")
    s3.create_bucket(Bucket="routes")
    s3.put_bucket_lifecycle_configuration(Bucket="routes", LifecycleConfiguration={"Rules": [
        {"ID": "old", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]})
    rules = s3.get_bucket_lifecycle_configuration(Bucket="routes")["Rules"]
    assert rules[0]["Filter"] == {"Prefix": "tmp/"}
    gets = [r for r in requests_log(service="s3") if r["method"] == "GET"]
    assert [(r["operation"], r["answer_ok"]) for r in gets] == [("GetBucketLifecycleConfiguration", True)]
