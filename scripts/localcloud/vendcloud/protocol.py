"""Which AWS service and operation a request is, and its parameters as botocore would
have serialized them (so they can be validated against the service model).

AWS behaviour assumed: the SigV4 credential scope names the signing service; JSON
services name the operation in X-Amz-Target, Query services in Action, REST services by
method + requestUri (S3 sends ?x-id=Op for ambiguous routes, as botocore does).
"""
import base64
import json
import re
import threading
from urllib.parse import parse_qsl, unquote

import botocore.session

_session = botocore.session.get_session()
_models = {}
_lock = threading.Lock()

# signing name -> botocore service name, where they differ
SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "states": "stepfunctions", "email": "ses",
                      "execute-api": "apigateway", "elasticloadbalancing": "elbv2"}


class Op:
    """The identified request."""

    def __init__(self, service, model, name, protocol, labels=None):
        self.service, self.model, self.name, self.protocol = service, model, name, protocol
        self.labels = labels or {}

    @property
    def operation_model(self):
        return self.model.operation_model(self.name) if self.name else None

    @property
    def json_version(self):
        return self.model.metadata.get("jsonVersion", "1.1")


def service_model(signing_name):
    name = SIGNING_TO_SERVICE.get(signing_name, signing_name)
    with _lock:
        if name not in _models:
            try:
                _models[name] = _session.get_service_model(name)
            except Exception:
                _models[name] = None
        return _models[name]


def _protocol(model):
    p = model.metadata.get("protocol")
    protos = model.metadata.get("protocols") or []
    if p not in ("json", "rest-json", "rest-xml", "query", "ec2") and protos:
        for cand in ("json", "rest-json", "rest-xml", "query"):
            if cand in protos:
                return cand
    if p == "smithy-rpc-v2-cbor" and "json" in protos:
        return "json"
    return p


_rest_cache = {}


def _rest_routes(model):
    key = model.service_name
    if key in _rest_cache:
        return _rest_cache[key]
    routes = []
    for opname in model.operation_names:
        http = model.operation_model(opname).http
        uri = http.get("requestUri", "/")
        path, _, query = uri.partition("?")
        literal_len = len(re.sub(r"{[^}]*}", "", path))
        regex = "^"
        for part in re.split(r"({[^}]*})", path):
            if part.startswith("{"):
                label = part[1:-1]
                if label.endswith("+"):
                    regex += f"(?P<{label[:-1]}>.+)"
                else:
                    regex += f"(?P<{label}>[^/]+)"
            else:
                regex += re.escape(part)
        if path.endswith("/") and path != "/":
            regex += "?"
        regex += "$"
        qreq = dict(parse_qsl(query, keep_blank_values=True)) if query else {}
        # required members carried in the query string or headers also tell routes apart
        # (S3 PutObject vs CopyObject: x-amz-copy-source; UploadPart: partNumber/uploadId)
        req_q, req_h = [], []
        ishape = model.operation_model(opname).input_shape
        if ishape is not None:
            for mname in ishape.required_members:
                ms = ishape.members[mname]
                loc = ms.serialization.get("location")
                if loc == "querystring":
                    req_q.append(ms.serialization.get("name", mname))
                elif loc == "header":
                    req_h.append(ms.serialization.get("name", mname).lower())
        # A deprecated operation on the same route as its successor (S3 GetBucketLifecycle and
        # GetBucketLifecycleConfiguration, both GET /{Bucket}?lifecycle) loses the tie: the two
        # are one request on the wire, and AWS answers it in the successor's shape.
        current = not model.operation_model(opname).deprecated
        routes.append((opname, http.get("method", "POST"), re.compile(regex), qreq, literal_len,
                       req_q, req_h, current))
    _rest_cache[key] = routes
    return routes


