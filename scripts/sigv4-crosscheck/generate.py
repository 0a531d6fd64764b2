#!/usr/bin/env python3
"""Signs thousands of generated requests with botocore's SigV4 signer (pinned in
scripts/requirements.txt) and writes them as a JSON fixture that vend's Swift signer must
reproduce exactly (Tests/AWSSigV4Tests/Fixtures/botocore-crosscheck.json).

Inputs are raw (unencoded) paths and query pairs; the expected encoded path and query are
what the request must put on the wire. Bodies are described, not stored, to keep the file
small: `body` is a seed text repeated up to `bodyLength` bytes.

Run: source scripts/lib/venv.sh && python scripts/sigv4-crosscheck/generate.py
Check (CI): python scripts/sigv4-crosscheck/generate.py --check   (exit 1 when the fixture is stale)
"""
import datetime
import json
import random
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import quote, urlsplit

import botocore
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SEED = 20260101
COUNT = 2500
OUT = Path(__file__).resolve().parents[2] / "Tests/AWSSigV4Tests/Fixtures/botocore-crosscheck.json"


class UnsignedS3Auth(S3SigV4Auth):
    """S3 with UNSIGNED-PAYLOAD, as botocore does over TLS for checksummed uploads."""

    def _should_sha256_sign_payload(self, request):
        return False


SEGMENTS = [
    "a", "bucket", "key.txt", "my key", "a+b", "c=d", "e&f", "100%", "~tilde", "ሴ", "é", "日本語",
    "😀", "", ".", "..", "semi;colon", "comma,", "quote'", "paren()", "star*", "bang!", "at@",
    "dollar$", "hash#", "question?", "colon:", "plus+plus", "space  two", "-_.~", "UPPER", "%2F",
    "back\\slash", "tab\t", "[brackets]", "{braces}", "caret^", "pipe|", "<lt>", "`tick`",
]
QUERY_TEXT = [
    "", "v", "value1", "a b", "a+b", "x=y", "&", "ሴ", "é", "😀", "-._~", "%20", "/slash/",
    "Action", "2010-05-08", "uploads", "max-keys", "prefix", "J", "1", "*", "a,b", "dup",
]
HEADER_NAMES = [
    "Content-Type", "X-Amz-Target", "X-Amz-Meta-Owner", "My-Header1", "my-header2", "Range",
    "Content-MD5", "X-Amz-Storage-Class", "User-Agent", "x-amz-acl", "X-Amz-Checksum-Sha256",
    "Accept", "X-Amz-Expected-Bucket-Owner", "x-amz-server-side-encryption",
]
HEADER_VALUES = [
    "value1", "  padded  ", "a   b   c", "application/x-amz-json-1.1", "\tTabbed\tvalue ",
    "bytes=0-9", "AWS242ServiceCatalogService.DescribeProduct", "\"quoted  value\"", "x", "",
    "UPPER lower", "application/x-www-form-urlencoded; charset=utf-8",
]
HOSTS = [
    ("https", "example.amazonaws.com"), ("https", "sts.us-east-1.amazonaws.com"),
    ("http", "localhost:4566"), ("http", "127.0.0.1:8080"), ("https", "examplebucket.s3.amazonaws.com"),
    ("https", "s3.eu-west-1.amazonaws.com"), ("https", "servicecatalog.us-gov-west-1.amazonaws.com"),
]
SERVICES = ["service", "sts", "servicecatalog", "ssm", "iam", "cloudformation", "glue", "lakeformation"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]
TOKENS = [None, "AQoDYXdzEPT//////////wEXAMPLEtoken+with/slashes==", "FQoGZXIvYXdzEBYaD short token"]
DATES = [datetime.datetime(2015, 8, 30, 12, 36, 0), datetime.datetime(2026, 1, 2, 3, 4, 5),
         datetime.datetime(2024, 2, 29, 23, 59, 59)]
BODY_SEEDS = ["", "Param1=value1", "{\"Name\":\"ሴ\"}", "<xml>payload</xml>", "0123456789abcdef"]


