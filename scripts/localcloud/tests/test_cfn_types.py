"""CloudFormation: the data-mesh resource types create and delete real moto state; unknown
types fail the stack."""
import pytest
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, make_client

MESH = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Settings:
    Type: AWS::LakeFormation::DataLakeSettings
    Properties:
      Admins:
        - DataLakePrincipalIdentifier: !GetAtt AdminRole.Arn
        # the stack has no role: it grants as its caller, who must be an LF admin
        - DataLakePrincipalIdentifier: arn:aws:iam::111111111111:user/vend-localcloud-admin
      CreateDatabaseDefaultPermissions: []
      CreateTableDefaultPermissions: []
      Parameters: {CROSS_ACCOUNT_VERSION: "4"}
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: mesh-admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {Service: lakeformation.amazonaws.com}, Action: sts:AssumeRole}]
  AdminPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: admin-extra
      Roles: [!Ref AdminRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "glue:GetDatabase", Resource: "*"}]
  DomainTag:
    Type: AWS::LakeFormation::Tag
    Properties:
      CatalogId: !Ref AWS::AccountId
      TagKey: domain
      TagValues: [sales, hr]
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: mesh-data-bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {AWS: !GetAtt AdminRole.Arn}, Action: "s3:GetObject",
                     Resource: "arn:aws:s3:::mesh-data-bucket/*"}]
  Location:
    Type: AWS::LakeFormation::Resource
    Properties:
      ResourceArn: arn:aws:s3:::mesh-data-bucket
      UseServiceLinkedRole: false
      RoleArn: !GetAtt AdminRole.Arn
  Database:
    Type: AWS::Glue::Database
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseInput: {Name: sales, LocationUri: "s3://mesh-data-bucket/"}
  Crawler:
    Type: AWS::Glue::Crawler
    Properties:
      Name: sales-crawler
      Role: !GetAtt AdminRole.Arn
      DatabaseName: !Ref Database
      Targets: {S3Targets: [{Path: "s3://mesh-data-bucket/"}]}
  TagDb:
    Type: AWS::LakeFormation::TagAssociation
    DependsOn: DomainTag
    Properties:
      Resource: {Database: {CatalogId: !Ref AWS::AccountId, Name: !Ref Database}}
      LFTags: [{CatalogId: !Ref AWS::AccountId, TagKey: domain, TagValues: [sales]}]
  GrantLocation:
    Type: AWS::LakeFormation::PrincipalPermissions
    DependsOn: [Location, Settings]
    Properties:
      Principal: {DataLakePrincipalIdentifier: !GetAtt AdminRole.Arn}
      Resource: {DataLocation: {CatalogId: !Ref AWS::AccountId, ResourceArn: arn:aws:s3:::mesh-data-bucket}}
      Permissions: [DATA_LOCATION_ACCESS]
      PermissionsWithGrantOption: []
  GrantByTag:
    Type: AWS::LakeFormation::PrincipalPermissions
    DependsOn: [DomainTag, Settings]
    Properties:
      Principal: {DataLakePrincipalIdentifier: "333333333333"}
      Resource:
        LFTagPolicy: {CatalogId: !Ref AWS::AccountId, ResourceType: TABLE,
                      Expression: [{TagKey: domain, TagValues: [sales]}]}
      Permissions: [SELECT, DESCRIBE]
      PermissionsWithGrantOption: []
  WorkGroup:
    Type: AWS::Athena::WorkGroup
    Properties:
      Name: analysts
      WorkGroupConfiguration:
        EnforceWorkGroupConfiguration: true
        ResultConfiguration: {OutputLocation: "s3://mesh-data-bucket/results/"}
  Doc:
    Type: AWS::SSM::Document
    Properties:
      Name: mesh-doc
      DocumentType: Automation
      Content: {schemaVersion: "0.3", mainSteps: [{name: s, action: "aws:sleep", inputs: {Duration: PT1S}}]}
Outputs:
  Db: {Value: !Ref Database}
  Crawler: {Value: !Ref Crawler}
