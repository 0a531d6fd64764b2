"""Service actions run an SSM Automation document that changes real state, as the launch
role, with execution records and outputs/failures in the Service Catalog record."""
import json
import time

import yaml

from conftest import CENTRAL, PRODUCER, make_client, wait_record
from helpers import associate_me, catalog, make_launch_role, share_and_accept

TEMPLATE = """
Parameters:
  DatabaseName: {Type: String}
Resources:
  Database:
    Type: AWS::Glue::Database
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseInput: {Name: !Ref DatabaseName}
Outputs:
  DatabaseName: {Value: !Ref Database}
"""

DOC = {
    "schemaVersion": "0.3",
    "description": "adds a crawler",
    "assumeRole": "{{ AutomationAssumeRole }}",
    "parameters": {
        "AutomationAssumeRole": {"type": "String"},
        "DatabaseName": {"type": "String", "allowedPattern": "^[a-z][a-z0-9_]{1,60}$"},
        "SourceName": {"type": "String"},
        "TablePrefix": {"type": "String", "default": ""},
    },
    "mainSteps": [
        {"name": "CreateCrawler", "action": "aws:executeAwsApi", "onFailure": "Abort",
         "inputs": {"Service": "glue", "Api": "CreateCrawler", "Name": "{{ DatabaseName }}-{{ SourceName }}",
                    "Role": "{{ AutomationAssumeRole }}", "DatabaseName": "{{ DatabaseName }}",
                    "TablePrefix": "{{ TablePrefix }}",
                    "Targets": {"S3Targets": [{"Path": "s3://bucket/{{ SourceName }}/"}]}}},
        {"name": "StartCrawler", "action": "aws:executeAwsApi",
         "inputs": {"Service": "glue", "Api": "StartCrawler", "Name": "{{ DatabaseName }}-{{ SourceName }}"}},
        {"name": "WaitForCrawler", "action": "aws:waitForAwsResourceProperty", "timeoutSeconds": 30,
         "inputs": {"Service": "glue", "Api": "GetCrawler", "Name": "{{ DatabaseName }}-{{ SourceName }}",
                    "PropertySelector": "$.Crawler.State", "DesiredValues": ["READY"]}},
        {"name": "DescribeCrawler", "action": "aws:executeAwsApi",
         "inputs": {"Service": "glue", "Api": "GetCrawler", "Name": "{{ DatabaseName }}-{{ SourceName }}"},
         "outputs": [{"Name": "CrawlerName", "Selector": "$.Crawler.Name", "Type": "String"},
                     {"Name": "LastCrawlStatus", "Selector": "$.Crawler.LastCrawl.Status", "Type": "String"}]},
        {"name": "AssertCrawlSucceeded", "action": "aws:assertAwsResourceProperty", "isEnd": True,
         "inputs": {"Service": "glue", "Api": "GetCrawler", "Name": "{{ DatabaseName }}-{{ SourceName }}",
                    "PropertySelector": "$.Crawler.LastCrawl.Status", "DesiredValues": ["SUCCEEDED"]}},
    ],
    "outputs": ["DescribeCrawler.CrawlerName", "DescribeCrawler.LastCrawlStatus"],
}


def setup_action(profile="central", account=CENTRAL):
    sc, pf, prod, pa = catalog(template=TEMPLATE)
    ssm = make_client("ssm")
    ssm.create_document(Name="vend-AddDataSource", DocumentType="Automation", DocumentFormat="YAML",
                        Content=yaml.safe_dump(DOC), TargetType="/")
    act = sc.create_service_action(
        Name="AddDataSource", DefinitionType="SSM_AUTOMATION", IdempotencyToken="add-ds",
        Definition={"Name": "vend-AddDataSource", "Version": "1", "AssumeRole": "LAUNCH_ROLE",
                    "Parameters": json.dumps([{"Name": "DatabaseName", "Type": "TEXT_VALUE"},
                                              {"Name": "SourceName", "Type": "TEXT_VALUE"}])})
    aid = act["ServiceActionDetail"]["ServiceActionSummary"]["Id"]
    sc.associate_service_action_with_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                           ServiceActionId=aid)
    if profile == "central":
        user_sc = sc
    else:
        user_sc = share_and_accept(sc, pf, profile, account)
        ssm.modify_document_permission(Name="vend-AddDataSource", PermissionType="Share", AccountIdsToAdd=[account])
    associate_me(user_sc, pf, profile)
    make_launch_role(profile)
    rec = user_sc.provision_product(ProductId=prod, ProvisioningArtifactId=pa, PathId=pf,
                                    ProvisionedProductName="domain", ProvisionToken="p1",
                                    ProvisioningParameters=[{"Key": "DatabaseName", "Value": "sales"}])
    done = wait_record(user_sc, rec["RecordDetail"]["RecordId"])
    assert done["RecordDetail"]["Status"] == "SUCCEEDED", done
    return user_sc, rec["RecordDetail"]["ProvisionedProductId"], aid