def body_bytes(seed, length):
    if not seed or length == 0:
        return b""
    raw = seed.encode("utf-8")
    return (raw * (length // len(raw) + 1))[:length]


def make_case(rng, index):
    s3 = rng.random() < 0.4
    scheme, host = rng.choice(HOSTS)
    segments = [rng.choice(SEGMENTS) for _ in range(rng.randint(0, 5))]
    path = "/" + "/".join(segments)
    if rng.random() < 0.2:
        path += "/"
    query = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
        name = rng.choice(QUERY_TEXT) or "k"
        query.append([name, rng.choice(QUERY_TEXT)])
    if query and rng.random() < 0.3:
        query.append([query[0][0], rng.choice(QUERY_TEXT)])  # repeated key
    headers = []
    for _ in range(rng.randint(0, 4)):
        headers.append([rng.choice(HEADER_NAMES), rng.choice(HEADER_VALUES)])
    seed = rng.choice(BODY_SEEDS)
    length = rng.choice([0, 0, 1, 13, 1000, 65536, 1048577, 5 * 1024 * 1024 + 3])
    if index % 97 == 0:
        length = 16 * 1024 * 1024 + 1
    payload = "unsigned" if s3 and scheme == "https" and rng.random() < 0.25 else "data"
    return {
        "id": index,
        "service": "s3" if s3 else rng.choice(SERVICES),
        "region": rng.choice(REGIONS),
        "method": rng.choice(["GET", "POST", "PUT", "DELETE", "HEAD"]),
        "scheme": scheme,
        "host": host,
        "path": path,
        "query": query,
        "headers": headers,
        "bodySeed": seed,
        "bodyLength": length if seed else 0,
        "payload": payload,
        "pathStyle": "s3" if s3 else "standard",
        "accessKeyId": rng.choice(["AKIDEXAMPLE", "AKIAIOSFODNN7EXAMPLE", "ASIAEXAMPLE123"]),
        "secretAccessKey": rng.choice(["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "secret+/=key"]),
        "sessionToken": rng.choice(TOKENS),
        "date": int(rng.choice(DATES).replace(tzinfo=datetime.timezone.utc).timestamp()),
    }


def sign(case):
    encoded_path = quote(case["path"], safe="/~")
    pairs = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in case["query"])
    encoded_query = "&".join(f"{k}={v}" for k, v in pairs)
    url = f"{case['scheme']}://{case['host']}{encoded_path}" + (f"?{encoded_query}" if encoded_query else "")
    request = AWSRequest(method=case["method"], url=url, data=body_bytes(case["bodySeed"], case["bodyLength"]))
    for name, value in case["headers"]:
        request.headers[name] = value  # assignment appends: repeated names stay repeated
    creds = Credentials(case["accessKeyId"], case["secretAccessKey"], case["sessionToken"])
    if case["pathStyle"] == "s3":
        auth_class = UnsignedS3Auth if case["payload"] == "unsigned" else S3SigV4Auth
    else:
        auth_class = SigV4Auth
    when = datetime.datetime.fromtimestamp(case["date"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth_class(creds, case["service"], case["region"]).add_auth(request)
    authorization = request.headers["Authorization"]
    assert urlsplit(request.url).path == encoded_path
    return {
        "encodedPath": encoded_path,
        "encodedQuery": encoded_query,
        "host": urlsplit(url).netloc,
        "signedHeaders": authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0],
        "signature": authorization.rsplit("Signature=", 1)[1],
    }


def main():
    rng = random.Random(SEED)
    cases = []
    for index in range(COUNT):
        case = make_case(rng, index)
        case["expected"] = sign(case)
        cases.append(case)
    document = {"botocore": botocore.__version__, "seed": SEED, "cases": cases}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    if "--check" in sys.argv:
        # CI gate: the committed fixture must be exactly what the pinned botocore produces.
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: re-run {Path(__file__).name} without --check and commit it", file=sys.stderr)
            sys.exit(1)
        print(f"{OUT.name} matches botocore {botocore.__version__} ({len(cases)} cases)", file=sys.stderr)
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(cases)} cases signed by botocore {botocore.__version__} to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
