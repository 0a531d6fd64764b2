"""The control endpoint /_localcloud/… (unauthenticated; bound to 127.0.0.1 only) and the
request log.

  GET    /_localcloud/health                      {"ok": true, "port": N, "pid": N, "accounts": {...}}
  GET    /_localcloud/config                      {"validate": true, "verify_signatures": true,
                                                   "reject_unknown_members": true,
                                                   "strict_assume_role": false,
                                                   "strict_answers": true,
                                                   "enforce_principal_associations": true,
                                                   "async_seconds": 0.5,
                                                   "latency_ms": 0}
  POST   /_localcloud/config   {partial config}   -> the new config
        strict_answers: an answer (JSON or XML) that does not fit botocore's output shape (answers.py)
        is replaced by a 500 InternalFailure naming the problem, so no client takes it for
        AWS's; false only logs it (answer_ok false in the request log).
        latency_ms: each AWS request is held this long before it is answered, outside every
        lock, so requests in flight together overlap as they do against AWS (whose answers
        take tens of milliseconds each); 0 (the default) answers as fast as moto can.
        athena_state_ms: an Athena query stays this long QUEUED and at least this long RUNNING
        (vendcloud/athena.py), so clients poll as against AWS; default 50.
  GET    /_localcloud/faults                      {"rules": [rule…]}
  POST   /_localcloud/faults   rule | {"rules": [rule…]}   -> {"rules": [added…]}
  DELETE /_localcloud/faults                      {"removed": n}
  DELETE /_localcloud/faults/<id>                 {"removed": 0|1}
  GET    /_localcloud/requests[?service=&operation=&account=&status=]
                                                  {"requests": [entry…]}
  DELETE /_localcloud/requests                    {"cleared": n}
  GET    /_localcloud/stack-calls[?service=&operation=&account=&stack=&logical_id=]
                                                  {"calls": [call…]}: the service calls CloudFormation
                                                  made for stack operations (cfn_update.py)
  DELETE /_localcloud/stack-calls                 {"cleared": n}
  POST   /_localcloud/reset                       empties every account, re-seeds the keys,
                                                  clears faults, the request log and the stack-call log
A log entry: {"seq", "time", "service", "operation", "account", "access_key", "method",
"path", "status", "error_code", "validation_ok", "signature_ok", "answer_ok", "fault",
"duration_ms", "user_agent"} (the client's User-Agent, first 200 characters: tells vend's calls
from a test's CLI), and "answer_problem" when answer_ok is false (answers.py: a JSON or XML answer that
does not fit botocore's output shape). validation_ok / signature_ok / answer_ok are null when
the check did not run.
A stack call (a call CloudFormation made to a service for a stack -- CloudTrail shows such calls
with invokedBy cloudformation.amazonaws.com; they are not requests, so not in the request log):
{"seq", "time", "service", "operation" (the AWS operation), "account", "principal" (the role
the stack acts as, else its caller), "stack", "stack_id", "logical_id", "args" (the backend
call's arguments, JSON, cut at 600 characters), "error" (null, or the error it raised)}.
"""
import collections
import os
import json
import threading
from urllib.parse import parse_qsl

from . import accounts, faults

CONFIG = {"validate": True, "verify_signatures": True, "reject_unknown_members": True,
          "strict_assume_role": False, "strict_answers": True, "latency_ms": 0.0,
          "athena_state_ms": 50.0}
_log = collections.deque(maxlen=20000)
_stack_calls = collections.deque(maxlen=20000)
_seq = [0]
_lock = threading.Lock()
PORT = [0]


def log(entry):
    with _lock:
        _seq[0] += 1
        entry["seq"] = _seq[0]
        _log.append(entry)


def clear_log():
    with _lock:
        n = len(_log)
        _log.clear()
        return n


def log_stack_call(entry):
    with _lock:
        _seq[0] += 1
        entry["seq"] = _seq[0]
        _stack_calls.append(entry)


def clear_stack_calls():
    with _lock:
        n = len(_stack_calls)
        _stack_calls.clear()
        return n


def _json(start_response, status, obj):
    body = json.dumps(obj, default=str).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def full_reset():
    from moto.moto_api._internal.models import moto_api_backend
    moto_api_backend.reset()  # wrapped by accounts.install_reset_hook
    faults.remove()
    clear_log()
    clear_stack_calls()


def handle(environ, start_response):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "")[len("/_localcloud"):].rstrip("/")
    q = dict(parse_qsl(environ.get("QUERY_STRING", "")))
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        return _json(start_response, "400 Bad Request", {"error": "body is not JSON"})
    if path == "/health":
        return _json(start_response, "200 OK", {"ok": True, "port": PORT[0], "pid": os.getpid(),
                                                     "accounts": accounts.ACCOUNTS})
    if path == "/config":
        if method == "POST":
            for k, v in body.items():
                if k not in CONFIG:
                    return _json(start_response, "400 Bad Request", {"error": f"unknown setting {k}"})
                try:
                    value = bool(v) if isinstance(CONFIG[k], bool) else float(v)
                except (TypeError, ValueError):
                    return _json(start_response, "400 Bad Request", {"error": f"bad value for {k}"})
                if not isinstance(value, bool) and not 0 <= value <= 60_000:
                    return _json(start_response, "400 Bad Request", {"error": f"{k} must be between 0 and 60000"})
                CONFIG[k] = value
        return _json(start_response, "200 OK", CONFIG)
    if path == "/faults":
        if method == "GET":
            return _json(start_response, "200 OK", {"rules": faults.listing()})
        if method == "POST":
            rules = body.get("rules", [body]) if isinstance(body, dict) else body
            try:
                added = [faults.add(r) for r in rules]
            except faults.RuleError as e:
                return _json(start_response, "400 Bad Request", {"error": str(e)})
            return _json(start_response, "200 OK", {"rules": added})
        if method == "DELETE":
            return _json(start_response, "200 OK", {"removed": faults.remove()})
    if path.startswith("/faults/") and method == "DELETE":
        return _json(start_response, "200 OK", {"removed": faults.remove(path.split("/")[-1])})
    if path == "/requests":
        if method == "DELETE":
            return _json(start_response, "200 OK", {"cleared": clear_log()})
        with _lock:
            entries = list(_log)
        for k in ("service", "operation", "account", "status"):
            if k in q:
                entries = [e for e in entries if str(e.get(k)) == q[k]]
        return _json(start_response, "200 OK", {"requests": entries})
    if path == "/stack-calls":
        if method == "DELETE":
            return _json(start_response, "200 OK", {"cleared": clear_stack_calls()})
        with _lock:
            calls = list(_stack_calls)
        for k in ("service", "operation", "account", "stack", "logical_id"):
            if k in q:
                calls = [c for c in calls if str(c.get(k)) == q[k]]
        return _json(start_response, "200 OK", {"calls": calls})
    if path == "/reset" and method == "POST":
        full_reset()
        return _json(start_response, "200 OK", {"reset": True})
    return _json(start_response, "404 Not Found", {"error": f"no control route {method} {path}"})
