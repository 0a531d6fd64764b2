"""The local cloud's control endpoint as the fault campaign uses it: seeded random fault mixes,
and the request log turned into counts (faults injected, retries vend made, faults that
reached the step).

Reproducible means: the same seed gives the same rules and the same kill delays. Whether a
rule with a probability fires on a given request is drawn by the local cloud itself, and
kills race the process, so two runs with one seed differ in detail, not in kind.
"""
import collections
import json
import urllib.request

KINDS = ("throttle", "throttle429", "error500", "error503", "slowdown", "drop", "delay", "lost")
# "lost" is `drop` with `apply`: the operation runs, then the connection closes — the answer to
# a change is lost, where plain `drop` closes it before anything runs. (Not the answer kinds
# with `apply`, e.g. `empty`: their 200 also stands in for an error the operation answered, and
# a HeadObject "200" for a missing bundle made publish skip its upload — an answer AWS never
# gives, found by this campaign.) The request log records both as "drop".
LOST = {"kind": "drop", "apply": True}
# Lake Formation operations that write: AWS answers one that races another write on the same
# resource with ConcurrentModificationException (the local cloud's `concurrent` kind), which
# may simply be retried. Reads are never answered so, and get no such rule.
LF_WRITES = ("AddLFTagsToResource", "BatchGrantPermissions", "BatchRevokePermissions", "CreateLFTag",
             "DeleteLFTag", "GrantPermissions", "PutDataLakeSettings", "RegisterResource",
             "RemoveLFTagsFromResource", "RevokePermissions", "UpdateLFTag")
# vend signs with the profiles' static keys; the local cloud's automation steps (the
# AddDataSource service action) call back with temporary keys of the launch role.
VEND_KEY_PREFIX = "AKIA"


class Control:
    """GET/POST/DELETE on http://127.0.0.1:PORT/_localcloud/…"""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}/_localcloud"

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def reset(self):
        self.call("POST", "/reset")

    def set_faults(self, rules):
        self.call("DELETE", "/faults")
        if rules:
            self.call("POST", "/faults", {"rules": rules})

    def clear_faults(self):
        self.call("DELETE", "/faults")

    def requests(self):
        return self.call("GET", "/requests")["requests"]


class FaultMixer:
    """Draws a random mix of rules for one attempt of one step, aimed at the services and
    operations that step used in the fault-free run (plus wildcards)."""

    def __init__(self, rng):
        self.rng = rng

    def mix(self, used, concurrent=False):
        """used: {(service, operation), …} seen in the reference run of this step. With
        `concurrent`, every mix also makes a Lake Formation write answer ConcurrentModificationException:
        one the step made in the fault-free run (any LF write when it made none)."""
        rng = self.rng
        services = sorted({s for s, _ in used})
        rules = []
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice(KINDS)
            rule = dict(LOST) if kind == "lost" else {"kind": kind}
            if services and rng.random() < 0.85:
                rule["service"] = rng.choice(services)
                ops = sorted(o for s, o in used if s == rule["service"])
                if rng.random() < 0.6:
                    rule["operation"] = rng.choice(ops)
            # A rule either fires a few times for sure, or forever with a modest probability:
            # never forever for sure, so every step can get through within its attempts.
            if rng.random() < 0.6:
                rule["count"] = rng.randint(1, 6)
                rule["probability"] = rng.choice((1.0, 1.0, 0.5, 0.3))
            else:
                rule["probability"] = rng.choice((0.05, 0.1, 0.2, 0.3))
            if rule["kind"] == "delay":
                rule["delay_ms"] = rng.choice((50, 200, 500, 1000, 2500))
            rules.append(rule)
        if concurrent:
            writes = sorted(o for s, o in used if s == "lakeformation" and o in LF_WRITES) or list(LF_WRITES)
            rule = {"kind": "concurrent", "service": "lakeformation", "operation": rng.choice(writes)}
            # as above: a few times (vend retries its own grants up to 5 times), or forever at a modest rate
            if rng.random() < 0.7:
                rule["count"], rule["probability"] = rng.randint(1, 4), rng.choice((1.0, 1.0, 0.5))
            else:
                rule["probability"] = rng.choice((0.1, 0.2, 0.3))
            rules.append(rule)
        return rules


class RequestLog:
    """Reads the request log incrementally (by seq) and keeps the campaign's counts."""

    def __init__(self, control):
        self.control = control
        self.last_seq = 0
        self.faults = collections.Counter()        # kind -> injected
        self.retried = 0                           # faulted vend requests that vend sent again
        self.automation_faults = 0                 # faults hit by the service action's own calls
        self.requests = 0

    def new_entries(self):
        entries = [e for e in self.control.requests() if e["seq"] > self.last_seq]
        if entries:
            self.last_seq = max(e["seq"] for e in entries)
        return entries

    def skip(self):
        """Passes over what is in the log now (requests that are not the campaign's to count)."""
        self.new_entries()

    def account_attempt(self, entries):
        """Counts one attempt's requests; returns the faults it met."""
        self.requests += len(entries)
        met = 0
        for i, entry in enumerate(entries):
            kind = entry.get("fault")
            if not kind:
                continue
            met += 1
            self.faults[kind] += 1
            if not (entry.get("access_key") or "").startswith(VEND_KEY_PREFIX):
                self.automation_faults += 1
                continue
            if kind != "delay" and _sent_again(entry, entries[i + 1:]):
                self.retried += 1
        return met


def _sent_again(entry, later):
    """The same request (operation, account, key, method, path) appears later in the same
    process's traffic: vend retried it. A poller's next call looks the same, so this counts
    at most one retry per faulted answer and can only overcount polling calls."""
    same = ("service", "operation", "account", "access_key", "method", "path")
    return any(all(e.get(k) == entry.get(k) for k in same) for e in later)


READ_PREFIXES = ("Describe", "List", "Get", "Search", "Head", "Scan")


def mutating(entries):
    """The operations vend sent that change something (anything not a read)."""
    return sorted({f"{e['service']}:{e['operation']}" for e in entries
                   if (e.get("access_key") or "").startswith(VEND_KEY_PREFIX) and e.get("operation")
                   and not e["operation"].startswith(READ_PREFIXES)})


def used_operations(entries):
    """{(service, operation)} of a list of log entries."""
    return {(e["service"], e["operation"]) for e in entries if e.get("service") and e.get("operation")}
