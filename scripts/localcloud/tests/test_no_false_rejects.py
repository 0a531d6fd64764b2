"""Valid requests of the shapes vend sends pass the model and signature checks (no false
rejects): lists, maps, nested structures, Query-protocol members, S3 XML bodies."""
import json

from conftest import make_client, requests_log

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def test_valid_requests_pass_every_check():
    iam, cfn, ssm, glue = make_client("iam"), make_client("cloudformation"), make_client("ssm"), make_client("glue")
    lf, athena, s3, sts = make_client("lakeformation"), make_client("athena"), make_client("s3"), make_client("sts")
    iam.create_role(RoleName="r1", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
                    Tags=[{"Key": "a", "Value": "b"}], MaxSessionDuration=3600)
    iam.put_role_policy(RoleName="r1", PolicyName="p", PolicyDocument=POLICY)
    iam.create_policy(PolicyName="mp", PolicyDocument=POLICY, Tags=[{"Key": "a", "Value": "b"}])
    iam.attach_role_policy(RoleName="r1", PolicyArn="arn:aws:iam::111111111111:policy/mp")
    iam.list_attached_role_policies(RoleName="r1", MaxItems=10)
    sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", RoleSessionName="s1",
                    PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}], Tags=[{"Key": "a", "Value": "b"}],
                    DurationSeconds=900)
    tpl = "Parameters:\n  P: {Type: String}\nResources:\n  B: {Type: AWS::S3::Bucket}\n"
    cfn.create_stack(StackName="s1", TemplateBody=tpl, Parameters=[{"ParameterKey": "P", "ParameterValue": "v"}],
                     Tags=[{"Key": "a", "Value": "b"}], Capabilities=["CAPABILITY_IAM"], OnFailure="ROLLBACK")
    cfn.create_change_set(StackName="s1", ChangeSetName="cs1", TemplateBody=tpl + "  C: {Type: AWS::S3::Bucket}\n",
                          Parameters=[{"ParameterKey": "P", "UsePreviousValue": True}], ChangeSetType="UPDATE")
    cfn.describe_change_set(StackName="s1", ChangeSetName="cs1")
    cfn.execute_change_set(StackName="s1", ChangeSetName="cs1")
    cfn.describe_stack_events(StackName="s1")
    cfn.validate_template(TemplateBody=tpl)
    ssm.put_parameter(Name="/x/y", Value="v", Type="String", Tags=[{"Key": "a", "Value": "b"}])
    ssm.get_parameters_by_path(Path="/x", Recursive=True)
    ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
    lf.batch_grant_permissions(Entries=[{"Id": "1", "Principal": {
        "DataLakePrincipalIdentifier": "arn:aws:iam::111111111111:role/r1"}, "Resource": {"Catalog": {}},
        "Permissions": ["CREATE_DATABASE"]}])
    lf.list_permissions(ResourceType="DATABASE")
    glue.create_database(DatabaseInput={"Name": "d1", "Parameters": {"a": "b"}}, Tags={"a": "b"})
    glue.create_table(DatabaseName="d1", TableInput={
        "Name": "t1", "TableType": "EXTERNAL_TABLE", "PartitionKeys": [{"Name": "dt", "Type": "string"}],
        "StorageDescriptor": {"Columns": [{"Name": "c", "Type": "string"}], "Location": "s3://b/p/"}})
    glue.get_tables(DatabaseName="d1", MaxResults=10)
    athena.create_work_group(Name="wg", Configuration={"ResultConfiguration": {"OutputLocation": "s3://b/r/"},
                                                       "EnforceWorkGroupConfiguration": True})
    s3.create_bucket(Bucket="vb1")
    s3.put_object(Bucket="vb1", Key="k", Body=b"x", Tagging="a=b", Metadata={"m": "v"}, ContentType="text/plain",
                  ServerSideEncryption="AES256")
    s3.copy_object(Bucket="vb1", Key="k2", CopySource={"Bucket": "vb1", "Key": "k"})
    s3.delete_objects(Bucket="vb1", Delete={"Objects": [{"Key": "k"}, {"Key": "k2"}]})
    s3.list_object_versions(Bucket="vb1")
    bad = [r for r in requests_log() if r["validation_ok"] is False or r["signature_ok"] is False
           or r["status"] == 501]
    assert bad == []
