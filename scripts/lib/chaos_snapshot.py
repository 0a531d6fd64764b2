"""The state of the local cloud's three accounts after the story, as comparable data.

`take(profiles)` reads every account through boto3 (the generated aws/config profiles point
at the local cloud) and returns a dict of sorted lists, normalised so that two runs of the
same story compare equal: generated ids become stable names (`port:data-mesh`,
`pa:producer-onboarding/1.0.0`, `pp:producer-retail`, ...), timestamps, record ids, request
ids and counters that count attempts rather than results are dropped. Collections stay
lists (never dicts keyed by name), so a duplicate shows up as an extra entry.
"""
import datetime
import json
import re
import time

import boto3
from botocore.config import Config

# Keys that hold times, per-attempt bookkeeping or ids that say nothing about the result.
DROP_KEYS = {
    "ResponseMetadata", "CreatedTime", "CreationTime", "CreationDate", "CreateDate", "CreateTime",
    "LastUpdatedTime", "LastUpdateTime", "LastModified", "LastModifiedDate",
    "LastRecordId", "LastProvisioningRecordId", "LastSuccessfulProvisioningRecordId",
    "IdempotencyToken", "UserArn", "UserArnSession",
}
KEEP_ORDER = {"Columns"}
ID_PATTERN = re.compile(r"\b(port|prod|prodview|pa|cons|tag|act|pp|rec|share|lpv3)-[a-z0-9]{13}\b")
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

_CLIENT = Config(retries={"max_attempts": 10, "mode": "standard"}, connect_timeout=5, read_timeout=60)


class Names:
    """Random id -> stable name, filled while reading and applied to every string at the end."""

    def __init__(self):
        self.names = {}

    def add(self, ident, name):
        if ident:
            self.names[ident] = name

    def apply(self, value, key=None):
        if isinstance(value, dict):
            return {k: self.apply(v, k) for k, v in value.items() if k not in DROP_KEYS}
        if isinstance(value, list):
            items = [self.apply(v) for v in value]
            # ids became names: sort again (order is not meaningful except a table's columns)
            return items if key in KEEP_ORDER else _sorted(items)
        if isinstance(value, (datetime.datetime, datetime.date)):
            return "<time>"
        if isinstance(value, str):
            value = ID_PATTERN.sub(lambda m: self.names.get(m.group(0), f"<unnamed {m.group(1)}>"), value)
            return UUID_PATTERN.sub("<uuid>", value)
        return value


def _canon(value):
    return json.dumps(value, sort_keys=True, default=str)


def _sorted(items):
    return sorted(items, key=_canon)


def _pages(client, method, key, **kwargs):
    """Every item of a paginated listing (boto3's paginator when there is one)."""
    if client.can_paginate(method):
        out = []
        for page in client.get_paginator(method).paginate(**kwargs):
            out.extend(page.get(key, []))
        return out
    out, token = [], None
    while True:
        args = dict(kwargs)
        if token:
            args["PageToken" if "PageToken" in _token_names(client, method) else "NextToken"] = token
        page = getattr(client, method)(**args)
        out.extend(page.get(key, []))
        token = page.get("NextPageToken") or page.get("NextToken")
        if not token:
            return out


def _token_names(client, method):
    op = client.meta.method_to_api_mapping[method]
    return set(client.meta.service_model.operation_model(op).input_shape.members)


