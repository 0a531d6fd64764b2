"""The fault campaign behind scripts/chaos (issue 8, part 3; the subscription round of issue 21;
the apply round of issue 22).

Runs the story of scripts/demo (bootstrap → publish → launch-producer --with-sample-data →
add-source per sample table → launch-consumer) once without faults, then the subscription
round (approve → unsubscribe → subscribe again → approve: retail takes `approval: owner` in the
campaign's copy of the workspace), and snapshots all three accounts; then, per round: resets the
local cloud, runs the same story with a seeded random mix of fault rules per attempt and random
SIGKILLs of vend, re-running each step until it exits 0 (at most MAX_ATTEMPTS), clears the faults,
re-runs every story step once ("settle": each must succeed at once and make no mutating call) —
a subscription step, which changes state on purpose, is settled right after it succeeds —
snapshots again and requires the snapshot to equal the reference.

The apply round (issue 22) does the same for `vend apply --yes` over the repository's vend.yaml
(retail `approval: auto`, with `apply: {lockLeaseSeconds: 5}`), from an empty local cloud, in
three phases, each preceded by a fault-free change made with boto3 and followed by a settle:
  apply          the whole mesh (baseline, catalog, launches, the subscription); sources wait for data
  apply sources  after retail's sample data is uploaded: the five sources are added
  apply repair   after two grants central's stacks made are revoked behind vend's back: drift repaired
                 (vend's own Lake Formation grants, which retry ConcurrentModificationException)
Each phase is re-run under faults (the usual mix plus Lake Formation ConcurrentModificationException
on the LF writes it made in the fault-free run) and SIGKILLs (the first attempt always, at a random
point within 1.2 times the fault-free run's time) until it exits 0. A SIGKILLed apply
leaves its lock until the lease ends: the next run's refusal (exit 2, "holds the mesh lock") is
waited out until the lease it names and the run repeated. Settle: `vend apply --yes` without
faults succeeds with no mutating call and `vend plan --detailed-exitcode` exits 0.
Progress goes to stderr, the summary to stdout; exit 1 on any difference or failure.

Run by scripts/chaos (which builds vend and starts the private local cloud); not on its own.
"""
import argparse
import datetime
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import boto3

import chaos_snapshot
from chaos_diff import differences, write_snapshot
from chaos_faults import Control, FaultMixer, RequestLog, mutating, used_operations

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROFILES = ("central", "producer", "consumer")
# The story exactly as scripts/demo types it (its domain, tables and analyst).
TABLES = ("customers", "products", "orders", "order_lines", "payments")
ANALYST = "arn:aws:iam::333333333333:role/Analyst"
MAX_ATTEMPTS = 30          # per step and round; more means vend does not converge
ATTEMPT_TIMEOUT = 600      # seconds; a step still running then is a hang
KILL_PROBABILITY = 0.3     # per attempt
APPLY_KILL_PROBABILITY = 0.5  # per later apply attempt; the first of each phase is always killed (see under_chaos)
FAULT_FREE_ATTEMPTS = 0.1  # share of attempts with kills only
SMOKE_SEED = 8
APPLY_LEASE_SECONDS = 5    # the apply round's lock lease: a killed run's lock is waited out this long at most
APPLY = ["apply", "--yes", "--color", "never"]
PLAN = ["plan", "--detailed-exitcode", "--color", "never"]
# vend's refusal when another run (here: a SIGKILLed one) holds the apply lock (ApplyLockError.held)
LOCK_HELD = re.compile(r"holds the mesh lock: .*lease until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)")
# Grants central's stacks make that the repair phase revokes behind vend's back (boto3, no faults):
# one of the subscription's central grant, one of retail's registration.
DRIFT = [({"DataLakePrincipalIdentifier": "333333333333"},
          {"LFTagPolicy": {"CatalogId": "111111111111", "ResourceType": "TABLE",
                           "Expression": [{"TagKey": "domain", "TagValues": ["retail"]}]}},
          ["SELECT", "DESCRIBE"], ["SELECT", "DESCRIBE"]),
         ({"DataLakePrincipalIdentifier": "arn:aws:iam::111111111111:role/vend-crawler-retail"},
          {"Database": {"CatalogId": "111111111111", "Name": "retail"}},
          ["CREATE_TABLE", "ALTER", "DESCRIBE"], [])]


