"""The WSGI pipeline around moto's app.

Order per request (AWS's own order, as far as it is observable): authentication (known key,
valid signature, fresh date) -> faults -> model validation -> the operation (our handlers
for Service Catalog and SSM Automation, moto for the rest) -> unimplemented operations
become 501 NotImplemented in the protocol's format (botocore does not retry 501).
"""
import datetime
import io
import json
import logging
import socket
import time
import traceback
from urllib.parse import parse_qsl, unquote

from . import accounts, answers, control, errors, faults, protocol, signature, validation

log = logging.getLogger("vendcloud")


class Ctx:
    """What an extension handler knows about the caller."""

    def __init__(self, account, region, key_id, base_url, op):
        self.account, self.region, self.key_id, self.base_url, self.op = account, region, key_id, base_url, op


def _headers(environ):
    h = {}
    for k, v in environ.items():
        if k.startswith("HTTP_"):
            h[k[5:].replace("_", "-").lower()] = v
    if environ.get("CONTENT_TYPE"):
        h["content-type"] = environ["CONTENT_TYPE"]
    if environ.get("CONTENT_LENGTH"):
        h["content-length"] = environ["CONTENT_LENGTH"]
    return h


def _read_body(environ):
    inp = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        return inp.read()
    try:
        n = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        n = 0
    return inp.read(n) if n > 0 else b""


def _json_default(o):
    if isinstance(o, datetime.datetime):
        return o.timestamp()
    if isinstance(o, bytes):
        import base64
        return base64.b64encode(o).decode()
    return str(o)


