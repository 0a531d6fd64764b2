"""Fault injection: each kind, in each protocol's real error format, matched by service,
operation and account, by count or probability."""
import json
import time
from xml.etree import ElementTree

import botocore.exceptions
import pytest
from botocore.exceptions import ClientError

from conftest import CONSUMER, PRODUCER, control, make_client, requests_log


def fault(**rule):
    return control("POST", "/faults", rule)["rules"][0]


def err(e):
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize("kind,service,call,expected", [
    ("throttle", "servicecatalog", lambda c: c.list_portfolios(), ("ThrottlingException", 400)),
    ("throttle", "iam", lambda c: c.list_roles(), ("Throttling", 400)),
    ("throttle", "s3", lambda c: c.list_buckets(), ("SlowDown", 503)),
    ("throttle", "lakeformation", lambda c: c.get_data_lake_settings(), ("ThrottlingException", 400)),
    ("throttle429", "glue", lambda c: c.get_databases(), ("TooManyRequestsException", 429)),
    ("error500", "servicecatalog", lambda c: c.list_portfolios(), ("InternalFailure", 500)),
    ("error500", "s3", lambda c: c.list_buckets(), ("InternalError", 500)),
    ("error500", "cloudformation", lambda c: c.list_stacks(), ("InternalFailure", 500)),
    ("error503", "sts", lambda c: c.get_caller_identity(), ("ServiceUnavailable", 503)),
    ("slowdown", "s3", lambda c: c.list_buckets(), ("SlowDown", 503)),
    ("concurrent", "lakeformation", lambda c: c.get_data_lake_settings(), ("ConcurrentModificationException", 400)),
])
def test_error_kinds_in_protocol_format(kind, service, call, expected):
    fault(service=service, kind=kind, count=1)
    with pytest.raises(ClientError) as e:
        call(make_client(service))
    assert err(e) == expected
    call(make_client(service))  # count exhausted
    log = requests_log(service=service)
    assert [x["fault"] for x in log] == [kind, None]


def test_sdk_retries_through_throttling_and_5xx():
    fault(service="servicecatalog", operation="ListPortfolios", kind="throttle", count=1)
    fault(service="servicecatalog", operation="ListPortfolios", kind="error503", count=1)
    make_client("servicecatalog", retries=3).list_portfolios()
    assert [x["status"] for x in requests_log(operation="ListPortfolios")] == [400, 503, 200]


def test_cli_sees_throttling(cli):
    fault(service="servicecatalog", kind="throttle")
    p = cli("central", "servicecatalog", "list-portfolios", check=False)
    assert p.returncode != 0 and "ThrottlingException" in p.stderr


def test_match_by_account_and_operation():
    fault(service="glue", operation="GetDatabases", account=PRODUCER, kind="throttle")
    make_client("glue", "central").get_databases()
    make_client("glue", "producer").get_tables(DatabaseName="x") if False else None
    with pytest.raises(ClientError):
        make_client("glue", "producer").get_databases()
    make_client("glue", "consumer").get_databases()
    assert {x["account"] for x in requests_log(service="glue") if x["fault"]} == {PRODUCER}


def test_probability():
    fault(service="sts", kind="error500", probability=0.5)
    c = make_client("sts")
    outcomes = []
    for _ in range(40):
        try:
            c.get_caller_identity()
            outcomes.append(True)
        except ClientError:
            outcomes.append(False)
    assert 5 < outcomes.count(False) < 35


def test_delay():
    fault(service="sts", kind="delay", delay_ms=700, count=1)
    t = time.time()
    assert make_client("sts", "consumer").get_caller_identity()["Account"] == CONSUMER
    assert time.time() - t >= 0.7


def test_dropped_connection():
    fault(service="sts", kind="drop", count=1)
    with pytest.raises((botocore.exceptions.ConnectionClosedError, botocore.exceptions.EndpointConnectionError,
                        botocore.exceptions.ReadTimeoutError, botocore.exceptions.HTTPClientError)):
        make_client("sts").get_caller_identity()
    assert make_client("sts").get_caller_identity()
    assert requests_log(service="sts")[0]["status"] == "dropped"


