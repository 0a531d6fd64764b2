"""Error responses in each AWS protocol's wire format.

AWS behaviour assumed (from botocore's parsers, which are written against the real wire):
- json (awsJson1_0/1_1): body {"__type": Code, "message": ...}, header x-amzn-ErrorType.
- rest-json: same body, x-amzn-ErrorType header carries the code.
- query (IAM, STS, CloudFormation…): <ErrorResponse><Error><Type/><Code/><Message/></Error>
  <RequestId/></ErrorResponse>.
- rest-xml (S3): <Error><Code/><Message/><RequestId/></Error>.
"""
import json
import uuid
from xml.sax.saxutils import escape

REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
           500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
           200: "OK"}


class AwsError(Exception):
    """Raised by our handlers; rendered in the request's protocol."""

    def __init__(self, code, message, status=400, sender=True):
        super().__init__(message)
        self.code, self.message, self.status, self.sender = code, message, status, sender


def render(protocol, status, code, message, sender=True, json_version="1.1", extra_headers=None):
    """Return (status_line, headers, body_bytes)."""
    rid = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", rid), ("x-amz-request-id", rid)]
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": code, "message": message, "Message": message}).encode()
        ctype = f"application/x-amz-json-{json_version}" if protocol == "json" else "application/json"
        headers += [("Content-Type", ctype), ("x-amzn-ErrorType", f"{code}:")]
    elif protocol == "rest-xml":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(code)}</Code>'
                f"<Message>{escape(message)}</Message><RequestId>{rid}</RequestId>"
                f"<HostId>vend-localcloud</HostId></Error>").encode()
        headers.append(("Content-Type", "application/xml"))
    else:  # query, ec2
        kind = "Sender" if sender else "Receiver"
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://vend.local/doc/">'
                f"<Error><Type>{kind}</Type><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
                f"</Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        headers.append(("Content-Type", "text/xml"))
    headers.append(("Content-Length", str(len(body))))
    if extra_headers:
        headers += extra_headers
    return f"{status} {REASONS.get(status, 'Error')}", headers, body


# Per-protocol codes for the common failures (what AWS answers for each protocol family).
AUTH_CODES = {
    # unknown access key id
    "unknown_key": {"json": "UnrecognizedClientException", "rest-json": "UnrecognizedClientException",
                    "query": "InvalidClientTokenId", "rest-xml": "InvalidAccessKeyId"},
    "bad_signature": {"json": "InvalidSignatureException", "rest-json": "InvalidSignatureException",
                      "query": "SignatureDoesNotMatch", "rest-xml": "SignatureDoesNotMatch"},
    "bad_token": {"json": "UnrecognizedClientException", "rest-json": "UnrecognizedClientException",
                  "query": "InvalidClientTokenId", "rest-xml": "InvalidToken"},
    "missing_auth": {"json": "MissingAuthenticationTokenException",
                     "rest-json": "MissingAuthenticationTokenException",
                     "query": "MissingAuthenticationToken", "rest-xml": "AccessDenied"},
    "expired": {"json": "InvalidSignatureException", "rest-json": "InvalidSignatureException",
                "query": "SignatureDoesNotMatch", "rest-xml": "RequestTimeTooSkewed"},
}
AUTH_MESSAGES = {
    "unknown_key": {"query": "The security token included in the request is invalid.",
                    "rest-xml": "The AWS Access Key Id you provided does not exist in our records.",
                    "json": "The security token included in the request is invalid."},
    "bad_signature": {"json": "The request signature we calculated does not match the signature you provided. "
                              "Check your AWS Secret Access Key and signing method. Consult the service "
                              "documentation for details.",
                      "rest-xml": "The request signature we calculated does not match the signature you "
                                  "provided. Check your key and signing method."},
    "bad_token": {"json": "The security token included in the request is invalid."},
    "missing_auth": {"json": "Missing Authentication Token",
                     "rest-xml": "Anonymous access is forbidden for this operation"},
    "expired": {"json": "Signature expired: the request time is too skewed from the server time.",
                "rest-xml": "The difference between the request time and the current time is too large."},
}


def family(protocol):
    return {"ec2": "query", "smithy-rpc-v2-cbor": "json", "cbor": "json"}.get(protocol, protocol)


def auth_error(protocol, kind, json_version="1.1"):
    fam = family(protocol)
    code = AUTH_CODES[kind][fam]
    msgs = AUTH_MESSAGES[kind]
    msg = msgs.get(fam) or msgs.get("json")
    status = 400 if (kind == "expired" and fam != "rest-xml" and False) else 403
    return render(fam, status, code, msg, json_version=json_version)


def validation_code(protocol):
    """AWS's framework code for a request that fails the model's constraints."""
    return {"query": "ValidationError", "rest-xml": "InvalidArgument"}.get(family(protocol),
                                                                          "ValidationException")
