"""Fixtures for the contract suite. Needs LOCALCLOUD_ENDPOINT and LOCALCLOUD_STATE (set by
scripts/localcloud/test, which starts and stops a private server)."""
import json
import os
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from vendcloud.accounts import ACCOUNTS, KEYS  # noqa: E402

ENDPOINT = os.environ.get("LOCALCLOUD_ENDPOINT", "http://127.0.0.1:4566")
STATE = os.environ.get("LOCALCLOUD_STATE", os.path.join(os.path.dirname(__file__), "..", "..", "..", ".localcloud"))
CENTRAL, PRODUCER, CONSUMER = ACCOUNTS["central"], ACCOUNTS["producer"], ACCOUNTS["consumer"]


def control(method, path, body=None):
    req = urllib.request.Request(ENDPOINT + "/_localcloud" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


@pytest.fixture(autouse=True)
def fresh():
    control("POST", "/reset")
    control("POST", "/config", {"validate": True, "verify_signatures": True, "reject_unknown_members": True,
                                "enforce_principal_associations": True, "async_seconds": 0.3,
                                "strict_assume_role": False, "latency_ms": 0})
    yield
    control("DELETE", "/faults")
    # Every answer the test saw fits botocore's output shape (answers.py).
    bad = [f'{r["operation"]}: {r.get("answer_problem")}' for r in control("GET", "/requests")["requests"]
           if r.get("answer_ok") is False]
    assert not bad, "answers that do not fit botocore's output shapes:\n" + "\n".join(bad)


def make_client(service, profile="central", retries=1, validate=False, **kw):
    acct, key, secret = KEYS[profile]
    cfg = Config(retries={"total_max_attempts": retries, "mode": "standard"}, parameter_validation=validate,
                 s3={"addressing_style": "path"}, signature_version="s3v4" if service == "s3" else None,
                 connect_timeout=5, read_timeout=30)
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=cfg, **kw)


@pytest.fixture
def client():
    return make_client


def run_cli(profile, *args, check=True):
    env = dict(os.environ)
    env.update({"AWS_CONFIG_FILE": os.path.join(STATE, "aws", "config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(STATE, "aws", "credentials"),
                "AWS_PROFILE": profile, "AWS_MAX_ATTEMPTS": "1"})
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        env.pop(k, None)
    p = subprocess.run(["aws", *args, "--output", "json"], env=env, capture_output=True, text=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed: {p.stderr}")
    return p


@pytest.fixture
def cli():
    return run_cli


def requests_log(**filters):
    q = "&".join(f"{k}={v}" for k, v in filters.items())
    return control("GET", "/requests" + ("?" + q if q else ""))["requests"]


def wait_record(sc, record_id, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        r = sc.describe_record(Id=record_id)
        if r["RecordDetail"]["Status"] in ("SUCCEEDED", "FAILED"):
            return r
        time.sleep(0.3)
    raise AssertionError(f"record {record_id} did not finish")