def test_dropped_connection_with_apply_makes_the_change():
    fault(service="servicecatalog", operation="CreatePortfolio", kind="drop", count=1, apply=True)
    sc = make_client("servicecatalog")  # one attempt: the drop is not retried
    with pytest.raises((botocore.exceptions.ConnectionClosedError, botocore.exceptions.EndpointConnectionError,
                        botocore.exceptions.ReadTimeoutError, botocore.exceptions.HTTPClientError)):
        sc.create_portfolio(DisplayName="lost", ProviderName="p", IdempotencyToken="t1")
    assert [p["DisplayName"] for p in sc.list_portfolios()["PortfolioDetails"]] == ["lost"]
    assert requests_log(service="servicecatalog", operation="CreatePortfolio")[0]["status"] == "dropped"


def test_rule_listing_and_removal():
    r = fault(service="*", kind="throttle", count=5)
    assert control("GET", "/faults")["rules"][0]["id"] == r["id"]
    assert control("DELETE", f"/faults/{r['id']}")["removed"] == 1
    assert control("GET", "/faults")["rules"] == []
    import urllib.error
    with pytest.raises(urllib.error.HTTPError):
        control("POST", "/faults", {"kind": "explode"})


def raw_answer(service, call, profile="central"):
    """The answer's status, headers and body as they came off the wire (before botocore parses them)."""
    seen = {}

    def keep(response_dict, **_):
        seen.update(status=response_dict["status_code"], headers=response_dict["headers"], body=response_dict["body"])

    c = make_client(service, profile)
    c.meta.events.register("before-parse", keep)
    try:
        call(c)
    except Exception:  # noqa: BLE001 - a hostile answer may or may not parse; what came back is checked
        pass
    return seen


@pytest.mark.parametrize("service,call,ctype", [
    ("servicecatalog", lambda c: c.list_portfolios(), "application/x-amz-json-1.1"),
    ("sts", lambda c: c.get_caller_identity(), "text/xml"),
    ("s3", lambda c: c.list_buckets(), "application/xml"),
])
@pytest.mark.parametrize("kind", ["malformed", "empty", "wrong_content_type", "missing_fields", "huge"])
def test_hostile_answer_kinds(kind, service, call, ctype):
    fault(service=service, kind=kind, count=1, size_mb=2)
    seen = raw_answer(service, call)
    # the server's status (botocore turns some unparseable S3 200s into 500s before parsing)
    assert requests_log(service=service)[0]["status"] == 200
    body = seen["body"]
    got = seen["headers"].get("content-type", "")
    if kind == "wrong_content_type":
        assert got.startswith("text/html") and body.startswith(b"<!DOCTYPE html>")
    else:
        assert got == ctype
    if kind == "empty":
        assert body == b""
    elif kind == "malformed":
        with pytest.raises(Exception):
            json.loads(body) if ctype.startswith("application/x-amz-json") else ElementTree.fromstring(body)
    elif kind == "missing_fields":
        if ctype.startswith("application/x-amz-json"):
            assert json.loads(body) == {}
        else:
            root = ElementTree.fromstring(body)
            assert all(len(child) == 0 for child in root)
    elif kind == "huge":
        assert len(body) == 2 << 20
        if ctype.startswith("application/x-amz-json"):
            assert json.loads(body)["Padding"].startswith("x")
        else:
            ElementTree.fromstring(body)
    call(make_client(service))  # count exhausted: a normal answer again
    assert [x["fault"] for x in requests_log(service=service)] == [kind, None]


def test_hostile_answer_without_apply_changes_nothing_and_with_apply_does():
    sc = make_client("servicecatalog")
    fault(service="servicecatalog", operation="CreatePortfolio", kind="malformed", count=1)
    raw_answer("servicecatalog", lambda c: c.create_portfolio(DisplayName="lost", ProviderName="p", IdempotencyToken="t1"))
    assert sc.list_portfolios()["PortfolioDetails"] == []
    fault(service="servicecatalog", operation="CreatePortfolio", kind="empty", count=1, apply=True)
    seen = raw_answer("servicecatalog", lambda c: c.create_portfolio(DisplayName="made", ProviderName="p", IdempotencyToken="t2"))
    assert seen["body"] == b""
    assert [p["DisplayName"] for p in sc.list_portfolios()["PortfolioDetails"]] == ["made"]


def test_answer_rule_fields_are_checked():
    import urllib.error
    with pytest.raises(urllib.error.HTTPError):
        control("POST", "/faults", {"kind": "huge", "size_mb": 0})
    r = fault(kind="huge", size_mb=3, apply=True)
    assert (r["size_mb"], r["apply"]) == (3.0, True)