def match_rest(model, method, path, query_pairs, headers=None):
    headers = headers or {}
    qkeys = dict(query_pairs)
    best, best_score = None, None
    # S3: path style: "/" alone is ListBuckets; trailing slash after bucket is tolerated
    for opname, m, regex, qreq, literal_len, req_q, req_h, current in _rest_routes(model):
        if m != method:
            continue
        mt = regex.match(path)
        if not mt:
            continue
        ok = True
        score = 0
        for k, v in qreq.items():
            if k == "x-id":
                if k in qkeys:
                    if qkeys[k] != v:
                        ok = False
                    else:
                        score += 100
                continue
            if k not in qkeys or (v and qkeys[k] != v):
                ok = False
                break
            score += 10
        if not ok or any(k not in qkeys for k in req_q) or any(h not in headers for h in req_h):
            continue
        score += 5 * (len(req_q) + len(req_h))
        score = (score, literal_len, -len(mt.groupdict()), current)
        if best_score is None or score > best_score:
            best, best_score = (opname, {k: unquote(v) for k, v in mt.groupdict().items()}), score
    return best


def identify(signing_name, method, path, query_pairs, headers, body):
    """Return Op (name None if the operation cannot be named) or None for an unknown service."""
    model = service_model(signing_name)
    if model is None:
        return None
    proto = _protocol(model)
    if "/operation/" in path and headers.get("smithy-protocol") == "rpc-v2-cbor":
        # Smithy RPC v2 CBOR (botocore's first choice for e.g. CloudWatch): operation in the path;
        # the CBOR body is passed to moto unvalidated.
        name = path.rsplit("/operation/", 1)[1]
        return Op(model.service_name, model, name if name in model.operation_names else None, "cbor")
    if proto == "json":
        target = headers.get("x-amz-target", "")
        name = target.rpartition(".")[2] if target else None
        if name not in model.operation_names:
            name = None
        return Op(model.service_name, model, name, "json")
    if proto in ("query", "ec2"):
        params = dict(query_pairs)
        if method == "POST" and body:
            try:
                params.update(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))
            except UnicodeDecodeError:
                pass
        name = params.get("Action")
        if name not in model.operation_names:
            name = None
        return Op(model.service_name, model, name, proto)
    found = match_rest(model, method, path, query_pairs, headers)
    if not found:
        return Op(model.service_name, model, None, proto)
    return Op(model.service_name, model, found[0], proto, found[1])


# ---------------------------------------------------------------------------------------
# parameters

class Unparseable(Exception):
    pass


def _scalar(shape, raw):
    t = shape.type_name
    try:
        if t in ("integer", "long"):
            return int(raw)
        if t in ("float", "double"):
            return float(raw)
        if t == "boolean":
            if raw.lower() not in ("true", "false"):
                return raw
            return raw.lower() == "true"
        if t == "blob":
            return base64.b64decode(raw) if raw else b""
    except (ValueError, TypeError):
        return raw  # the validator reports the wrong type
    return raw


def _query_value(shape, prefix, form, used):
    t = shape.type_name
    if t == "structure":
        out = {}
        for mname, mshape in shape.members.items():
            key = f"{prefix}.{mshape.serialization.get('name', mname)}" if prefix else \
                mshape.serialization.get("name", mname)
            v = _query_value(mshape, key, form, used)
            if v is not None:
                out[mname] = v
        return out if (out or not prefix) else None
    if t == "list":
        if shape.serialization.get("flattened"):
            base = prefix
            name = shape.member.serialization.get("name")
            if name and "." in prefix:
                base = prefix.rsplit(".", 1)[0] + "." + name
        else:
            base = prefix + "." + shape.member.serialization.get("name", "member")
        if prefix in form and form[prefix] == "":
            used.add(prefix)
            return []
        items, i = [], 1
        while True:
            key = f"{base}.{i}"
            if not any(k == key or k.startswith(key + ".") for k in form):
                break
            items.append(_query_value(shape.member, key, form, used))
            i += 1
        return items if items else None
    if t == "map":
        base = prefix if shape.serialization.get("flattened") else prefix + ".entry"
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out, i = {}, 1
        while f"{base}.{i}.{kname}" in form:
            used.add(f"{base}.{i}.{kname}")
            out[form[f"{base}.{i}.{kname}"]] = _query_value(shape.value, f"{base}.{i}.{vname}", form, used)
            i += 1
        return out if out else None
    if prefix in form:
        used.add(prefix)
        return _scalar(shape, form[prefix])
    return None