"""


def test_mesh_types_create_and_delete_real_state():
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="mesh", TemplateBody=MESH, Capabilities=["CAPABILITY_NAMED_IAM"])
    st = cfn.describe_stacks(StackName="mesh")["Stacks"][0]
    assert st["StackStatus"] == "CREATE_COMPLETE"
    assert {o["OutputKey"]: o["OutputValue"] for o in st["Outputs"]} == {"Db": "sales", "Crawler": "sales-crawler"}
    glue, lf, athena = make_client("glue"), make_client("lakeformation"), make_client("athena")
    assert glue.get_database(Name="sales")["Database"]["LocationUri"] == "s3://mesh-data-bucket/"
    assert glue.get_crawler(Name="sales-crawler")["Crawler"]["DatabaseName"] == "sales"
    s = lf.get_data_lake_settings()["DataLakeSettings"]
    assert s["DataLakeAdmins"][0]["DataLakePrincipalIdentifier"].endswith("role/mesh-admin")
    assert lf.get_lf_tag(TagKey="domain")["TagValues"] == ["sales", "hr"]
    tags = lf.get_resource_lf_tags(Resource={"Database": {"CatalogId": CENTRAL, "Name": "sales"}})
    assert tags["LFTagOnDatabase"][0]["TagValues"] == ["sales"]
    assert lf.describe_resource(ResourceArn="arn:aws:s3:::mesh-data-bucket")["ResourceInfo"]["RoleArn"].endswith(
        "role/mesh-admin")
    perms = lf.list_permissions()["PrincipalResourcePermissions"]
    assert {p["Principal"]["DataLakePrincipalIdentifier"] for p in perms} >= {CONSUMER}
    assert athena.get_work_group(WorkGroup="analysts")["WorkGroup"]["Configuration"]["ResultConfiguration"][
        "OutputLocation"] == "s3://mesh-data-bucket/results/"
    assert make_client("ssm").describe_document(Name="mesh-doc")["Document"]["DocumentType"] == "Automation"
    assert make_client("iam").get_role_policy(RoleName="mesh-admin", PolicyName="admin-extra")
    cfn.delete_stack(StackName="mesh")
    with pytest.raises(ClientError):
        glue.get_database(Name="sales")
    with pytest.raises(ClientError):
        glue.get_crawler(Name="sales-crawler")
    with pytest.raises(ClientError):
        lf.get_lf_tag(TagKey="domain")
    assert lf.list_resources()["ResourceInfoList"] == []
    assert lf.list_permissions()["PrincipalResourcePermissions"] == []
    assert lf.get_data_lake_settings()["DataLakeSettings"].get("DataLakeAdmins", []) == []
    with pytest.raises(ClientError):
        athena.get_work_group(WorkGroup="analysts")


def stack_failed(cfn, name, fragment):
    """AWS: a resource that cannot be created fails the stack (CREATE_FAILED, rolled back)."""
    st = cfn.describe_stacks(StackName=name)["Stacks"][0]
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    return st["StackStatus"] == "ROLLBACK_COMPLETE" and failed and fragment in failed[0].get(
        "ResourceStatusReason", "")


def test_failed_resource_rolls_the_stack_back():
    tpl = """
Resources:
  B: {Type: AWS::S3::Bucket, Properties: {BucketName: rolled-back-bucket}}
  C:
    Type: AWS::Glue::Crawler
    DependsOn: B
    Properties: {Name: c, Role: r, DatabaseName: nosuchdb, Targets: {S3Targets: [{Path: "s3://x/"}]}}
"""
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="rb", TemplateBody=tpl)
    assert stack_failed(cfn, "rb", "nosuchdb")
    assert "rolled-back-bucket" not in [b["Name"] for b in make_client("s3").list_buckets()["Buckets"]]


def test_create_of_an_existing_stack_fails_and_leaves_it_alone():
    tpl = "Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: kept-bucket}}\n"
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="kept", TemplateBody=tpl)
    with pytest.raises(ClientError) as e:
        cfn.create_stack(StackName="kept", TemplateBody=tpl)
    assert e.value.response["Error"]["Code"] == "AlreadyExistsException"
    assert cfn.describe_stacks(StackName="kept")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    assert "kept-bucket" in [b["Name"] for b in make_client("s3").list_buckets()["Buckets"]]


def test_resource_link_needs_existing_target():
    link = """
Resources:
  Link:
    Type: AWS::Glue::Database
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseInput: {Name: sales_link, TargetDatabase: {CatalogId: "111111111111", DatabaseName: sales}}
"""
    ccfn = make_client("cloudformation", "consumer")
    ccfn.create_stack(StackName="link", TemplateBody=link)
    assert stack_failed(ccfn, "link", "sales")
    make_client("glue").create_database(DatabaseInput={"Name": "sales"})
    ccfn.create_stack(StackName="link2", TemplateBody=link)
    db = make_client("glue", "consumer").get_database(Name="sales_link")["Database"]
    assert db["TargetDatabase"] == {"CatalogId": "111111111111", "DatabaseName": "sales"}


def test_grant_on_unknown_tag_or_unregistered_location_fails():
    bad = """
