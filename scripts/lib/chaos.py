"""The fault campaign behind scripts/chaos (issue 8, part 3; the subscription round of issue 21).

Runs the story of scripts/demo (bootstrap → publish → launch-producer --with-sample-data →
add-source per sample table → launch-consumer) once without faults, then the subscription
round (approve → unsubscribe → subscribe again → approve: retail takes `approval: owner` in the
campaign's copy of the workspace), and snapshots all three accounts; then, per round: resets the
local cloud, runs the same story with a seeded random mix of fault rules per attempt and random
SIGKILLs of vend, re-running each step until it exits 0 (at most MAX_ATTEMPTS), clears the faults,
re-runs every story step once ("settle": each must succeed at once and make no mutating call) —
a subscription step, which changes state on purpose, is settled right after it succeeds —
snapshots again and requires the snapshot to equal the reference.
Progress goes to stderr, the summary to stdout; exit 1 on any difference or failure.

Run by scripts/chaos (which builds vend and starts the private local cloud); not on its own.
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time

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
FAULT_FREE_ATTEMPTS = 0.1  # share of attempts with kills only
SMOKE_SEED = 8


def subscription_story():
    """[(step name, vend arguments)]: each step settled at once (re-run without faults: no change)."""
    return [("approve", ["approve", "analytics/retail", "--reason", "chaos"]),
            ("unsubscribe", ["unsubscribe", "--consumer", "analytics", "--domain", "retail", "--yes"]),
            ("subscribe", ["subscribe", "--consumer", "analytics", "--domain", "retail", "--reason", "chaos round"]),
            ("approve again", ["approve", "analytics/retail", "--reason", "chaos"])]


def prepare_workspace(state):
    """The campaign's copy of the workspace (vend.yaml, products, baseline, sample data) with
    retail deciding by owner, so launch-consumer leaves a pending request to approve."""
    workspace = os.path.join(state, "workspace")
    shutil.rmtree(workspace, ignore_errors=True)
    os.makedirs(workspace)
    for folder in ("products", "baseline", "sample-data"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(workspace, folder))
    with open(os.path.join(ROOT, "vend.yaml")) as f:
        config = f.read()
    owner = config.replace('accountId: "222222222222", approval: auto,', 'accountId: "222222222222", approval: owner,')
    if owner == config:
        raise Failure("vend.yaml no longer gives retail `approval: auto`; update scripts/lib/chaos.py")
    with open(os.path.join(workspace, "vend.yaml"), "w") as f:
        f.write(owner)
    return workspace


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

    def __init__(self, binary, state):
        self.binary = binary
        self.workspace = prepare_workspace(state)
        # Only the generated profiles: nothing from the caller's AWS environment leaks in.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env["AWS_CONFIG_FILE"] = os.path.join(state, "aws", "config")
        self.env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(state, "aws", "credentials")
        self.output_path = os.path.join(state, "vend-output.txt")

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
        self.reruns = {name: 0 for name, _ in story() + subscription_story()}
        self.surfaced = 0        # faults met by attempts that then failed
        self.rounds = 0


class Campaign:
    def __init__(self, vend, control, log):
        self.vend, self.control, self.log = vend, control, log
        self.timings, self.used, self.stats = {}, {}, Stats()

    def reference(self):
        """The fault-free run: each step must succeed at once. Returns the snapshot."""
        self.log.skip()
        for name, argv in story():
            outcome, status, seconds, output = self.vend.run(argv)
            entries = self.log.new_entries()
            if outcome != "ok":
                raise Failure(f"the fault-free run failed at {name} (exit {status}):\n{output}")
            self.timings[name], self.used[name] = seconds, used_operations(entries)
            progress(f"  reference {name}: {seconds:.1f}s, {len(entries)} requests")
        for name, argv in subscription_story():
            outcome, status, seconds, output = self.vend.run(argv)
            entries = self.log.new_entries()
            if outcome != "ok":
                raise Failure(f"the fault-free run failed at {name} (exit {status}):\n{output}")
            self.timings[name], self.used[name] = seconds, used_operations(entries)
            progress(f"  reference {name}: {seconds:.1f}s, {len(entries)} requests")
            self.settle(name, argv)
        return chaos_snapshot.take(PROFILES)

    def settle(self, name, argv):
        """Re-runs a step without faults: it must succeed at once and change nothing."""
        outcome, status, _, output = self.vend.run(argv)
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

    def under_chaos(self, name, argv, rng, mixer):
        """Runs one step under faults and kills until it exits 0."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            # drawn on every attempt, used or not, so one seed gives one sequence
            rules = mixer.mix(self.used[name])
            kill_after = rng.uniform(0.05, max(0.5, 1.2 * self.timings[name]))
            if rng.random() >= FAULT_FREE_ATTEMPTS:
                self.control.set_faults(rules)
            else:
                rules = []
                self.control.clear_faults()
            if rng.random() >= KILL_PROBABILITY:
                kill_after = None
            outcome, status, seconds, output = self.vend.run(argv, kill_after)
            self.control.clear_faults()
            met = self.log.account_attempt(self.log.new_entries())
            kinds = ",".join(sorted({"lost" if r.get("apply") else r["kind"] for r in rules})) or "none"
            progress(f"  {name} #{attempt}: {outcome}{'' if outcome != 'failed' else f' (exit {status})'}"
                     f" in {seconds:.1f}s, rules [{kinds}], {met} faults met")
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
        self.stats.rounds += 1
        return chaos_snapshot.take(PROFILES)


