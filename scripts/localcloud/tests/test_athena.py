"""Athena runs SQL over the Glue tables (vendcloud/athena.py): states, results, pagination,
formats, the Glue table's column names, the work group's output location, stop, errors."""
import io
import json
import os
import tempfile
import time

import pytest
from botocore.exceptions import ClientError

from conftest import CENTRAL, control, make_client

BUCKET = "athena-data-111111111111"
RESULTS = "athena-results-111111111111"
CSV_SERDE = {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
             "Parameters": {"field.delim": ","}}
JSON_SERDE = {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"}
PARQUET_SERDE = {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}
ORDERS_CSV = "id,customer,amount\n1,ada,10.5\n2,bob,20\n3,cy,\n"


def put(key, body, bucket=BUCKET, profile="central"):
    s3 = make_client("s3", profile)
    try:
        s3.create_bucket(Bucket=bucket)
    except ClientError:
        pass
    s3.put_object(Bucket=bucket, Key=key, Body=body if isinstance(body, bytes) else body.encode())


def table(name, columns, location, serde=CSV_SERDE, params=None, db="sales", profile="central", **extra):
    glue = make_client("glue", profile)
    try:
        glue.create_database(DatabaseInput={"Name": db})
    except ClientError:
        pass
    glue.create_table(DatabaseName=db, TableInput={
        "Name": name, "TableType": "EXTERNAL_TABLE", "Parameters": params or {},
        "StorageDescriptor": {"Columns": [{"Name": n, "Type": t} for n, t in columns], "Location": location,
                              "SerdeInfo": serde}, **extra})


def orders():
    put("orders/part-0.csv", ORDERS_CSV)
    table("orders", [("id", "bigint"), ("customer", "string"), ("amount", "double")], f"s3://{BUCKET}/orders/",
          params={"skip.header.line.count": "1", "classification": "csv"})


def results_group(name="analysts", enforce=True, profile="central", bucket=RESULTS):
    make_client("s3", profile).create_bucket(Bucket=bucket)
    make_client("athena", profile).create_work_group(Name=name, Configuration={
        "ResultConfiguration": {"OutputLocation": f"s3://{bucket}/out/"}, "EnforceWorkGroupConfiguration": enforce})
    return name


def run(sql, athena=None, db="sales", wg=None, wait=True, **kw):
    athena = athena or make_client("athena")
    args = {"QueryString": sql, "QueryExecutionContext": {"Database": db}}
    if wg:
        args["WorkGroup"] = wg
    args.update(kw)
    qid = athena.start_query_execution(**args)["QueryExecutionId"]
    return wait_query(athena, qid) if wait else qid


def wait_query(athena, qid, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
        if q["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return q
        time.sleep(0.05)
    raise AssertionError(f"query {qid} did not finish")


def rows(athena, qid, **kw):
    page = athena.get_query_results(QueryExecutionId=qid, **kw)
    return [[d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"]], page


def test_select_runs_and_results_have_a_header_row_and_column_info():
    orders()
    wg = results_group()
    athena = make_client("athena")
    q = run("SELECT id, customer, amount FROM orders ORDER BY id", athena, wg=wg)
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert q["WorkGroup"] == wg and q["QueryExecutionContext"]["Database"] == "sales"
    got, page = rows(athena, q["QueryExecutionId"])
    assert got == [["id", "customer", "amount"], ["1", "ada", "10.5"], ["2", "bob", "20.0"], ["3", "cy", None]]
    info = page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [(c["Name"], c["Type"]) for c in info] == [("id", "bigint"), ("customer", "varchar"), ("amount", "double")]
    assert "NextToken" not in page


def test_states_queued_running_succeeded_and_the_server_answers_meanwhile():
    orders()
    control("POST", "/config", {"athena_state_ms": 600})
    try:
        athena = make_client("athena")
        qid = run("SELECT count(*) FROM orders", athena, wg=results_group(), wait=False)
        seen = [athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"]]
        t = time.time()
        make_client("sts").get_caller_identity()  # not blocked by the running query
        assert time.time() - t < 0.5
        with pytest.raises(ClientError) as err:
            athena.get_query_results(QueryExecutionId=qid)
        assert err.value.response["Error"]["Code"] == "InvalidRequestException"
        while seen[-1] not in ("SUCCEEDED", "FAILED"):
            time.sleep(0.05)
            s = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"]
            if s != seen[-1]:
                seen.append(s)
        assert seen == ["QUEUED", "RUNNING", "SUCCEEDED"]
    finally:
        control("POST", "/config", {"athena_state_ms": 50})


def test_pagination_max_results_and_next_token():
    put("nums/n.csv", "n\n" + "".join(f"{i}\n" for i in range(25)))
    table("nums", [("n", "int")], f"s3://{BUCKET}/nums/", params={"skip.header.line.count": "1"})
    athena = make_client("athena")
    q = run("SELECT n FROM nums ORDER BY n", athena, wg=results_group())
    seen, token, pages = [], None, 0
    while True:
        kw = {"MaxResults": 10, **({"NextToken": token} if token else {})}
        got, page = rows(athena, q["QueryExecutionId"], **kw)
        seen += got
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3 and seen[0] == ["n"] and [r[0] for r in seen[1:]] == [str(i) for i in range(25)]


def test_a_column_renamed_in_glue_is_renamed_in_the_result():
    orders()
    glue = make_client("glue")
    t = glue.get_table(DatabaseName="sales", Name="orders")["Table"]
    cols = t["StorageDescriptor"]["Columns"]
    cols[1]["Name"] = "client"
    glue.update_table(DatabaseName="sales", TableInput={
        "Name": "orders", "Parameters": t["Parameters"], "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {**{k: v for k, v in t["StorageDescriptor"].items() if k in ("Location", "SerdeInfo")},
                              "Columns": cols}})
    athena = make_client("athena")
    q = run("SELECT * FROM orders WHERE id = 1", athena, wg=results_group())
    assert rows(athena, q["QueryExecutionId"])[0] == [["id", "client", "amount"], ["1", "ada", "10.5"]]
    q = run("SELECT customer FROM orders", athena, wg="analysts")
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"].startswith("COLUMN_NOT_FOUND: line 1:8: Column 'customer' cannot be")


def test_json_lines_and_parquet_tables():
    import duckdb
    put("events/e.json", '{"ID": 1, "Kind": "click", "extra": {"a": 1}}\n{"ID": 2, "Kind": "view"}\n')
    table("events", [("id", "int"), ("kind", "string"), ("extra", "string")], f"s3://{BUCKET}/events/",
          serde=JSON_SERDE)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "p.parquet")
        duckdb.sql(f"COPY (SELECT 7 AS qty, 'kg' AS unit UNION ALL SELECT 9, 'g') TO '{path}' (FORMAT PARQUET)")
        put("stock/p.parquet", open(path, "rb").read())
    table("stock", [("unit", "string"), ("qty", "bigint")], f"s3://{BUCKET}/stock/", serde=PARQUET_SERDE)
    athena = make_client("athena")
    wg = results_group()
    q = run("SELECT id, kind, extra FROM events ORDER BY id", athena, wg=wg)
    assert rows(athena, q["QueryExecutionId"])[0][1:] == [["1", "click", '{"a":1}'], ["2", "view", None]]
    q = run("SELECT unit, qty FROM sales.stock ORDER BY qty", athena, wg=wg)
    assert rows(athena, q["QueryExecutionId"])[0][1:] == [["kg", "7"], ["g", "9"]]


def test_result_written_as_csv_to_the_enforced_work_group_location():
    orders()
    athena, s3 = make_client("athena"), make_client("s3")
    wg = results_group()
    q = run("SELECT customer, amount FROM orders ORDER BY id", athena, wg=wg,
            ResultConfiguration={"OutputLocation": f"s3://{RESULTS}/ignored/"})
    out = q["ResultConfiguration"]["OutputLocation"]
    assert out == f"s3://{RESULTS}/out/{q['QueryExecutionId']}.csv"
    body = s3.get_object(Bucket=RESULTS, Key=out.split("/", 3)[3])["Body"].read().decode()
    assert body == '"customer","amount"\n"ada","10.5"\n"bob","20.0"\n"cy",\n'
    # primary (not enforced, no location): the request's location is used; none at all is refused
    q = run("SELECT 1", athena, ResultConfiguration={"OutputLocation": f"s3://{RESULTS}/mine"})
    assert q["ResultConfiguration"]["OutputLocation"].startswith(f"s3://{RESULTS}/mine/")
    with pytest.raises(ClientError) as err:
        run("SELECT 1", athena)
    assert err.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "No output location provided" in err.value.response["Error"]["Message"]


def test_stop_cancels_and_unknown_ids_are_invalid_requests():
    orders()
    control("POST", "/config", {"athena_state_ms": 2000})
    try:
        athena = make_client("athena")
        qid = run("SELECT * FROM orders", athena, wg=results_group(), wait=False)
        athena.stop_query_execution(QueryExecutionId=qid)
        assert athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"] == "CANCELLED"
        athena.stop_query_execution(QueryExecutionId=qid)  # a finished query: nothing changes
    finally:
        control("POST", "/config", {"athena_state_ms": 50})
    for call in (athena.get_query_execution, athena.get_query_results, athena.stop_query_execution):
        with pytest.raises(ClientError) as err:
            call(QueryExecutionId="00000000-0000-0000-0000-000000000000")
        assert err.value.response["Error"]["Code"] == "InvalidRequestException"
        assert "was not found" in err.value.response["Error"]["Message"]
    assert qid in athena.list_query_executions(WorkGroup="analysts")["QueryExecutionIds"]
    got = athena.batch_get_query_execution(QueryExecutionIds=[qid, "nope"])
    assert [q["QueryExecutionId"] for q in got["QueryExecutions"]] == [qid]
    assert got["UnprocessedQueryExecutionIds"][0]["QueryExecutionId"] == "nope"


@pytest.mark.parametrize("sql,reason", [
    ("SELECT * FROM missing", "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.sales.missing' does not exist"),
    ("SELECT * FROM nodb.orders", "SCHEMA_NOT_FOUND: line 1:15: Schema 'nodb' does not exist"),
    ("SELEC 1", "NOT_SUPPORTED: SELEC statements are not supported by the local cloud"),
    ("DROP TABLE orders", "NOT_SUPPORTED: DROP statements are not supported by the local cloud"),
    ("CREATE TABLE x AS SELECT 1", "NOT_SUPPORTED: CREATE statements are not supported by the local cloud"),
    ("SELECT id FROM orders WHERE", "SYNTAX_ERROR"),
    ("SELECT * FROM read_csv('/etc/passwd')", ""),
])
def test_failures_end_failed_with_athena_style_reasons(sql, reason):
    orders()
    athena = make_client("athena")
    q = run(sql, athena, wg=results_group())
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"].startswith(reason), q["Status"]
    assert q["Status"]["AthenaError"]["ErrorCategory"] == 2
    with pytest.raises(ClientError) as err:
        athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
    assert "Final query state: FAILED" in err.value.response["Error"]["Message"]


def test_crawled_table_through_a_resource_link_and_a_qualified_catalog_name():
    put("crawled/visits/v.csv", "page,hits\nhome,3\nabout,1\n")
    glue = make_client("glue")
    glue.create_database(DatabaseInput={"Name": "web"})
    glue.create_crawler(Name="c", Role=f"arn:aws:iam::{CENTRAL}:role/crawler", DatabaseName="web",
                        Targets={"S3Targets": [{"Path": f"s3://{BUCKET}/crawled/"}]})
    glue.start_crawler(Name="c")
    end = time.time() + 15
    while glue.get_crawler(Name="c")["Crawler"].get("LastCrawl", {}).get("Status") != "SUCCEEDED":
        assert time.time() < end
        time.sleep(0.2)
    glue.create_database(DatabaseInput={"Name": "web_link", "TargetDatabase": {"CatalogId": CENTRAL,
                                                                               "DatabaseName": "web"}})
    athena = make_client("athena")
    q = run('SELECT sum(hits) AS total FROM awsdatacatalog.web_link."visits"', athena, db="default",
            wg=results_group())
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert rows(athena, q["QueryExecutionId"])[0] == [["total"], ["4"]]