Resources:
  G:
    Type: AWS::LakeFormation::PrincipalPermissions
    Properties:
      Principal: {DataLakePrincipalIdentifier: "333333333333"}
      Resource: {LFTagPolicy: {CatalogId: !Ref AWS::AccountId, ResourceType: TABLE,
                               Expression: [{TagKey: nosuchtag, TagValues: [x]}]}}
      Permissions: [SELECT]
"""
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="bad", TemplateBody=bad)
    assert stack_failed(cfn, "bad", "nosuchtag")


def test_unknown_type_fails_the_stack(cli):
    tpl = """
Resources:
  B: {Type: AWS::S3::Bucket, Properties: {BucketName: should-not-exist}}
  X: {Type: AWS::Made::Up, Properties: {}}
"""
    with pytest.raises(ClientError) as e:
        make_client("cloudformation").create_stack(StackName="unknown", TemplateBody=tpl)
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert "Unrecognized resource types: [AWS::Made::Up]" in e.value.response["Error"]["Message"]
    assert "should-not-exist" not in [b["Name"] for b in make_client("s3").list_buckets()["Buckets"]]
    import os
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(tpl)
    try:
        p = cli("central", "cloudformation", "create-stack", "--stack-name", "u2", "--template-body",
                f"file://{f.name}", check=False)
    finally:
        os.unlink(f.name)
    assert p.returncode != 0 and "Unrecognized resource types" in p.stderr


def test_every_type_in_the_project_templates_is_known():
    """The product templates must only use types the local cloud can create."""
    import glob
    import os
    import warnings
    warnings.filterwarnings("ignore")
    from vendcloud import cfn_types
    root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "products")
    templates = glob.glob(os.path.join(root, "*", "template.yaml"))
    if not templates:
        pytest.skip("no product templates")
    for path in templates:
        with open(path) as f:
            cfn_types.check_types(f.read())  # raises ValidationError naming the unknown type


def test_resource_link_resolves_to_target_tables_and_catalog_id_routes():
    glue = make_client("glue")
    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_table(DatabaseName="sales", TableInput={"Name": "orders", "StorageDescriptor": {
        "Columns": [{"Name": "id", "Type": "bigint"}]}})
    cglue = make_client("glue", "consumer")
    cglue.create_database(DatabaseInput={"Name": "sales_link",
                                         "TargetDatabase": {"CatalogId": CENTRAL, "DatabaseName": "sales"}})
    assert [t["Name"] for t in cglue.get_tables(DatabaseName="sales_link")["TableList"]] == ["orders"]
    assert cglue.get_table(DatabaseName="sales_link", Name="orders")["Table"]["Name"] == "orders"
    assert cglue.get_table(CatalogId=CENTRAL, DatabaseName="sales", Name="orders")["Table"]["Name"] == "orders"
    with pytest.raises(ClientError):
        cglue.get_table(DatabaseName="sales", Name="orders")  # not in the consumer's own catalog


def test_failed_update_rolls_back():
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="up", TemplateBody="Resources:\n  B: {Type: AWS::S3::Bucket, Properties: "
                                                   "{BucketName: kept-bucket}}\n")
    cfn.update_stack(StackName="up", TemplateBody="""
Resources:
  B: {Type: AWS::S3::Bucket, Properties: {BucketName: kept-bucket}}
  C: {Type: AWS::Glue::Crawler, Properties: {Name: c, Role: r, DatabaseName: nosuchdb,
                                             Targets: {S3Targets: [{Path: "s3://x/"}]}}}
""")
    st = cfn.describe_stacks(StackName="up")["Stacks"][0]
    assert st["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert "kept-bucket" in [b["Name"] for b in make_client("s3").list_buckets()["Buckets"]]
    with pytest.raises(ClientError):
        make_client("glue").get_crawler(Name="c")


def test_bucket_properties_are_applied():
    cfn = make_client("cloudformation", "producer")
    cfn.create_stack(StackName="b", TemplateBody="""
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: hardened-bucket
      BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}}]}
      VersioningConfiguration: {Status: Enabled}
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true,
                                       RestrictPublicBuckets: true}
      OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerEnforced}]}
      LifecycleConfiguration: {Rules: [{Id: r, Status: Enabled, ExpirationInDays: 30}]}
