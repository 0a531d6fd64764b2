"""Builders shared by the Service Catalog tests."""
import json
import uuid

from conftest import CENTRAL, make_client

SIMPLE_TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  BucketName:
    Type: String
    AllowedPattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref BucketName
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: !Sub "arn:aws:s3:::${BucketName}/*"
            Condition: {Bool: {"aws:SecureTransport": "false"}}
Outputs:
  BucketName:
    Value: !Ref Bucket
    Description: the bucket
  Env:
    Value: !Ref Env
"""

TRUST_SC = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": ["servicecatalog.amazonaws.com", "ssm.amazonaws.com"]},
     "Action": "sts:AssumeRole"}]})


def upload_template(body, key="templates/simple.yaml", bucket="vend-artifacts-111111111111", profile="central"):
    s3 = make_client("s3", profile)
    try:
        s3.create_bucket(Bucket=bucket)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode())
    return f"https://s3.amazonaws.com/{bucket}/{key}"


def make_launch_role(profile, name="VendLaunchRole"):
    iam = make_client("iam", profile)
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_SC)
    return name


def catalog(template=SIMPLE_TEMPLATE, launch_role="VendLaunchRole"):
    """Central portfolio + product (+ LAUNCH constraint with LocalRoleName)."""
    sc = make_client("servicecatalog", "central")
    url = upload_template(template)
    pf = sc.create_portfolio(DisplayName="mesh", ProviderName="platform",
                             IdempotencyToken=uuid.uuid4().hex)["PortfolioDetail"]
    prod = sc.create_product(Name="bucket-product", Owner="platform", ProductType="CLOUD_FORMATION_TEMPLATE",
                             ProvisioningArtifactParameters={"Name": "1.0.0", "Info": {"LoadTemplateFromURL": url},
                                                             "Type": "CLOUD_FORMATION_TEMPLATE"},
                             IdempotencyToken=uuid.uuid4().hex)
    prod_id = prod["ProductViewDetail"]["ProductViewSummary"]["ProductId"]
    pa_id = prod["ProvisioningArtifactDetail"]["Id"]
    sc.associate_product_with_portfolio(ProductId=prod_id, PortfolioId=pf["Id"])
    if launch_role:
        sc.create_constraint(PortfolioId=pf["Id"], ProductId=prod_id, Type="LAUNCH",
                             Parameters=json.dumps({"LocalRoleName": launch_role}),
                             IdempotencyToken=uuid.uuid4().hex)
    return sc, pf["Id"], prod_id, pa_id


def share_and_accept(sc, pf_id, profile, account):
    sc.create_portfolio_share(PortfolioId=pf_id, AccountId=account)
    rsc = make_client("servicecatalog", profile)
    rsc.accept_portfolio_share(PortfolioId=pf_id)
    return rsc


def associate_me(sc, pf_id, profile):
    acct = {"central": CENTRAL}.get(profile)
    from vendcloud.accounts import ACCOUNTS, ADMIN_USER
    acct = ACCOUNTS[profile]
    sc.associate_principal_with_portfolio(PortfolioId=pf_id, PrincipalType="IAM",
                                          PrincipalARN=f"arn:aws:iam::{acct}:user/{ADMIN_USER}")