def parse(argv):
    parser = argparse.ArgumentParser(prog="scripts/chaos")
    parser.add_argument("--vend", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--smoke", action="store_true")
    return parser.parse_args(argv)


def main(argv):
    args = parse(argv)
    started = time.monotonic()
    seed = args.seed if args.seed is not None else (SMOKE_SEED if args.smoke else random.SystemRandom().randrange(10**6))
    rounds = args.rounds or (None if args.duration else 1)
    port = open(os.path.join(args.state, "port")).read().strip()
    vend = Vend(args.vend, args.state)
    os.environ.clear()
    os.environ.update(vend.env)  # the snapshots' boto3 reads the same profiles
    control = Control(port)
    log = RequestLog(control)
    campaign = Campaign(vend, control, log)
    plan = f"{rounds} round(s)" if rounds else f"rounds for {args.duration:g}s"
    progress(f"seed {seed}, {plan}, vend {args.vend}, local cloud port {port}")
    try:
        progress("fault-free reference run")
        reference = campaign.reference()
        done = 0
        while (rounds is not None and done < rounds) or (rounds is None and (done == 0 or
                                                                             time.monotonic() - started < args.duration)):
            round_seed = seed + done
            progress(f"round {done + 1} (seed {round_seed}): reset, the story under chaos")
            snapshot = campaign.chaos_round(random.Random(round_seed))
            diff = differences(reference, snapshot)
            if diff:
                ref_path = write_snapshot(reference, f"vend-chaos-{seed}-reference.json")
                got_path = write_snapshot(snapshot, f"vend-chaos-{round_seed}-chaos.json")
                raise Failure(f"round {done + 1} (reproduce: scripts/chaos --seed {round_seed} --rounds 1): "
                              f"the end state differs from the fault-free run's:\n" + "\n".join(diff)
                              + f"\nsnapshots: {ref_path} {got_path}")
            progress(f"round {done + 1}: end state equals the reference")
            done += 1
    except Failure as failure:
        print(f"chaos: FAILED (seed {seed}): {failure}", file=sys.stderr)
        summary(seed, campaign, log, started, ok=False)
        return 1
    summary(seed, campaign, log, started, ok=True)
    return 0


def summary(seed, campaign, log, started, ok):
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
    print(f"  requests          {log.requests}")
    print(f"  wall time         {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