def test_service_action_changes_real_state_in_the_launching_account():
    sc, pp, aid = setup_action("producer", PRODUCER)
    rec = sc.execute_provisioned_product_service_action(
        ProvisionedProductId=pp, ServiceActionId=aid, ExecuteToken="e1",
        Parameters={"DatabaseName": ["sales"], "SourceName": ["orders"]})["RecordDetail"]
    assert rec["RecordType"] == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION"
    done = wait_record(sc, rec["RecordId"])
    outs = {o["OutputKey"]: o["OutputValue"] for o in done["RecordOutputs"]}
    assert done["RecordDetail"]["Status"] == "SUCCEEDED", outs
    assert outs["DescribeCrawler.CrawlerName"] == "sales-orders"
    assert outs["DescribeCrawler.LastCrawlStatus"] == "SUCCEEDED"
    crawler = make_client("glue", "producer").get_crawler(Name="sales-orders")["Crawler"]
    assert crawler["Role"] == f"arn:aws:iam::{PRODUCER}:role/VendLaunchRole"
    ssm = make_client("ssm", "producer")
    ex = ssm.get_automation_execution(AutomationExecutionId=outs["AutomationExecutionId"])["AutomationExecution"]
    assert ex["AutomationExecutionStatus"] == "Success"
    assert [s["StepStatus"] for s in ex["StepExecutions"]] == ["Success"] * 5
    listed = ssm.describe_automation_executions()["AutomationExecutionMetadataList"]
    assert [e["AutomationExecutionId"] for e in listed] == [outs["AutomationExecutionId"]]
    # the steps went over the wire as the launch role, in the producer account
    from conftest import requests_log
    calls = requests_log(service="glue", operation="CreateCrawler")
    assert calls and calls[0]["account"] == PRODUCER and calls[0]["signature_ok"] and calls[0]["validation_ok"]
    # same ExecuteToken -> same record
    again = sc.execute_provisioned_product_service_action(
        ProvisionedProductId=pp, ServiceActionId=aid, ExecuteToken="e1",
        Parameters={"DatabaseName": ["sales"], "SourceName": ["orders"]})["RecordDetail"]
    assert again["RecordId"] == rec["RecordId"]


def test_service_action_failure_shows_in_record_outputs():
    sc, pp, aid = setup_action()
    make_client("glue").create_crawler(Name="sales-orders", Role="r", DatabaseName="sales",
                                       Targets={"S3Targets": [{"Path": "s3://b/"}]})
    rec = sc.execute_provisioned_product_service_action(
        ProvisionedProductId=pp, ServiceActionId=aid, ExecuteToken="e2",
        Parameters={"DatabaseName": ["sales"], "SourceName": ["orders"]})["RecordDetail"]
    done = wait_record(sc, rec["RecordId"])
    outs = {o["OutputKey"]: o["OutputValue"] for o in done["RecordOutputs"]}
    assert done["RecordDetail"]["Status"] == "FAILED"
    assert "CreateCrawler" in outs["FailureMessage"] and "AlreadyExists" in outs["FailureMessage"]
    assert outs["AutomationExecutionStatus"] == "Failed"
    # a parameter breaking the document's allowedPattern fails the start
    rec = sc.execute_provisioned_product_service_action(
        ProvisionedProductId=pp, ServiceActionId=aid, ExecuteToken="e3",
        Parameters={"DatabaseName": ["Bad-Name"], "SourceName": ["orders"]})["RecordDetail"]
    done = wait_record(sc, rec["RecordId"])
    assert done["RecordDetail"]["Status"] == "FAILED"
    assert "allowedPattern" in done["RecordDetail"]["RecordErrors"][0]["Description"] or \
        "does not match" in done["RecordDetail"]["RecordErrors"][0]["Description"]