def _drop_nulls(v):
    """AWS JSON protocols treat a member sent as null like an absent one."""
    if isinstance(v, dict):
        return {k: _drop_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_drop_nulls(x) for x in v]
    return v


def _parse_xml(shape, body):
    from botocore.parsers import RestXMLParser
    parser = RestXMLParser()
    root = parser._parse_xml_string_to_dom(body)
    return parser._parse_shape(shape, root)


def parse_params(op, method, query_pairs, headers, body):
    """Return (params, unknown_names, skip_prefixes).

    skip_prefixes: parameter names whose content cannot be checked here (S3 XML bodies)."""
    om = op.operation_model
    shape = om.input_shape
    if shape is None or op.protocol == "cbor":
        return {}, [], []
    if op.protocol == "json":
        if not body:
            return {}, [], []
        try:
            params = json.loads(body)
        except ValueError:
            raise Unparseable("Request body is not valid JSON")
        if not isinstance(params, dict):
            raise Unparseable("Request body must be a JSON object")
        return _drop_nulls(params), [], []
    if op.protocol in ("query", "ec2"):
        form = dict(query_pairs)
        if method == "POST" and body:
            form.update(dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)))
        used = set()
        params = _query_value(shape, "", form, used) or {}
        unknown = [k for k in form if k not in used and k not in ("Action", "Version")
                   and not k.startswith("X-Amz-") and not k.startswith("AWSAccessKeyId")]
        return params, unknown, []
    # rest-json / rest-xml
    params, skip = {}, []
    qd = {}
    for k, v in query_pairs:
        qd.setdefault(k, []).append(v)
    body_members = {}
    payload = shape.serialization.get("payload")
    for mname, mshape in shape.members.items():
        loc = mshape.serialization.get("location")
        lname = mshape.serialization.get("name", mname)
        if loc == "uri":
            if lname in op.labels:
                params[mname] = _scalar(mshape, op.labels[lname])
        elif loc == "querystring":
            if mshape.type_name == "list" and lname in qd:
                params[mname] = [_scalar(mshape.member, v) for v in qd[lname]]
            elif mshape.type_name == "map":
                rest = {k: v[0] for k, v in qd.items()}
                if rest:
                    params[mname] = rest
            elif lname in qd:
                params[mname] = _scalar(mshape, qd[lname][0])
        elif loc == "header":
            if lname.lower() in headers:
                val = headers[lname.lower()]
                if mshape.type_name == "list":
                    params[mname] = [v.strip() for v in val.split(",")]
                elif mshape.type_name == "timestamp" or mshape.serialization.get("jsonvalue"):
                    params[mname] = val
                else:
                    params[mname] = _scalar(mshape, val)
        elif loc == "headers":
            pre = lname.lower()
            vals = {k[len(pre):]: v for k, v in headers.items() if k.startswith(pre)}
            if vals:
                params[mname] = vals
        else:
            body_members[mname] = mshape
    if payload:
        pshape = shape.members[payload]
        if pshape.type_name in ("blob", "string"):
            if body:
                params[payload] = body if pshape.type_name == "blob" else body.decode("utf-8", "replace")
        elif op.protocol == "rest-json":
            if body:
                try:
                    params[payload] = json.loads(body)
                except ValueError:
                    raise Unparseable("Request body is not valid JSON")
        elif body:
            # S3 XML payloads: parsed with botocore's own REST-XML parser against the shape
            try:
                params[payload] = _parse_xml(pshape, body)
            except Exception:
                raise Unparseable("The XML you provided was not well-formed or did not validate against "
                                  "our published schema")
    elif body_members:
        if op.protocol == "rest-json":
            if body:
                try:
                    data = json.loads(body)
                except ValueError:
                    raise Unparseable("Request body is not valid JSON")
                if not isinstance(data, dict):
                    raise Unparseable("Request body must be a JSON object")
                for k, v in _drop_nulls(data).items():
                    params[k] = v  # unknown keys reach the validator
        else:
            skip.extend(body_members)
    return params, [], skip
