"""SigV4 verification by recomputing the signature with botocore's signer.

AWS behaviour assumed (SigV4 spec): the canonical request uses exactly the SignedHeaders,
the Host as received (with its port), the path as sent (non-S3 services encode it once
more, S3 does not), the query re-encoded with RFC 3986 unreserved characters and sorted,
and the payload hash (S3: the x-amz-content-sha256 header, which must match the body
unless it is UNSIGNED-PAYLOAD / STREAMING-*). A request more than 15 minutes off the
server clock is refused. Presigned (query) requests are checked the same way with
X-Amz-Signature removed from the query.
"""
import datetime
import hashlib
import hmac
import re
from urllib.parse import quote, unquote

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTH_RX = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+),\s*SignedHeaders=(?P<sh>[^,\s]+),"
    r"\s*Signature=(?P<sig>[0-9a-f]+)")


class SigInfo:
    def __init__(self, key_id, date, region, service, signed_headers, signature, amz_date,
                 presigned=False, expires=None):
        self.key_id, self.date, self.region, self.service = key_id, date, region, service
        self.signed_headers, self.signature, self.amz_date = signed_headers, signature, amz_date
        self.presigned, self.expires = presigned, expires


def parse(headers, query_pairs):
    """Return SigInfo, or None when the request carries no SigV4 auth."""
    auth = headers.get("authorization", "")
    if auth:
        m = AUTH_RX.match(auth.strip())
        if not m:
            return "malformed"
        parts = m.group("cred").split("/")
        if len(parts) != 5:
            return "malformed"
        return SigInfo(parts[0], parts[1], parts[2], parts[3], m.group("sh").split(";"),
                       m.group("sig"), headers.get("x-amz-date") or "")
    q = dict(query_pairs)
    if q.get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256":
        parts = q.get("X-Amz-Credential", "").split("/")
        if len(parts) != 5:
            return "malformed"
        return SigInfo(parts[0], parts[1], parts[2], parts[3],
                       q.get("X-Amz-SignedHeaders", "host").split(";"), q.get("X-Amz-Signature", ""),
                       q.get("X-Amz-Date", ""), presigned=True, expires=q.get("X-Amz-Expires"))
    return None


class _Exact:
    """Mixin: sign exactly the received SignedHeaders and the received query."""
    signed = ()
    raw_query = ""

    def headers_to_sign(self, request):
        from botocore.awsrequest import HTTPHeaders
        hm = HTTPHeaders()
        for name in self.signed:
            hm[name] = request.headers.get(name, "")
        return hm

    def canonical_query_string(self, request):
        pairs = []
        for pair in self.raw_query.split("&") if self.raw_query else []:
            k, _, v = pair.partition("=")
            k, v = unquote(k), unquote(v)
            if k == "X-Amz-Signature":
                continue
            pairs.append((quote(k, safe="-_.~"), quote(v, safe="-_.~")))
        return "&".join(f"{k}={v}" for k, v in sorted(pairs))


class _V4(_Exact, SigV4Auth):
    pass


class _S3V4(_Exact, S3SigV4Auth):
    pass


def check_time(info, now=None):
    """Return None or a reason string when the request time is not acceptable."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        t = datetime.datetime.strptime(info.amz_date, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        return "missing or malformed X-Amz-Date"
    if info.amz_date[:8] != info.date:
        return "credential scope date does not match X-Amz-Date"
    if info.presigned:
        try:
            if now > t + datetime.timedelta(seconds=int(info.expires or 0)):
                return "Request has expired"
        except ValueError:
            return "malformed X-Amz-Expires"
    elif abs((now - t).total_seconds()) > 15 * 60:
        return "Signature expired"
    return None


def verify(info, secret, method, raw_path, raw_query, headers, body):
    """Return (ok, reason)."""
    is_s3 = info.service == "s3"
    cls = _S3V4 if is_s3 else _V4
    signer = cls(Credentials(info.key_id, secret), info.service, info.region)
    signer.signed = [h.lower() for h in info.signed_headers]
    signer.raw_query = raw_query
    req_headers = {h: headers.get(h, "") for h in signer.signed}
    host = headers.get("host", "")
    url = f"http://{host}{raw_path}"
    req = AWSRequest(method=method, url=url, headers=req_headers, data=body)
    req.context["timestamp"] = info.amz_date
    sha_header = headers.get("x-amz-content-sha256")
    if info.presigned:
        payload = "UNSIGNED-PAYLOAD" if is_s3 else hashlib.sha256(body or b"").hexdigest()
    elif sha_header:
        payload = sha_header
        if is_s3 and not (sha_header.startswith("UNSIGNED") or sha_header.startswith("STREAMING")):
            if sha_header != hashlib.sha256(body or b"").hexdigest():
                return False, "XAmzContentSHA256Mismatch"
    else:
        payload = hashlib.sha256(body or b"").hexdigest()
    canonical = "\n".join([
        method.upper(),
        signer._normalize_url_path(raw_path),
        signer.canonical_query_string(req),
        signer.canonical_headers(signer.headers_to_sign(req)) + "\n",
        signer.signed_headers(signer.headers_to_sign(req)),
        payload,
    ])
    sts = signer.string_to_sign(req, canonical)
    expected = signer.signature(sts, req)
    if hmac.compare_digest(expected, info.signature):
        return True, None
    return False, "SignatureDoesNotMatch"