def test_unshared_document_cannot_run_cross_account():
    sc, pp, aid = setup_action("producer", PRODUCER)
    make_client("ssm").modify_document_permission(Name="vend-AddDataSource", PermissionType="Share",
                                                  AccountIdsToRemove=[PRODUCER])
    rec = sc.execute_provisioned_product_service_action(
        ProvisionedProductId=pp, ServiceActionId=aid, ExecuteToken="e3",
        Parameters={"DatabaseName": ["sales"], "SourceName": ["x"]})["RecordDetail"]
    done = wait_record(sc, rec["RecordId"])
    assert done["RecordDetail"]["Status"] == "FAILED"
    assert "not shared" in done["RecordDetail"]["RecordErrors"][0]["Description"]


def test_start_automation_execution_directly():
    ssm = make_client("ssm")
    ssm.create_document(Name="direct", DocumentType="Automation", DocumentFormat="JSON", Content=json.dumps({
        "schemaVersion": "0.3", "parameters": {"Name": {"type": "String"}},
        "mainSteps": [{"name": "Put", "action": "aws:executeAwsApi",
                       "inputs": {"Service": "ssm", "Api": "PutParameter", "Name": "/vend/{{ Name }}",
                                  "Value": "{{ global:ACCOUNT_ID }}", "Type": "String"}}]}))
    exid = ssm.start_automation_execution(DocumentName="direct", Parameters={"Name": ["x"]})["AutomationExecutionId"]
    for _ in range(50):
        ex = ssm.get_automation_execution(AutomationExecutionId=exid)["AutomationExecution"]
        if ex["AutomationExecutionStatus"] not in ("Pending", "InProgress"):
            break
        time.sleep(0.2)
    assert ex["AutomationExecutionStatus"] == "Success"
    assert ssm.get_parameter(Name="/vend/x")["Parameter"]["Value"] == CENTRAL


def test_crawl_creates_tables_from_csv():
    s3, glue = make_client("s3", "producer"), make_client("glue")
    s3.create_bucket(Bucket="producer-sales")
    s3.put_object(Bucket="producer-sales", Key="sales/orders/part-1.csv", Body=b"order_id,amount,region\n1,9.5,eu\n2,3,us\n")
    s3.put_object(Bucket="producer-sales", Key="sales/customers/c.csv", Body=b"id,name,active\n7,Ann,true\n")
    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_crawler(Name="c", Role="arn:aws:iam::111111111111:role/r", DatabaseName="sales", TablePrefix="raw_",
                        Targets={"S3Targets": [{"Path": "s3://producer-sales/sales/"}]})
    glue.start_crawler(Name="c")
    for _ in range(40):
        c = glue.get_crawler(Name="c")["Crawler"]
        if c["State"] == "READY":
            break
        time.sleep(0.25)
    assert c["LastCrawl"]["Status"] == "SUCCEEDED"
    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName="sales")["TableList"]}
    assert set(tables) == {"raw_orders", "raw_customers"}
    cols = [(c["Name"], c["Type"]) for c in tables["raw_orders"]["StorageDescriptor"]["Columns"]]
    assert cols == [("order_id", "bigint"), ("amount", "double"), ("region", "string")]
    assert tables["raw_orders"]["StorageDescriptor"]["Location"] == "s3://producer-sales/sales/orders/"


def test_list_documents_name_filter_is_a_prefix_and_pages_lose_nothing():
    ssm = make_client("ssm")
    names = [f"vend-list-{i:02d}" for i in range(7)]
    for name in names + ["other-doc", "vend-lis"]:
        ssm.create_document(Name=name, DocumentType="Automation", DocumentFormat="YAML", Content=yaml.safe_dump(DOC))
    make_client("ssm", "producer").create_document(Name="vend-list-99", DocumentType="Automation", DocumentFormat="YAML",
                                                   Content=yaml.safe_dump(DOC))
    seen, token, pages = [], None, 0
    while True:
        args = {"Filters": [{"Key": "Owner", "Values": ["Self"]}, {"Key": "Name", "Values": ["vend-list-"]}], "MaxResults": 3}
        if token:
            args["NextToken"] = token
        page = ssm.list_documents(**args)
        pages += 1
        seen += [d["Name"] for d in page["DocumentIdentifiers"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == names  # another account's document and the shorter name are not listed
    assert pages == 3
    # Owner=Self lists the caller's own documents only, not AWS's.
    own = ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}], MaxResults=50)["DocumentIdentifiers"]
    assert sorted(d["Name"] for d in own) == sorted(names + ["other-doc", "vend-lis"])
