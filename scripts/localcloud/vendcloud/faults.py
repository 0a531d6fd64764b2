"""Fault injection rules.

A rule (JSON, POST /_localcloud/faults):
  {"service": "servicecatalog" | "*",      botocore service name (s3, iam, sts, glue, …)
   "operation": "ProvisionProduct" | "*",  botocore operation name
   "account": "111111111111" | "*",
   "kind": "throttle" | "throttle429" | "error500" | "error503" | "slowdown" | "concurrent" | "delay" | "drop"
           | "malformed" | "empty" | "wrong_content_type" | "missing_fields" | "huge",
   "count": 2,            optional: fire for the next N matching requests, then retire
   "probability": 0.5,    optional (default 1.0)
   "delay_ms": 1500,      for kind=delay (the request then proceeds normally)
   "size_mb": 50,         for kind=huge: the body's size in MiB (default 50)
   "apply": true}         for the answer kinds and drop: run the operation first, then replace
                          its answer or close the connection (a change made whose answer the
                          client cannot read); default false: the operation does not run

AWS behaviour assumed for each kind, per protocol (codes from botocore's retry config):
  throttle    400 ThrottlingException (json, rest-json) / 400 Throttling (query) /
              503 SlowDown (S3, which throttles with SlowDown)
  throttle429 429 TooManyRequestsException (S3: 429 SlowDown)
  error500    500 InternalFailure (json/query) / 500 InternalError (S3)
  error503    503 ServiceUnavailable (S3: 503 ServiceUnavailable)
  slowdown    503 SlowDown (any protocol, S3's real answer)
  concurrent  400 ConcurrentModificationException (any protocol): Lake Formation's (and Glue's)
              refusal of a write that raced another on the same resource; the write may be retried
              (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GrantPermissions.html#API_GrantPermissions_Errors)
  delay       sleeps, then answers normally
  drop        closes the connection without an answer

Hostile answers (HTTP 200 that no AWS service would send; the client must fail clearly, not
crash, hang or read without bound):
  malformed           the start of a plausible answer, cut off, with the protocol's content type
  empty               no body at all, with the protocol's content type
  wrong_content_type  an HTML page (text/html), as a captive portal or proxy answers
  missing_fields      a well-formed answer with nothing in it: {} / <OpResponse><OpResult/>…
  huge                a well-formed answer padded to size_mb MiB, streamed in 1 MiB chunks
"""
import itertools
import random
import threading

ANSWER_KINDS = ("malformed", "empty", "wrong_content_type", "missing_fields", "huge")
KINDS = ("throttle", "throttle429", "error500", "error503", "slowdown", "concurrent", "delay", "drop") + ANSWER_KINDS
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
    allowed = {"service", "operation", "account", "kind", "count", "probability", "delay_ms", "size_mb", "apply", "id"}
    extra = set(rule) - allowed
    if extra:
        raise RuleError(f"unknown rule fields: {', '.join(sorted(extra))}")
    r = {"service": rule.get("service", "*"), "operation": rule.get("operation", "*"),
         "account": rule.get("account", "*"), "kind": kind, "count": rule.get("count"),
         "probability": float(rule.get("probability", 1.0)),
         "delay_ms": int(rule.get("delay_ms", 1000)), "size_mb": float(rule.get("size_mb", 50)),
         "apply": bool(rule.get("apply", False)), "fired": 0}
    if r["size_mb"] <= 0 or r["size_mb"] > 1024:
        raise RuleError("size_mb must be in (0, 1024]")
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
    if kind == "concurrent":
        return 400, "ConcurrentModificationException", "Concurrent modification of the resource; retry the request.", True
    raise ValueError(kind)


_CHUNK = 1 << 20


def hostile_answer(kind, protocol, operation, json_version="1.1", size_mb=50):
    """(status_line, headers, body_iterable) for an answer kind in this protocol family."""
    op = operation or "Unknown"
    if protocol in ("json", "rest-json"):
        ctype = f"application/x-amz-json-{json_version}" if protocol == "json" else "application/json"
        start, fill, end = b'{"Padding": "', b"x", b'"}'
        truncated, empty_object = b'{"' + op.encode() + b'Result": {"Id": "vend-trunc', b"{}"
    elif protocol == "rest-xml":
        ctype = "application/xml"
        head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
        start, fill, end = head + b"<" + op.encode() + b"Output><Padding>", b"x", b"</Padding></" + op.encode() + b"Output>"
        truncated, empty_object = head + b"<" + op.encode() + b"Output><Name>vend-trunc", head + b"<" + op.encode() + b"Output/>"
    else:  # query, ec2
        ctype = "text/xml"
        head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
        response, result = (op + "Response").encode(), (op + "Result").encode()
        start = head + b"<" + response + b"><" + result + b"><Padding>"
        fill, end = b"x", b"</Padding></" + result + b"></" + response + b">"
        truncated = head + b"<" + response + b"><" + result + b"><Arn>arn:aws:vend-trunc"
        empty_object = head + b"<" + response + b"><" + result + b"/></" + response + b">"
    if kind == "malformed":
        body = [truncated]
    elif kind == "empty":
        body = [b""]
    elif kind == "wrong_content_type":
        ctype = "text/html; charset=utf-8"
        body = [b"<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>"
                b"<body><h1>Welcome</h1><p>Accept the terms to continue.</p></body></html>\n"]
    elif kind == "missing_fields":
        body = [empty_object]
    elif kind == "huge":
        total = max(int(size_mb * _CHUNK), len(start) + len(end))
        return "200 OK", [("Content-Type", ctype), ("Content-Length", str(total))], _padded(start, fill, end, total)
    else:
        raise ValueError(kind)
    length = sum(len(b) for b in body)
    return "200 OK", [("Content-Type", ctype), ("Content-Length", str(length))], body


def _padded(start, fill, end, total):
    """Streams start + fill… + end, `total` bytes in all, without holding it in memory."""
    yield start
    left = total - len(start) - len(end)
    chunk = fill * _CHUNK
    while left > 0:
        n = min(left, _CHUNK)
        yield chunk[:n]
        left -= n
    yield end