""")
    s3 = make_client("s3", "producer")
    assert s3.get_bucket_versioning(Bucket="hardened-bucket")["Status"] == "Enabled"
    assert all(s3.get_public_access_block(Bucket="hardened-bucket")["PublicAccessBlockConfiguration"].values())
    assert s3.get_bucket_ownership_controls(Bucket="hardened-bucket")["OwnershipControls"]["Rules"][0][
        "ObjectOwnership"] == "BucketOwnerEnforced"
    assert s3.get_bucket_lifecycle_configuration(Bucket="hardened-bucket")["Rules"][0]["Expiration"]["Days"] == 30
    assert s3.get_bucket_encryption(Bucket="hardened-bucket")["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"


def test_validate_template_reports_format_errors_only():
    cfn = make_client("cloudformation")
    cfn.validate_template(TemplateBody="Parameters:\n  Unused: {Type: String}\nResources:\n  B: {Type: AWS::S3::Bucket}\n")
    with pytest.raises(ClientError) as e:
        cfn.validate_template(TemplateBody="Resources:\n  X: {Type: AWS::Made::Up}\n")
    assert e.value.response["Error"]["Message"].startswith("Template format error")


def test_stack_with_non_empty_bucket_fails_to_delete():
    cfn, s3 = make_client("cloudformation"), make_client("s3")
    cfn.create_stack(StackName="d", TemplateBody="Resources:\n  B: {Type: AWS::S3::Bucket, Properties: "
                                                  "{BucketName: full-bucket}}\n")
    s3.put_object(Bucket="full-bucket", Key="k", Body=b"x")
    cfn.delete_stack(StackName="d")
    st = cfn.describe_stacks(StackName="d")["Stacks"][0]
    assert st["StackStatus"] == "DELETE_FAILED"
    s3.delete_object(Bucket="full-bucket", Key="k")
    cfn.delete_stack(StackName="d")
    assert "full-bucket" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def admin(profile):
    """Makes the profile's IAM user a data lake administrator (only admins and grantable holders grant)."""
    from conftest import ACCOUNTS
    make_client("lakeformation", profile).put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [
        {"DataLakePrincipalIdentifier": f"arn:aws:iam::{ACCOUNTS[profile]}:user/vend-localcloud-admin"}]})


def test_cross_account_grant_needs_grantable_permissions():
    admin("central")
    admin("consumer")
    make_client("lakeformation").create_lf_tag(TagKey="domain", TagValues=["sales"])
    tpl = """
Resources:
  G:
    Type: AWS::LakeFormation::PrincipalPermissions
    Properties:
      Principal: {DataLakePrincipalIdentifier: "arn:aws:iam::333333333333:role/analyst"}
      Resource: {LFTagPolicy: {CatalogId: "111111111111", ResourceType: TABLE,
                               Expression: [{TagKey: domain, TagValues: [sales]}]}}
      Permissions: [SELECT]
      PermissionsWithGrantOption: []
"""
    ccfn = make_client("cloudformation", "consumer")
    ccfn.create_stack(StackName="g1", TemplateBody=tpl)
    assert stack_failed(ccfn, "g1", "grantable")
    make_client("lakeformation").grant_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER},
        Resource={"LFTagPolicy": {"CatalogId": CENTRAL, "ResourceType": "TABLE",
                                  "Expression": [{"TagKey": "domain", "TagValues": ["sales"]}]}},
        Permissions=["SELECT"], PermissionsWithGrantOption=["SELECT"])
    ccfn.create_stack(StackName="g2", TemplateBody=tpl)
    assert ccfn.describe_stacks(StackName="g2")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_cross_account_grant_api_needs_grantable_permissions():
    admin("consumer")  # an administrator, yet the account holds nothing grantable
    make_client("lakeformation").create_lf_tag(TagKey="domain", TagValues=["sales"])
    with pytest.raises(ClientError) as e:
        make_client("lakeformation", "consumer").grant_permissions(
            Principal={"DataLakePrincipalIdentifier": f"arn:aws:iam::{CONSUMER}:role/analyst"},
            Resource={"LFTagPolicy": {"CatalogId": CENTRAL, "ResourceType": "TABLE",
                                      "Expression": [{"TagKey": "domain", "TagValues": ["sales"]}]}},
            Permissions=["SELECT"])
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