class AccountReader:
    """Reads one account through its profile."""

    def __init__(self, profile, names):
        self.session = boto3.Session(profile_name=profile)
        self.names = names
        self.account = self.session.client("sts", config=_CLIENT).get_caller_identity()["Account"]

    def client(self, service):
        return self.session.client(service, config=_CLIENT)

    def read(self):
        return {
            "servicecatalog": self.service_catalog(),
            "cloudformation": self.stacks(),
            "ssm": self.documents(),
            "ssm parameters": self.parameters(),
            "s3": self.buckets(),
            "glue": self.glue(),
            "lakeformation": self.lake_formation(),
            "iam": self.roles(),
            "athena": self.workgroups(),
        }

    # Service Catalog -----------------------------------------------------------------------
    def service_catalog(self):
        sc = self.client("servicecatalog")
        out = {"portfolios": [], "imported": [], "products": [], "constraints": [], "tagOptions": [],
               "serviceActions": [], "provisionedProducts": [], "launchable": []}
        for option in _pages(sc, "list_tag_options", "TagOptionDetails"):
            self.names.add(option["Id"], f"tag:{option['Key']}={option['Value']}")
            out["tagOptions"].append({k: option.get(k) for k in ("Key", "Value", "Active")})
        for action in _pages(sc, "list_service_actions", "ServiceActionSummaries"):
            self.names.add(action["Id"], f"act:{action['Name']}")
            detail = sc.describe_service_action(Id=action["Id"])["ServiceActionDetail"]
            out["serviceActions"].append(detail)
        for portfolio in _pages(sc, "list_portfolios", "PortfolioDetails"):
            self.names.add(portfolio["Id"], f"port:{portfolio['DisplayName']}")
            out["portfolios"].append(self.portfolio(sc, portfolio, local=True))
        for portfolio in _pages(sc, "list_accepted_portfolio_shares", "PortfolioDetails",
                                PortfolioShareType="IMPORTED"):
            self.names.add(portfolio["Id"], f"port:{portfolio['DisplayName']}")
            out["imported"].append(self.portfolio(sc, portfolio, local=False))
        if out["imported"]:  # what the caller may launch through imported portfolios
            out["launchable"] = [p["Name"] for p in _pages(sc, "search_products", "ProductViewSummaries")]
        for summary in _pages(sc, "search_products_as_admin", "ProductViewDetails"):
            out["products"].append(self.product(sc, summary["ProductViewSummary"]))
        for portfolio in out["portfolios"]:
            for constraint in _pages(sc, "list_constraints_for_portfolio", "ConstraintDetails",
                                     PortfolioId=portfolio["Id"]):
                detail = sc.describe_constraint(Id=constraint["ConstraintId"])
                self.names.add(constraint["ConstraintId"], f"cons:{constraint['Type']}:{constraint.get('ProductId')}")
                params = json.loads(detail.get("ConstraintParameters") or "{}")
                out["constraints"].append({"Type": constraint["Type"], "PortfolioId": portfolio["Id"],
                                           "ProductId": constraint.get("ProductId"), "Parameters": params,
                                           "Status": detail.get("Status")})
        for pp in _pages(sc, "search_provisioned_products", "ProvisionedProducts",
                         AccessLevelFilter={"Key": "Account", "Value": "self"}):
            self.names.add(pp["Id"], f"pp:{pp['Name']}")
            outputs = sc.get_provisioned_product_outputs(ProvisionedProductId=pp["Id"]).get("Outputs", [])
            pp = {k: v for k, v in pp.items() if k not in ("Arn", "Tags")} | {
                "Outputs": _sorted({"Key": o["OutputKey"], "Value": o.get("OutputValue")} for o in outputs)}
            out["provisionedProducts"].append(pp)
        return {k: _sorted(v) for k, v in out.items()}

    def portfolio(self, sc, portfolio, local):
        pid = portfolio["Id"]
        entry = {k: portfolio.get(k) for k in ("Id", "DisplayName", "Description", "ProviderName")}
        entry["principals"] = _sorted(_pages(sc, "list_principals_for_portfolio", "Principals", PortfolioId=pid))
        if local:
            entry["products"] = _sorted(p["ProductViewSummary"]["Name"] for p in _pages(
                sc, "search_products_as_admin", "ProductViewDetails", PortfolioId=pid))
            shares = _pages(sc, "describe_portfolio_shares", "PortfolioShareDetails", PortfolioId=pid, Type="ACCOUNT")
            entry["shares"] = _sorted(shares)
            entry["access"] = _sorted(_pages(sc, "list_portfolio_access", "AccountIds", PortfolioId=pid))
            detail = sc.describe_portfolio(Id=pid)
            entry["tagOptions"] = _sorted(f"{t['Key']}={t['Value']}" for t in detail.get("TagOptions", []))
            entry["tags"] = _sorted(detail.get("Tags", []))
        return entry

    def product(self, sc, summary):
        product_id = summary["ProductId"]
        self.names.add(product_id, f"prod:{summary['Name']}")
        self.names.add(summary["Id"], f"prodview:{summary['Name']}")
        detail = sc.describe_product_as_admin(Id=product_id)
        artifacts = []
        for artifact in _pages(sc, "list_provisioning_artifacts", "ProvisioningArtifactDetails", ProductId=product_id):
            self.names.add(artifact["Id"], f"pa:{summary['Name']}/{artifact['Name']}")
            full = sc.describe_provisioning_artifact(ProductId=product_id, ProvisioningArtifactId=artifact["Id"])
            info = full["ProvisioningArtifactDetail"]
            actions = _pages(sc, "list_service_actions_for_provisioning_artifact", "ServiceActionSummaries",
                             ProductId=product_id, ProvisioningArtifactId=artifact["Id"])
            artifacts.append({k: info.get(k) for k in ("Id", "Name", "Description", "Type", "Active", "Guidance")}
                             | {"Status": full.get("Status"),
                                "serviceActions": _sorted(a["Name"] for a in actions)})
        return {"summary": summary, "artifacts": _sorted(artifacts),
                "tagOptions": _sorted(f"{t['Key']}={t['Value']}" for t in detail.get("TagOptions", [])),
                "tags": _sorted(detail.get("Tags", [])),
                "budgets": detail.get("Budgets", [])}

    # CloudFormation, SSM, S3 ---------------------------------------------------------------
    def stacks(self):
        cfn = self.client("cloudformation")
        out = []
        for stack in _pages(cfn, "describe_stacks", "Stacks"):
            resources = _pages(cfn, "list_stack_resources", "StackResourceSummaries", StackName=stack["StackName"])
            out.append({k: stack.get(k) for k in ("StackName", "StackStatus", "RoleARN", "Capabilities")}
                       | {"Parameters": _sorted(stack.get("Parameters", [])),
                          "Outputs": _sorted({k: o.get(k) for k in ("OutputKey", "OutputValue")}
                                             for o in stack.get("Outputs", [])),
                          "Tags": _sorted(stack.get("Tags", [])),
                          "Resources": _sorted({k: r.get(k) for k in ("LogicalResourceId", "ResourceType",
                                                                      "ResourceStatus")} for r in resources)})
        return _sorted(out)

    def documents(self):
        ssm = self.client("ssm")
        out = []
        for doc in _pages(ssm, "list_documents", "DocumentIdentifiers", Filters=[{"Key": "Owner", "Values": ["Self"]}]):
            detail = ssm.describe_document(Name=doc["Name"])["Document"]
            shared = ssm.describe_document_permission(Name=doc["Name"], PermissionType="Share").get("AccountIds", [])
            out.append({k: detail.get(k) for k in ("Name", "DocumentType", "DocumentFormat", "Hash", "Status",
                                                   "Description")} | {"sharedWith": sorted(shared)})
        return _sorted(out)

    def parameters(self):
        """Subscription requests and decisions (/vend/…): a duplicate would be a second name. The
        value's execution id and the version numbers count attempts (a RequestAccess automation that
        failed under a fault runs again), not results, so they are dropped."""
        ssm = self.client("ssm")
        writers = {p["Name"]: p.get("LastModifiedUser") for p in _pages(
            ssm, "describe_parameters", "Parameters", ParameterFilters=[{"Key": "Path", "Option": "Recursive", "Values": ["/vend"]}])}
        out = []
        for parameter in _pages(ssm, "get_parameters_by_path", "Parameters", Path="/vend", Recursive=True):
            try:
                value = json.loads(parameter.get("Value", ""))
            except ValueError:
                value = parameter.get("Value")
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if k not in ("execution", "requestVersion")}
            # The writer's session name may differ per attempt; its role is the result.
            writer = re.sub(r"(assumed-role/[^/]+)/.*$", r"\1", writers.get(parameter["Name"]) or "")
            out.append({"Name": parameter["Name"], "Value": value, "Writer": writer})
        return _sorted(out)

    def buckets(self):
        s3 = self.client("s3")
        out = []
        for bucket in s3.list_buckets().get("Buckets", []):
            name = bucket["Name"]
            objects = _pages(s3, "list_objects_v2", "Contents", Bucket=name)
            try:
                policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
            except s3.exceptions.ClientError:
                policy = None
            # apply's record of what it made (vend/mesh/*.json) by content: it decides later removals
            records = {o["Key"]: json.loads(s3.get_object(Bucket=name, Key=o["Key"])["Body"].read())
                       for o in objects if o["Key"].startswith("vend/mesh/") and o["Key"].endswith(".json")}
            out.append({"Name": name, "policy": policy,
                        "objects": sorted(f"{o['Key']} {o['Size']}" for o in objects)}
                       | ({"records": records} if records else {}))
        return _sorted(out)

    # Glue, Lake Formation, IAM, Athena ----------------------------------------------------
    def glue(self):
        glue = self.client("glue")
        databases, tables = [], []
        for db in _pages(glue, "get_databases", "DatabaseList"):
            databases.append({k: db.get(k) for k in ("Name", "LocationUri", "TargetDatabase", "Parameters")})
            if db.get("TargetDatabase"):
                continue  # a resource link lists the target's tables; those belong to the target account
            for table in _pages(glue, "get_tables", "TableList", DatabaseName=db["Name"]):
                sd = table.get("StorageDescriptor", {})
                # TargetTable: a table resource link (its columns live in the target's catalog)
                tables.append({"Database": db["Name"], "Name": table["Name"], "Location": sd.get("Location"),
                               "TargetTable": table.get("TargetTable"),
                               "Columns": [f"{c['Name']}:{c.get('Type')}" for c in sd.get("Columns", [])]})
        crawlers = [{k: c.get(k) for k in ("Name", "Role", "DatabaseName", "Targets", "State", "TablePrefix")}
                    for c in _pages(glue, "get_crawlers", "Crawlers")]
        return {"databases": _sorted(databases), "tables": _sorted(tables), "crawlers": _sorted(crawlers)}

    def lake_formation(self):
        lf = self.client("lakeformation")
        settings = lf.get_data_lake_settings()["DataLakeSettings"]
        tags = _pages(lf, "list_lf_tags", "LFTags")
        permissions = _pages(lf, "list_permissions", "PrincipalResourcePermissions")
        resources = _pages(lf, "list_resources", "ResourceInfoList")
        glue = self.client("glue")
        # LF tags on each database of this catalog (tables inherit them; moto cannot read a
        # table's: GetResourceLFTags on a table fails inside moto, a local cloud limit)
        database_tags = [{"Database": db["Name"], "Tags": _sorted(
            {"TagKey": t["TagKey"], "TagValues": sorted(t["TagValues"])}
            for t in lf.get_resource_lf_tags(Resource={"Database": {"Name": db["Name"]}}).get("LFTagOnDatabase", []))}
            for db in _pages(glue, "get_databases", "DatabaseList") if not db.get("TargetDatabase")]
        return {"settings": settings, "databaseTags": _sorted(database_tags),
                "tags": _sorted({"TagKey": t["TagKey"], "TagValues": sorted(t["TagValues"])} for t in tags),
                "permissions": _sorted({k: p.get(k) for k in ("Principal", "Resource", "Permissions",
                                                             "PermissionsWithGrantOption")} for p in permissions),
                "resources": _sorted({k: r.get(k) for k in ("ResourceArn", "RoleArn", "WithFederation")}
                                     for r in resources)}

    def roles(self):
        iam = self.client("iam")
        out = []
        for role in _pages(iam, "list_roles", "Roles"):
            name = role["RoleName"]
            inline = {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                      for p in _pages(iam, "list_role_policies", "PolicyNames", RoleName=name)}
            attached = _pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)
            out.append({k: role.get(k) for k in ("RoleName", "Path", "Arn", "AssumeRolePolicyDocument",
                                                 "Description", "MaxSessionDuration")}
                       | {"inline": inline, "attached": _sorted(a["PolicyArn"] for a in attached)})
        return _sorted(out)

    def workgroups(self):
        athena = self.client("athena")
        out = []
        for wg in _pages(athena, "list_work_groups", "WorkGroups"):
            detail = athena.get_work_group(WorkGroup=wg["Name"])["WorkGroup"]
            out.append({k: detail.get(k) for k in ("Name", "State", "Configuration", "Description")})
        return _sorted(out)


def wait_for_quiet(profiles, timeout=60):
    """Crawlers finish a few seconds after the story ends: wait until each is READY, so the
    tables they create are there in both runs."""
    deadline = time.time() + timeout
    for profile in profiles:
        glue = boto3.Session(profile_name=profile).client("glue", config=_CLIENT)
        while True:
            busy = [c["Name"] for c in _pages(glue, "get_crawlers", "Crawlers") if c.get("State") != "READY"]
            if not busy:
                break
            if time.time() > deadline:
                raise RuntimeError(f"crawlers still running after {timeout}s in {profile}: {', '.join(busy)}")
            time.sleep(0.5)


def take(profiles):
    """The normalised snapshot of every profile's account: {profile: {...}}."""
    wait_for_quiet(profiles)
    names = Names()
    raw = {profile: AccountReader(profile, names).read() for profile in profiles}
    snap = names.apply(raw)
    return json.loads(_canon(snap))  # sorted keys, plain JSON types