def subscription_story():
    """[(step name, vend arguments)]: each step settled at once (re-run without faults: no change)."""
    return [("approve", ["approve", "analytics/retail", "--reason", "chaos"]),
            ("unsubscribe", ["unsubscribe", "--consumer", "analytics", "--domain", "retail", "--yes"]),
            ("subscribe", ["subscribe", "--consumer", "analytics", "--domain", "retail", "--reason", "chaos round"]),
            ("approve again", ["approve", "analytics/retail", "--reason", "chaos"])]


def apply_phases():
    """[(phase name, the fault-free change made before it, or None)]: each phase is `vend apply --yes`."""
    return [("apply", None), ("apply sources", upload_sample_data), ("apply repair", revoke_grants)]


def copy_workspace(state, name, edit):
    """A copy of the workspace (products, baseline, sample data) in state/name, with vend.yaml as
    edit(text) returns it."""
    workspace = os.path.join(state, name)
    shutil.rmtree(workspace, ignore_errors=True)
    os.makedirs(workspace)
    for folder in ("products", "baseline", "sample-data"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(workspace, folder))
    with open(os.path.join(ROOT, "vend.yaml")) as f:
        config = edit(f.read())
    with open(os.path.join(workspace, "vend.yaml"), "w") as f:
        f.write(config)
    return workspace


def prepare_apply_workspace(state):
    """The apply round's copy of the workspace: the repository's vend.yaml as it is (retail
    `approval: auto`), with a short lock lease so a SIGKILLed apply's lock is waited out quickly."""
    def short_lease(config):
        if re.search(r"^apply:", config, re.M):
            raise Failure("vend.yaml now has an `apply:` block; make scripts/lib/chaos.py set lockLeaseSeconds in it")
        return config.rstrip("\n") + f"\napply: {{lockLeaseSeconds: {APPLY_LEASE_SECONDS}}}\n"
    return copy_workspace(state, "workspace-apply", short_lease)


def upload_sample_data():
    """Puts sample-data/<table>.csv at <table>/<table>.csv in retail's bucket (as
    `launch-producer --with-sample-data` does), so apply's sources find data."""
    session = boto3.Session(profile_name="producer")
    sc, s3 = session.client("servicecatalog"), session.client("s3")
    found = [p for p in sc.search_provisioned_products(AccessLevelFilter={"Key": "Account", "Value": "self"})
             .get("ProvisionedProducts", []) if p["Name"] == "producer-retail"]
    if not found:
        raise Failure("apply succeeded but producer-retail is not there to upload sample data to")
    outputs = sc.get_provisioned_product_outputs(ProvisionedProductId=found[0]["Id"]).get("Outputs", [])
    bucket = next((o.get("OutputValue") for o in outputs if o["OutputKey"] == "BucketName"), None)
    if not bucket:
        raise Failure("producer-retail has no BucketName output to upload sample data to")
    for table in TABLES:
        with open(os.path.join(ROOT, "sample-data", f"{table}.csv"), "rb") as f:
            s3.put_object(Bucket=bucket, Key=f"{table}/{table}.csv", Body=f.read())


def revoke_grants():
    """Drift: revokes DRIFT in central, as someone might by hand."""
    lf = boto3.Session(profile_name="central").client("lakeformation")
    for principal, resource, permissions, grantable in DRIFT:
        lf.revoke_permissions(Principal=principal, Resource=resource, Permissions=permissions,
                              PermissionsWithGrantOption=grantable)


def failure_reason(output):
    """A line or two of a failed vend's output saying why: apply's failed rows, else an error line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    picked = [line for line in lines if line.startswith("failed ")] or \
             [line for line in lines if "error" in line.lower()] or lines[-1:]
    return " | ".join(" ".join(line.split())[:220] for line in picked[:2])


def lock_held_until(output):
    """When vend refused because a lock is held: the lease's end (aware datetime), else None."""
    match = LOCK_HELD.search(output)
    return datetime.datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) if match else None


def prepare_workspace(state):
    """The campaign's copy of the workspace (vend.yaml, products, baseline, sample data) with
    retail deciding by owner, so launch-consumer leaves a pending request to approve."""
    def by_owner(config):
        owner = config.replace('accountId: "222222222222", approval: auto,', 'accountId: "222222222222", approval: owner,')
        if owner == config:
            raise Failure("vend.yaml no longer gives retail `approval: auto`; update scripts/lib/chaos.py")
        return owner
    return copy_workspace(state, "workspace", by_owner)


