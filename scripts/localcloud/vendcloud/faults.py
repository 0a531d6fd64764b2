"""Fault injection rules.

A rule (JSON, POST /_localcloud/faults):
  {"service": "servicecatalog" | "*",      botocore service name (s3, iam, sts, glue, …)
   "operation": "ProvisionProduct" | "*",  botocore operation name
   "account": "111111111111" | "*",
   "kind": "throttle" | "throttle429" | "error500" | "error503" | "slowdown" | "delay" | "drop",
   "count": 2,            optional: fire for the next N matching requests, then retire
   "probability": 0.5,    optional (default 1.0)
   "delay_ms": 1500}      for kind=delay (the request then proceeds normally)

AWS behaviour assumed for each kind, per protocol (codes from botocore's retry config):
  throttle    400 ThrottlingException (json, rest-json) / 400 Throttling (query) /
              503 SlowDown (S3, which throttles with SlowDown)
  throttle429 429 TooManyRequestsException (S3: 429 SlowDown)
  error500    500 InternalFailure (json/query) / 500 InternalError (S3)
  error503    503 ServiceUnavailable (S3: 503 ServiceUnavailable)
  slowdown    503 SlowDown (any protocol, S3's real answer)
  delay       sleeps, then answers normally
  drop        closes the connection without an answer
"""
import itertools
import random
import threading

KINDS = ("throttle", "throttle429", "error500", "error503", "slowdown", "delay", "drop")
_rules = []
_ids = itertools.count(1)
_lock = threading.Lock()


class RuleError(ValueError):
    pass


def add(rule):
    if not isinstance(rule, dict):
        raise RuleError("a rule is a JSON object")
    kind = rule.get("kind")
    if kind not in KINDS:
        raise RuleError(f"kind must be one of {', '.join(KINDS)}")
    allowed = {"service", "operation", "account", "kind", "count", "probability", "delay_ms", "id"}
    extra = set(rule) - allowed
    if extra:
        raise RuleError(f"unknown rule fields: {', '.join(sorted(extra))}")
    r = {"service": rule.get("service", "*"), "operation": rule.get("operation", "*"),
         "account": rule.get("account", "*"), "kind": kind, "count": rule.get("count"),
         "probability": float(rule.get("probability", 1.0)),
         "delay_ms": int(rule.get("delay_ms", 1000)), "fired": 0}
    with _lock:
        r["id"] = str(next(_ids))
        _rules.append(r)
    return dict(r)


def remove(rule_id=None):
    with _lock:
        if rule_id is None:
            n = len(_rules)
            _rules.clear()
            return n
        before = len(_rules)
        _rules[:] = [r for r in _rules if r["id"] != rule_id]
        return before - len(_rules)


def listing():
    with _lock:
        return [dict(r) for r in _rules]


def match(service, operation, account):
    """Return the rule that fires for this request (consuming its count), or None."""
    with _lock:
        for r in _rules:
            if r["service"] not in ("*", service):
                continue
            if r["operation"] not in ("*", operation):
                continue
            if r["account"] not in ("*", account):
                continue
            if r["count"] is not None and r["fired"] >= r["count"]:
                continue
            if r["probability"] < 1.0 and random.random() >= r["probability"]:
                continue
            r["fired"] += 1
            return dict(r)
    return None


def error_for(kind, protocol):
    """(status, code, message, sender) for an error kind in this protocol family."""
    s3 = protocol == "rest-xml"
    query = protocol in ("query", "ec2")
    if kind == "throttle":
        if s3:
            return 503, "SlowDown", "Please reduce your request rate.", False
        return 400, "Throttling" if query else "ThrottlingException", "Rate exceeded", True
    if kind == "throttle429":
        if s3:
            return 429, "SlowDown", "Please reduce your request rate.", False
        return 429, "TooManyRequestsException", "Too Many Requests", True
    if kind == "error500":
        return 500, "InternalError" if s3 else "InternalFailure", \
            "We encountered an internal error. Please try again.", False
    if kind == "error503":
        return 503, "ServiceUnavailable", "Service is unable to handle request.", False
    if kind == "slowdown":
        return 503, "SlowDown", "Please reduce your request rate.", False
    raise ValueError(kind)
