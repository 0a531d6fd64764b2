"""Lake Formation enforced for Athena queries (vendcloud/lf_enforce.py): one test per rule, the
seed's three broken setups (denied) and vend's own setup (allowed), built with API calls the
way the products' templates do."""
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, ENDPOINT, make_client
from test_athena import ORDERS_CSV, rows, run

DATA = "mesh-sales-222222222222"
RESULTS = "vend-sales-athena-333333333333"
ANALYST = f"arn:aws:iam::{CONSUMER}:role/analyst"
CENTRAL_ADMIN = f"arn:aws:iam::{CENTRAL}:user/vend-localcloud-admin"
CONSUMER_ADMIN = f"arn:aws:iam::{CONSUMER}:user/vend-localcloud-admin"
TAG_POLICY = {"LFTagPolicy": {"CatalogId": CENTRAL, "ResourceType": "TABLE",
                              "Expression": [{"TagKey": "domain", "TagValues": ["sales"]}]}}
DENIED = "Insufficient Lake Formation permission(s) on "


def trust(account):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]})


def grant(profile, principal, resource, perms, grantable=()):
    make_client("lakeformation", profile).grant_permissions(
        Principal={"DataLakePrincipalIdentifier": principal}, Resource=resource, Permissions=list(perms),
        PermissionsWithGrantOption=list(grantable))


def central_domain(register=True, account_grant=True):
    """Producer bucket with the data; central: LF settings without IAM-only defaults, the tag,
    the database (tagged) and its table, the location registered, the consumer account granted."""
    s3 = make_client("s3", "producer")
    s3.create_bucket(Bucket=DATA)
    s3.put_object(Bucket=DATA, Key="orders/o.csv", Body=ORDERS_CSV.encode())
    lf, glue = make_client("lakeformation"), make_client("glue")
    lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": CENTRAL_ADMIN}],
                                                "CreateDatabaseDefaultPermissions": [],
                                                "CreateTableDefaultPermissions": []})
    lf.create_lf_tag(TagKey="domain", TagValues=["sales", "hr"])
    glue.create_database(DatabaseInput={"Name": "sales", "LocationUri": f"s3://{DATA}/"})
    make_client("iam").create_role(RoleName="vend-crawler-sales", AssumeRolePolicyDocument=trust(CENTRAL))
    crawler = session("central", f"arn:aws:iam::{CENTRAL}:role/vend-crawler-sales")
    crawler.client("glue", endpoint_url=ENDPOINT).create_table(DatabaseName="sales", TableInput={
        "Name": "orders", "TableType": "EXTERNAL_TABLE", "Parameters": {"skip.header.line.count": "1"},
        "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}, {"Name": "customer", "Type": "string"},
                                          {"Name": "amount", "Type": "double"}],
                              "Location": f"s3://{DATA}/orders/",
                              "SerdeInfo": {"SerializationLibrary":
                                            "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                                            "Parameters": {"field.delim": ","}}}})
    lf.add_lf_tags_to_resource(Resource={"Database": {"CatalogId": CENTRAL, "Name": "sales"}},
                               LFTags=[{"CatalogId": CENTRAL, "TagKey": "domain", "TagValues": ["sales"]}])
    if register:
        lf.register_resource(ResourceArn=f"arn:aws:s3:::{DATA}", RoleArn=f"arn:aws:iam::{CENTRAL}:role/reg")
    if account_grant:  # consumer-registration's grants
        grant("central", CONSUMER, TAG_POLICY, ["SELECT", "DESCRIBE"], ["SELECT", "DESCRIBE"])


def consumer_side():
    """consumer-onboarding without the analyst's grants: LF admin, link, results, work group."""
    make_client("lakeformation", "consumer").put_data_lake_settings(DataLakeSettings={
        "DataLakeAdmins": [{"DataLakePrincipalIdentifier": CONSUMER_ADMIN}],
        "CreateDatabaseDefaultPermissions": [], "CreateTableDefaultPermissions": []})
    make_client("glue", "consumer").create_database(DatabaseInput={
        "Name": "sales_link", "TargetDatabase": {"CatalogId": CENTRAL, "DatabaseName": "sales"}})
    make_client("s3", "consumer").create_bucket(Bucket=RESULTS)
    make_client("athena", "consumer").create_work_group(Name="vend-sales", Configuration={
        "ResultConfiguration": {"OutputLocation": f"s3://{RESULTS}/results/"}, "EnforceWorkGroupConfiguration": True})
    iam = make_client("iam", "consumer")
    for name in ("analyst", "other"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(CONSUMER))


def analyst_grants(link=True, target=True, policy=TAG_POLICY):
    if link:
        grant("consumer", ANALYST, {"Database": {"CatalogId": CONSUMER, "Name": "sales_link"}}, ["DESCRIBE"])
    if target:
        grant("consumer", ANALYST, policy, ["SELECT", "DESCRIBE"])


def session(profile, role_arn):
    creds = make_client("sts", profile).assume_role(RoleArn=role_arn, RoleSessionName="probe")["Credentials"]
    return boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                 aws_session_token=creds["SessionToken"], region_name="us-east-1")


def query_as(role_arn=ANALYST, sql="SELECT count(*) AS n FROM sales_link.orders", profile="consumer",
             workgroup="vend-sales"):
    if role_arn:
        athena = session(profile, role_arn).client("athena", endpoint_url=ENDPOINT,
                                                   config=Config(retries={"total_max_attempts": 1}))
    else:
        athena = make_client("athena", profile)
    q = run(sql, athena, db="default", wg=workgroup)
    return q, athena


def assert_denied(q, on="orders"):
    assert q["Status"]["State"] == "FAILED", q["Status"]
    assert q["Status"]["StateChangeReason"] == DENIED + on


@pytest.fixture
def mesh():
    central_domain()
    consumer_side()


def test_vends_setup_lets_the_assumed_analyst_read_through_the_link(mesh):
    analyst_grants()
    q, athena = query_as()
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert rows(athena, q["QueryExecutionId"])[0] == [["n"], ["3"]]


def test_seed_broken_grant_on_the_link_only_is_denied(mesh):
    analyst_grants(target=False)
    assert_denied(query_as()[0])


def test_seed_broken_tag_policy_without_the_central_catalog_id(mesh):
    # Refused when granted: the tag does not exist in the consumer's own catalog.
    local_policy = {"LFTagPolicy": {"ResourceType": "TABLE",
                                    "Expression": [{"TagKey": "domain", "TagValues": ["sales"]}]}}
    with pytest.raises(ClientError) as err:
        analyst_grants(policy=local_policy)
    assert err.value.response["Error"]["Code"] == "EntityNotFoundException"
    # With a look-alike tag in the consumer catalog the grant succeeds but matches nothing central.
    make_client("lakeformation", "consumer").create_lf_tag(TagKey="domain", TagValues=["sales"])
    grant("consumer", ANALYST, local_policy, ["SELECT", "DESCRIBE"])
    assert_denied(query_as()[0])


def test_seed_broken_no_regrant_to_the_principal_account_grant_alone_reads_nothing(mesh):
    analyst_grants(target=False)
    assert_denied(query_as()[0])
    # not even the consumer's data lake administrator (static key) reads on the account grant alone
    assert_denied(query_as(role_arn=None)[0])
    grant("consumer", CONSUMER_ADMIN, TAG_POLICY, ["SELECT"])  # the admin may grant itself
    assert query_as(role_arn=None)[0]["Status"]["State"] == "SUCCEEDED"


def test_regrant_without_the_account_grant_grants_nothing(mesh):
    analyst_grants()
    make_client("lakeformation").revoke_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER}, Resource=TAG_POLICY,
        Permissions=["SELECT", "DESCRIBE"], PermissionsWithGrantOption=["SELECT", "DESCRIBE"])
    assert_denied(query_as()[0])