def story():
    """[(step name, vend arguments)] in order."""
    steps = [("bootstrap", ["bootstrap"]), ("publish", ["publish"]),
             ("launch-producer", ["launch-producer", "--domain", "retail", "--with-sample-data"])]
    steps += [(f"add-source {t}", ["add-source", "--domain", "retail", "--source", t, "--prefix", f"{t}/"])
              for t in TABLES]
    steps.append(("launch-consumer", ["launch-consumer", "--domain", "analytics", "--analyst-role", ANALYST]))
    return steps


def progress(message):
    print(f"chaos: {message}", file=sys.stderr, flush=True)


class Failure(Exception):
    """The campaign failed: the message says where and shows vend's last output."""


class Vend:
    """Runs vend against the private local cloud, killing it on request."""

    def __init__(self, binary, state, workspace):
        self.binary = binary
        self.workspace = workspace
        # Only the generated profiles: nothing from the caller's AWS environment leaks in.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env["AWS_CONFIG_FILE"] = os.path.join(state, "aws", "config")
        self.env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(state, "aws", "credentials")
        self.output_path = os.path.join(state, f"vend-output-{os.path.basename(workspace)}.txt")

    def run(self, argv, kill_after=None):
        """(outcome 'ok' | 'failed' | 'killed', exit status, seconds, output)."""
        started = time.monotonic()
        with open(self.output_path, "wb") as out:
            proc = subprocess.Popen([self.binary, *argv], cwd=self.workspace, env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT)
            try:
                status = proc.wait(timeout=ATTEMPT_TIMEOUT if kill_after is None else kill_after)
                outcome = "ok" if status == 0 else "failed"
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                status = proc.wait()
                if kill_after is None:
                    raise Failure(f"vend {' '.join(argv)} hung: still running after {ATTEMPT_TIMEOUT}s:\n"
                                  + self.output())
                outcome = "killed"
            finally:
                if proc.poll() is None:  # interrupted: never leave vend behind
                    proc.kill()
                    proc.wait()
        return outcome, status, time.monotonic() - started, self.output()

    def output(self, lines=40):
        with open(self.output_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])


class Stats:
    """Counts over the whole campaign."""

    def __init__(self):
        self.kills = 0
        self.reruns = {name: 0 for name, _ in story() + subscription_story() + apply_phases()}
        self.surfaced = 0        # faults met by attempts that then failed
        self.rounds = 0
        self.lock_waits = 0      # apply refused by a SIGKILLed run's lock, waited out
        self.lock_wait_seconds = 0.0