class App:
    def __init__(self, moto_app, port):
        self.moto = moto_app
        self.port = port
        self.handlers = []  # callables (op) -> handler(ctx, params) or None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_localcloud"):
            return control.handle(environ, start_response)
        if path.startswith("/moto-api"):
            return self.moto(environ, start_response)
        started = time.time()
        raw = (environ.get("RAW_URI") or environ.get("REQUEST_URI") or path).partition("?")[0]
        entry = {"time": datetime.datetime.now(datetime.timezone.utc).isoformat(), "method":
                 environ["REQUEST_METHOD"], "path": unquote(raw), "service": None, "operation": None,
                 "account": None, "access_key": None, "validation_ok": None, "signature_ok": None, "answer_ok": None,
                 "fault": None, "status": None, "error_code": None,
                 "user_agent": environ.get("HTTP_USER_AGENT", "")[:200]}
        status_box = {}

        def sr(status, headers, exc_info=None):
            status_box["status"] = int(status.split()[0])
            for k, v in headers:
                if k.lower() == "x-amzn-errortype":
                    entry["error_code"] = v.split(":")[0]
            return start_response(status, headers, exc_info)

        try:
            latency = control.CONFIG.get("latency_ms", 0)
            if latency > 0:
                # AWS-like round-trip time, slept before any lock is taken (werkzeug runs each
                # request on its own thread), so concurrent requests wait side by side.
                time.sleep(latency / 1000)
            result = self._handle(environ, sr, entry)
            if result is _DROPPED:
                entry["status"] = "dropped"
                # the socket is shut: werkzeug's write fails with a ConnectionError, which it
                # treats as a dropped connection (no traceback in the log)
                start_response("500 Dropped", [("Content-Length", "0")])
                return [b""]
            return result
        except Exception:
            log.error("unhandled: %s", traceback.format_exc())
            st, hd, body = errors.render("json", 500, "InternalFailure", "local cloud error")
            sr(st, hd)
            return [body]
        finally:
            if entry["status"] is None:
                entry["status"] = status_box.get("status")
            entry["duration_ms"] = round((time.time() - started) * 1000, 1)
            control.log(entry)

    def _reply(self, sr, entry, rendered):
        st, hd, body = rendered
        sr(st, hd)
        code = None
        for k, v in hd:
            if k == "x-amzn-ErrorType":
                code = v.split(":")[0]
        if code is None and body.startswith(b"<?xml") and b"<Code>" in body:
            code = body.split(b"<Code>")[1].split(b"</Code>")[0].decode()
        entry["error_code"] = code
        return [body]

    def _handle(self, environ, sr, entry):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or path
        raw_path, _, _ = raw_uri.partition("?")
        raw_query = environ.get("QUERY_STRING", "")
        query_pairs = parse_qsl(raw_query, keep_blank_values=True)
        headers = _headers(environ)
        body = _read_body(environ)
        environ.pop("HTTP_X_MOTO_ACCOUNT_ID", None)  # never trust a client-chosen account
        info = signature.parse(headers, query_pairs)
        signing_name = info.service if isinstance(info, signature.SigInfo) else None
        op = protocol.identify(signing_name, method, raw_path, query_pairs, headers, body) if signing_name else None
        proto = errors.family(op.protocol) if op else _guess_protocol(headers, query_pairs, body)
        jv = op.json_version if op else "1.1"
        if op:
            entry["service"], entry["operation"] = op.service, op.name
        if info is None or info == "malformed":
            entry["signature_ok"] = False
            return self._reply(sr, entry, errors.auth_error(proto, "missing_auth", jv))
        entry["access_key"] = info.key_id
        found = accounts.lookup(info.key_id)
        if found is None:
            entry["signature_ok"] = False
            return self._reply(sr, entry, errors.auth_error(proto, "unknown_key", jv))
        account, secret, token = found
        entry["account"] = account
        if control.CONFIG["verify_signatures"]:
            if token is not None:
                sent = headers.get("x-amz-security-token") or dict(query_pairs).get("X-Amz-Security-Token")
                if sent != token:
                    entry["signature_ok"] = False
                    return self._reply(sr, entry, errors.auth_error(proto, "bad_token", jv))
            why = signature.check_time(info)
            if why:
                entry["signature_ok"] = False
                if why in ("Signature expired",):
                    return self._reply(sr, entry, errors.auth_error(proto, "expired", jv))
                if proto == "rest-xml" and why == "Request has expired":
                    return self._reply(sr, entry, errors.render("rest-xml", 403, "AccessDenied", why))
                return self._reply(sr, entry, errors.auth_error(proto, "bad_signature", jv))
            ok, why = signature.verify(info, secret, method, raw_path, raw_query, headers, body)
            entry["signature_ok"] = ok
            if not ok:
                if why == "XAmzContentSHA256Mismatch":
                    return self._reply(sr, entry, errors.render(
                        "rest-xml", 400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed."))
                return self._reply(sr, entry, errors.auth_error(proto, "bad_signature", jv))
        accounts.CURRENT.principal = accounts.principal_arn(info.key_id, account)
        # faults
        if op:
            rule = faults.match(op.service, op.name or "*", account)
            if rule:
                entry["fault"] = rule["kind"]
                if rule["kind"] == "delay":
                    time.sleep(rule["delay_ms"] / 1000.0)
                elif rule["kind"] == "drop":
                    if rule["apply"]:
                        # the change is made, then the connection closes: a lost answer as a client
                        # sees it (no status at all), unlike the answer kinds' fabricated 200
                        b"".join(self._operate(environ, lambda status, hdrs, exc_info=None: (lambda data: None), entry,
                                               op, proto, jv, query_pairs, headers, body, account, info, signing_name))
                    sock = environ.get("werkzeug.socket")
                    if sock is not None:
                        try:
                            sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                    return _DROPPED
                elif rule["kind"] in faults.ANSWER_KINDS:
                    if rule["apply"]:
                        # the change is made; only its answer is lost to the client
                        b"".join(self._operate(environ, lambda status, hdrs, exc_info=None: (lambda data: None), entry,
                                               op, proto, jv, query_pairs, headers, body, account, info, signing_name))
                    st, hd, answer = faults.hostile_answer(rule["kind"], proto, op.name, jv, rule["size_mb"])
                    sr(st, hd)
                    entry["error_code"] = None
                    return answer
                else:
                    st, code, msg, sender = faults.error_for(rule["kind"], proto)
                    return self._reply(sr, entry, errors.render(proto, st, code, msg, sender, jv))
        return self._operate(environ, sr, entry, op, proto, jv, query_pairs, headers, body, account, info, signing_name)

    def _operate(self, environ, sr, entry, op, proto, jv, query_pairs, headers, body, account, info, signing_name):
        """Validation, then the operation (our handlers or moto); `sr` receives the answer's status."""
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        if op is None or op.name is None:
            what = f"{signing_name} {method} {path}"
            return self._reply(sr, entry, errors.render(
                proto, 501, "NotImplemented", f"The local cloud does not implement this request ({what})",
                sender=False, json_version=jv))
        # validation
        params = None
        if control.CONFIG["validate"]:
            try:
                params, unknown, skip = protocol.parse_params(op, method, query_pairs, headers, body)
                msg = validation.validate(op, params, unknown, skip, control.CONFIG["reject_unknown_members"])
            except protocol.Unparseable as e:
                code = {"json": "SerializationException", "rest-json": "SerializationException",
                        "rest-xml": "MalformedXML"}.get(proto, "MalformedInput")
                entry["validation_ok"] = False
                return self._reply(sr, entry, errors.render(proto, 400, code, str(e), json_version=jv))
            entry["validation_ok"] = msg is None
            if msg:
                return self._reply(sr, entry, errors.render(proto, 400, errors.validation_code(proto), msg,
                                                            json_version=jv))
        ctx = Ctx(account, info.region, info.key_id, f"http://127.0.0.1:{self.port}", op)
        if op.service == "sts" and op.name == "AssumeRole":
            if params is None:
                params, _, _ = protocol.parse_params(op, method, query_pairs, headers, body)
            caller = accounts.principal_arn(info.key_id, account)
            if not accounts.can_assume(caller, account, str(params.get("RoleArn", "")),
                                       require_role=control.CONFIG.get("strict_assume_role", False)):
                return self._reply(sr, entry, errors.render(
                    proto, 403, "AccessDenied", f"User: {caller} is not authorized to perform: sts:AssumeRole "
                                                f"on resource: {params.get('RoleArn')}", json_version=jv))
        for h in self.handlers:
            fn = h(op)
            if fn is None:
                continue
            if params is None:
                params, _, _ = protocol.parse_params(op, method, query_pairs, headers, body)
            try:
                result = fn(ctx, params)
            except errors.AwsError as e:
                return self._reply(sr, entry, errors.render(proto, e.status, e.code, e.message, e.sender, jv))
            if control.CONFIG["validate"] and not answers.check(entry, op, result or {}) and control.CONFIG["strict_answers"]:
                return self._reply(sr, entry, _misfit(proto, op, entry, jv))
            out = json.dumps(result or {}, default=_json_default).encode()
            sr("200 OK", [("Content-Type", f"application/x-amz-json-{jv}"), ("Content-Length", str(len(out))),
                          ("x-amzn-RequestId", "vend-" + str(entry.get("seq", "")))])
            return [out]
        # moto
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = account
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("wsgi.input_terminated", None)
        captured = {}

        def capture(status, hdrs, exc_info=None):
            captured["status"], captured["headers"] = status, hdrs
            return lambda data: None

        try:
            it = self.moto(environ, capture)
            chunks = b"".join(it)
            if hasattr(it, "close"):
                it.close()
        except NotImplementedError as e:
            return self._reply(sr, entry, errors.render(
                proto, 501, "NotImplemented",
                f"{op.service}:{op.name} is not implemented by the local cloud ({e})", sender=False,
                json_version=jv))
        status = int(captured["status"].split()[0])
        ctype = dict((k.lower(), v) for k, v in captured["headers"]).get("content-type", "")
        # A HEAD answer has no body: moto's 404 for a missing bucket or key is real, not "unimplemented".
        if status in (404, 405, 500) and "text/html" in ctype and method != "HEAD":
            return self._reply(sr, entry, errors.render(
                proto, 501, "NotImplemented",
                f"{op.service}:{op.name} is not implemented by the local cloud", sender=False, json_version=jv))
        if status >= 400:
            entry["error_code"] = _error_code(chunks)
        elif control.CONFIG["validate"] and proto in ("json", "rest-json") and chunks[:1] == b"{":
            if not answers.check(entry, op, json.loads(chunks)) and control.CONFIG["strict_answers"]:
                return self._reply(sr, entry, _misfit(proto, op, entry, jv))
        elif control.CONFIG["validate"] and op is not None and op.protocol in ("query", "rest-xml") and method != "HEAD":
            if not answers.check_xml(entry, op, chunks) and control.CONFIG["strict_answers"]:
                return self._reply(sr, entry, _misfit(proto, op, entry, jv))
        sr(captured["status"], captured["headers"])
        return [chunks]


_DROPPED = object()


def _misfit(proto, op, entry, jv):
    """The error that replaces an answer not fitting botocore's output shape (strict_answers)."""
    return errors.render(proto, 500, "InternalFailure",
                         f"local cloud: its answer to {op.service} {op.name} does not fit botocore's output shape "
                         f"({entry.get('answer_problem')}) — fix the local cloud (vendcloud), or set strict_answers "
                         f"false to receive the answer anyway", sender=False, json_version=jv)


def _guess_protocol(headers, query_pairs, body):
    """For requests without SigV4 (anonymous, SigV2): answer in the format the client expects."""
    if "x-amz-target" in headers:
        return "json"
    if any(k == "Action" for k, _ in query_pairs) or body.startswith(b"Action="):
        return "query"
    if headers.get("content-type", "").startswith("application/json"):
        return "rest-json"
    return "rest-xml"  # S3, the usual anonymous / SigV2 caller


def _error_code(body):
    try:
        if body[:1] == b"{":
            return json.loads(body).get("__type", "").rpartition("#")[2] or None
        if b"<Code>" in body:
            return body.split(b"<Code>")[1].split(b"</Code>")[0].decode()
    except Exception:
        pass
    return None