def test_target_grant_without_describe_on_the_link_is_denied_on_the_link(mesh):
    analyst_grants(link=False)
    assert_denied(query_as()[0], on="sales_link")


@pytest.mark.parametrize("resource", [
    {"Table": {"CatalogId": CENTRAL, "DatabaseName": "sales", "Name": "orders"}},
    {"Table": {"CatalogId": CENTRAL, "DatabaseName": "sales", "TableWildcard": {}}},
])
def test_named_resource_grants_on_the_target_allow(mesh, resource):
    grant("central", CONSUMER, resource, ["SELECT"], ["SELECT"])
    make_client("lakeformation").revoke_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER}, Resource=TAG_POLICY,
        Permissions=["SELECT", "DESCRIBE"], PermissionsWithGrantOption=["SELECT", "DESCRIBE"])
    analyst_grants(target=False)
    grant("consumer", ANALYST, resource, ["SELECT"])
    assert query_as()[0]["Status"]["State"] == "SUCCEEDED"


def test_a_table_tag_overrides_the_database_tag(mesh):
    analyst_grants()
    make_client("lakeformation").add_lf_tags_to_resource(
        Resource={"Table": {"CatalogId": CENTRAL, "DatabaseName": "sales", "Name": "orders"}},
        LFTags=[{"CatalogId": CENTRAL, "TagKey": "domain", "TagValues": ["hr"]}])
    assert_denied(query_as()[0])