class Campaign:
    def __init__(self, vend, apply_vend, control, log):
        self.vend, self.apply_vend, self.control, self.log = vend, apply_vend, control, log
        self.timings, self.used, self.stats = {}, {}, Stats()

    def reference(self):
        """The fault-free run: each step must succeed at once. Returns the snapshot."""
        self.log.skip()
        for name, argv in story():
            self.reference_step(name, argv, self.vend)
        for name, argv in subscription_story():
            self.reference_step(name, argv, self.vend)
            self.settle(name, argv)
        return chaos_snapshot.take(PROFILES)

    def reference_step(self, name, argv, vend):
        """One fault-free step: it must succeed at once; keeps its time and the operations it used."""
        outcome, status, seconds, output = vend.run(argv)
        entries = self.log.new_entries()
        if outcome != "ok":
            raise Failure(f"the fault-free run failed at {name} (exit {status}):\n{output}")
        self.timings[name], self.used[name] = seconds, used_operations(entries)
        progress(f"  reference {name}: {seconds:.1f}s, {len(entries)} requests")

    def settle(self, name, argv, vend=None):
        """Re-runs a step without faults: it must succeed at once and change nothing."""
        outcome, status, _, output = (vend or self.vend).run(argv)
        entries = self.log.new_entries()
        self.log.account_attempt(entries)
        changed = mutating(entries)
        progress(f"  settle {name}: {outcome}, changes: {', '.join(changed) or 'none'}")
        if outcome != "ok":
            raise Failure(f"settle: {name} failed without faults after the chaos run (exit {status}) — "
                          f"vend did not converge:\n{output}")
        # README: "a re-run with nothing changed makes no mutating call" — after the chaos
        # run's last success of a step there is nothing left to do.
        if changed:
            raise Failure(f"settle: {name} changed something after the chaos run had finished it "
                          f"({', '.join(changed)}) — the chaos run's success was not complete:\n{output}")

    def settle_apply(self, name):
        """After an apply phase: `vend apply --yes` without faults succeeds and changes nothing, and
        `vend plan --detailed-exitcode` exits 0 (no changes) without changing anything."""
        self.settle(name, APPLY, self.apply_vend)
        outcome, status, _, output = self.apply_vend.run(PLAN)
        entries = self.log.new_entries()
        self.log.account_attempt(entries)
        changed = mutating(entries)
        progress(f"  settle {name}: plan --detailed-exitcode exits {status}, changes: {', '.join(changed) or 'none'}")
        if status != 0 or changed:
            raise Failure(f"settle: after {name}, vend plan --detailed-exitcode exited {status} (0 = no changes)"
                          f"{' and changed ' + ', '.join(changed) if changed else ''}:\n{output}")

    def prepare(self, name, change):
        """The fault-free change made before an apply phase (not counted as vend's traffic)."""
        if change is None:
            return
        self.control.clear_faults()
        try:
            change()
        except Exception as error:  # boto3's ClientError and the like: the state is not as planned
            if isinstance(error, Failure):
                raise
            raise Failure(f"before {name}: {change.__name__} failed: {error}") from error
        self.log.skip()

    def apply_reference(self):
        """The fault-free apply round from an empty local cloud: each phase succeeds at once and
        settles. Returns the snapshot."""
        self.control.reset()
        self.log.skip()
        for name, change in apply_phases():
            self.prepare(name, change)
            self.reference_step(name, APPLY, self.apply_vend)
            self.settle_apply(name)
        return chaos_snapshot.take(PROFILES)

    def apply_round(self, rng):
        """Reset, each apply phase under faults (with LF ConcurrentModificationException) and
        kills, each settled; snapshot."""
        self.control.reset()
        self.log.skip()
        mixer = FaultMixer(rng)
        for name, change in apply_phases():
            self.prepare(name, change)
            self.under_chaos(name, APPLY, rng, mixer, vend=self.apply_vend, concurrent=True)
            self.control.clear_faults()
            self.settle_apply(name)
        progress("  settled: apply and plan found nothing to change after each phase")
        return chaos_snapshot.take(PROFILES)

    def under_chaos(self, name, argv, rng, mixer, vend=None, concurrent=False):
        """Runs one step under faults and kills until it exits 0. With `concurrent` (apply), Lake
        Formation writes may also answer ConcurrentModificationException, and a refusal because a
        SIGKILLed run's lock is held is waited out until the lease it names, then run again."""
        vend = vend or self.vend
        for attempt in range(1, MAX_ATTEMPTS + 1):
            # drawn on every attempt, used or not, so one seed gives one sequence
            rules = mixer.mix(self.used[name], concurrent=concurrent)
            kill_after = rng.uniform(0.05, max(0.5, 1.2 * self.timings[name]))
            if rng.random() >= FAULT_FREE_ATTEMPTS:
                self.control.set_faults(rules)
            else:
                # kills only; apply keeps its Lake Formation ConcurrentModificationException rule,
                # which a successful apply must absorb by itself (vend retries its own grants)
                rules = [r for r in rules if r["kind"] == "concurrent"]
                self.control.set_faults(rules)
            # An apply phase is one long run, often done in one attempt: its first attempt is always
            # SIGKILLed (unless it ends before the drawn delay), so every phase resumes a killed apply.
            kill_share = (1.0 if attempt == 1 else APPLY_KILL_PROBABILITY) if concurrent else KILL_PROBABILITY
            if rng.random() >= kill_share:
                kill_after = None
            outcome, status, seconds, output = vend.run(argv, kill_after)
            self.control.clear_faults()
            met = self.log.account_attempt(self.log.new_entries())
            kinds = ",".join(sorted({"lost" if r.get("apply") else r["kind"] for r in rules})) or "none"
            progress(f"  {name} #{attempt}: {outcome}{'' if outcome != 'failed' else f' (exit {status})'}"
                     f" in {seconds:.1f}s, rules [{kinds}], {met} faults met"
                     + ("" if outcome != "failed" else f": {failure_reason(output)}"))
            held = lock_held_until(output) if concurrent and outcome == "failed" and status == 2 else None
            if held is not None:
                # exit 2 is apply's refusal while another run holds the lock: here a SIGKILLed
                # attempt's, whose lease (APPLY_LEASE_SECONDS) ends soon; a run after it takes over
                wait = (held - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 1.0
                wait = min(max(wait, 0.0), APPLY_LEASE_SECONDS + 2.0)
                progress(f"  {name} #{attempt}: refused, a killed run's lock is held until {held:%H:%M:%S}; "
                         f"waiting {wait:.1f}s")
                time.sleep(wait)
                self.stats.lock_waits += 1
                self.stats.lock_wait_seconds += wait
                self.stats.reruns[name] += 1
                continue
            if outcome == "failed" and status != 1:
                # 1 is vend's "failed, say why"; a signal (negative) is a crash, 2 a refusal
                # by policy and 64 a usage error: none of them may come from a fault
                raise Failure(f"{name} ended with status {status} under chaos (a crash or a refusal, "
                              f"not a reported failure):\n{output}")
            if outcome == "killed":
                self.stats.kills += 1
            elif outcome == "failed":
                self.stats.surfaced += met
            if outcome == "ok":
                return
            self.stats.reruns[name] += 1
        raise Failure(f"{name} did not succeed in {MAX_ATTEMPTS} attempts under chaos; "
                      f"its last output:\n{output}")

    def chaos_round(self, rng):
        """Reset, the story under faults and kills, settle, snapshot."""
        self.control.reset()
        self.log.skip()
        mixer = FaultMixer(rng)
        for name, argv in story():
            self.under_chaos(name, argv, rng, mixer)
        self.control.clear_faults()
        for name, argv in story():  # settle: no faults, each step must succeed at once
            self.settle(name, argv)
        for name, argv in subscription_story():  # each settled as soon as it succeeded
            self.under_chaos(name, argv, rng, mixer)
            self.control.clear_faults()
            self.settle(name, argv)
        progress("  settled: every step succeeded again without faults and changed nothing")
        return chaos_snapshot.take(PROFILES)


def parse(argv):
    parser = argparse.ArgumentParser(prog="scripts/chaos")
    parser.add_argument("--vend", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--only", choices=("story", "apply"))
    return parser.parse_args(argv)


class Tally:
    """Counts of one part of the campaign (the story and subscription rounds, or the apply round)."""

    def __init__(self):
        self.faults, self.kills, self.reruns, self.lock_waits, self.seconds = 0, 0, 0, 0, 0.0
        self.kinds = {}

    def measure(self, campaign, log, body):
        """Runs body(), adding what it counted; returns its value (also when it fails)."""
        stats = campaign.stats
        before = (dict(log.faults), stats.kills, sum(stats.reruns.values()), stats.lock_waits, time.monotonic())
        try:
            return body()
        finally:
            for kind, n in log.faults.items():
                self.kinds[kind] = self.kinds.get(kind, 0) + n - before[0].get(kind, 0)
            self.faults = sum(self.kinds.values())
            self.kills += stats.kills - before[1]
            self.reruns += sum(stats.reruns.values()) - before[2]
            self.lock_waits += stats.lock_waits - before[3]
            self.seconds += time.monotonic() - before[4]


def main(argv):
    args = parse(argv)
    started = time.monotonic()
    seed = args.seed if args.seed is not None else (SMOKE_SEED if args.smoke else random.SystemRandom().randrange(10**6))
    rounds = args.rounds or (None if args.duration else 1)
    port = open(os.path.join(args.state, "port")).read().strip()
    try:
        vend = Vend(args.vend, args.state, prepare_workspace(args.state))
        apply_vend = Vend(args.vend, args.state, prepare_apply_workspace(args.state))
    except Failure as failure:
        print(f"chaos: FAILED: {failure}", file=sys.stderr)
        return 1
    os.environ.clear()
    os.environ.update(vend.env)  # the snapshots' boto3 reads the same profiles
    control = Control(port)
    log = RequestLog(control)
    campaign = Campaign(vend, apply_vend, control, log)
    parts = {"story": Tally(), "apply": Tally()}
    if args.only:
        parts = {args.only: parts[args.only]}
    plan = f"{rounds} round(s)" if rounds else f"rounds for {args.duration:g}s"
    progress(f"seed {seed}, {plan} of {' and '.join(parts)}, vend {args.vend}, local cloud port {port}")
    try:
        references = {}
        if "story" in parts:
            progress("fault-free reference run")
            references["story"] = parts["story"].measure(campaign, log, campaign.reference)
        if "apply" in parts:
            progress("fault-free reference apply round (reset; apply, apply sources, apply repair)")
            references["apply"] = parts["apply"].measure(campaign, log, campaign.apply_reference)
        done = 0
        while (rounds is not None and done < rounds) or (rounds is None and (done == 0 or
                                                                             time.monotonic() - started < args.duration)):
            round_seed = seed + done
            reproduce = f"scripts/chaos --seed {round_seed} --rounds 1" + (f" --only {args.only}" if args.only else "")
            if "story" in parts:
                progress(f"round {done + 1} (seed {round_seed}): reset, the story under chaos")
                snapshot = parts["story"].measure(campaign, log, lambda: campaign.chaos_round(random.Random(round_seed)))
                compare(references["story"], snapshot, f"round {done + 1}", reproduce, seed, round_seed, "")
                progress(f"round {done + 1}: end state equals the reference")
            if "apply" in parts:
                progress(f"round {done + 1} (seed {round_seed}): reset, vend apply under chaos")
                # its own generator, so the story's attempts do not move the apply round's draws
                rng = random.Random(f"apply:{round_seed}")
                snapshot = parts["apply"].measure(campaign, log, lambda: campaign.apply_round(rng))
                compare(references["apply"], snapshot, f"round {done + 1}'s apply round", reproduce, seed, round_seed, "-apply")
                progress(f"round {done + 1}: apply round's end state equals the fault-free apply's")
            campaign.stats.rounds += 1
            done += 1
    except Failure as failure:
        print(f"chaos: FAILED (seed {seed}): {failure}", file=sys.stderr)
        summary(seed, campaign, log, started, parts, ok=False)
        return 1
    summary(seed, campaign, log, started, parts, ok=True)
    return 0


def compare(reference, snapshot, what, reproduce, seed, round_seed, suffix):
    """Raises Failure naming every difference (and where both snapshots were written)."""
    diff = differences(reference, snapshot)
    if diff:
        ref_path = write_snapshot(reference, f"vend-chaos-{seed}{suffix}-reference.json")
        got_path = write_snapshot(snapshot, f"vend-chaos-{round_seed}{suffix}-chaos.json")
        raise Failure(f"{what} (reproduce: {reproduce}): the end state differs from the fault-free run's:\n"
                      + "\n".join(diff) + f"\nsnapshots: {ref_path} {got_path}")


def summary(seed, campaign, log, started, parts, ok):
    stats = campaign.stats
    injected = sum(log.faults.values())
    kinds = ", ".join(f"{'drop/lost' if k == 'drop' else k} {n}" for k, n in sorted(log.faults.items())) or "none"
    reruns = ", ".join(f"{name} {n}" for name, n in stats.reruns.items() if n) or "none"
    verdict = "PASS" if ok else "FAIL"
    print(f"chaos: {verdict} seed {seed}: {stats.rounds} round(s) converged to the fault-free run's state"
          + ("" if ok else ", then one did not (see stderr)"))
    print(f"  faults injected   {injected} ({kinds})")
    print(f"  retried by vend   {log.retried} faulted requests sent again within the same run")
    print(f"  in the action     {log.automation_faults} faults hit the AddDataSource automation's own calls")
    print(f"  reached a step    {stats.surfaced} faults met by attempts that then failed")
    print(f"  SIGKILLs          {stats.kills}")
    print(f"  re-runs           {sum(stats.reruns.values())} ({reruns})")
    if "apply" in parts:
        print(f"  lock waits        {stats.lock_waits} apply refusals (a killed run's lock) waited out, "
              f"{stats.lock_wait_seconds:.0f}s in all (lease {APPLY_LEASE_SECONDS}s)")
    print(f"  requests          {log.requests}")
    for name, tally in parts.items():
        what = "story + subscriptions" if name == "story" else "apply round"
        kinds = ", ".join(f"{'drop/lost' if k == 'drop' else k} {n}" for k, n in sorted(tally.kinds.items()) if n) or "none"
        print(f"  {what + ':':<22} {tally.faults} faults ({kinds}), {tally.kills} SIGKILLs, {tally.reruns} re-runs"
              + (f", {tally.lock_waits} lock waits" if name == "apply" else "") + f", {tally.seconds:.0f}s with its reference")
    print(f"  wall time         {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