def test_an_unregistered_location_fails_the_query():
    central_domain(register=False)
    consumer_side()
    analyst_grants()
    q = query_as()[0]
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"] == f"Permission denied on S3 path: s3://{DATA}/orders/"


def central_group():
    make_client("s3").create_bucket(Bucket="central-results-111111111111")
    make_client("athena").create_work_group(Name="central", Configuration={
        "ResultConfiguration": {"OutputLocation": "s3://central-results-111111111111/"}})
    return dict(profile="central", sql="SELECT count(*) FROM sales.orders", workgroup="central")


def test_implicit_permissions_describe_but_no_select_for_admins_and_database_creators(mesh):
    # The central static user is data lake admin and created the database; the crawler role
    # created the table: the table creator reads, the admin / database creator does not until
    # it grants itself SELECT.
    kw = central_group()
    assert_denied(query_as(role_arn=None, **kw)[0])
    assert query_as(role_arn=f"arn:aws:iam::{CENTRAL}:role/vend-crawler-sales", **kw)[0]["Status"]["State"] == \
        "SUCCEEDED"
    grant("central", CENTRAL_ADMIN, {"Table": {"CatalogId": CENTRAL, "DatabaseName": "sales", "Name": "orders"}},
          ["SELECT"])
    assert query_as(role_arn=None, **kw)[0]["Status"]["State"] == "SUCCEEDED"


def test_iam_allowed_principals_lets_same_account_principals_read(mesh):
    kw = central_group()
    assert_denied(query_as(role_arn=None, **kw)[0])
    grant("central", "IAM_ALLOWED_PRINCIPALS", {"Table": {"CatalogId": CENTRAL, "DatabaseName": "sales",
                                                          "Name": "orders"}}, ["ALL"])
    assert query_as(role_arn=None, **kw)[0]["Status"]["State"] == "SUCCEEDED"
    # ... but not principals of other accounts
    analyst_grants(target=False)
    assert_denied(query_as()[0])


def test_default_settings_give_new_tables_to_iam_allowed_principals():
    make_client("s3").create_bucket(Bucket="plain-111111111111")
    make_client("s3").put_object(Bucket="plain-111111111111", Key="t/x.csv", Body=b"a\n1\n")
    glue = make_client("glue")
    glue.create_database(DatabaseInput={"Name": "plain"})
    make_client("iam").create_role(RoleName="maker", AssumeRolePolicyDocument=trust(CENTRAL))
    session("central", f"arn:aws:iam::{CENTRAL}:role/maker").client("glue", endpoint_url=ENDPOINT).create_table(
        DatabaseName="plain", TableInput={"Name": "t", "StorageDescriptor": {
            "Columns": [{"Name": "a", "Type": "int"}], "Location": "s3://plain-111111111111/t/",
            "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}}})
    kw = central_group()
    q, _ = query_as(role_arn=None, **{**kw, "sql": "SELECT * FROM plain.t"})
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]


@pytest.mark.parametrize("columns", [{"ColumnNames": ["id", "customer"]},
                                     {"ColumnWildcard": {"ExcludedColumnNames": ["amount"]}}])
def test_column_grants_limit_the_columns(mesh, columns):
    resource = {"TableWithColumns": {"CatalogId": CENTRAL, "DatabaseName": "sales", "Name": "orders", **columns}}
    # the central catalog shares the table by an include list, with the grant option (AWS allows
    # the grant option on column grants only with an include list: "Data filtering limitations")
    grant("central", CONSUMER, {"TableWithColumns": {"CatalogId": CENTRAL, "DatabaseName": "sales", "Name": "orders",
                                                     "ColumnNames": ["id", "customer", "amount"]}},
          ["SELECT"], ["SELECT"])
    analyst_grants(target=False)
    grant("consumer", ANALYST, resource, ["SELECT"])
    q, athena = query_as(sql="SELECT * FROM sales_link.orders ORDER BY id")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert rows(athena, q["QueryExecutionId"])[0][0] == ["id", "customer"]
    q, _ = query_as(sql="SELECT amount FROM sales_link.orders")
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"].startswith("COLUMN_NOT_FOUND: line 1:8: Column 'amount' cannot be")


def test_a_role_without_grants_is_denied_and_grants_name_the_role_not_the_session(mesh):
    analyst_grants()
    assert_denied(query_as(role_arn=f"arn:aws:iam::{CONSUMER}:role/other")[0], on="sales_link")
    grant("consumer", f"arn:aws:iam::{CONSUMER}:role/other", {"Database": {"CatalogId": CONSUMER,
                                                                            "Name": "sales_link"}}, ["DESCRIBE"])
    assert_denied(query_as(role_arn=f"arn:aws:iam::{CONSUMER}:role/other")[0])
    assert query_as()[0]["Status"]["State"] == "SUCCEEDED"
