"""Launch paths (the portfolios a product is launched through), provisioning parameters and
the LAUNCH constraint's role."""
import json

from .common import invalid, not_found, page, path_id
from .constraints import constraints_for
from .lookups import accessible_portfolios, find_artifact, find_product, get_product
from .tag_options import tag_option_summary
from .templates import template_parameters


def list_launch_paths(ctx, p):
    """AWS Service Catalog API Reference, ListLaunchPaths: the launch paths (portfolios the caller may use,
    ids lpv3-) through which a product can be launched, with their constraints."""
    prod, st = get_product(ctx, p["ProductId"], admin=False)
    paths = accessible_portfolios(ctx, prod["Id"], end_user=True)
    if not paths:
        raise not_found("Product", p["ProductId"])
    out = []
    for pid in paths:
        out.append({"Id": path_id(pid, prod["Id"]), "Name": st.portfolios[pid]["DisplayName"],
                    "Tags": st.portfolios[pid]["Tags"],
                    "ConstraintSummaries": [{"Type": c["Type"], "Description": c["Description"]}
                                            for c in constraints_for(st, pid, prod["Id"])]})
    return page(out, p, "LaunchPathSummaries")


def resolve_path(ctx, prod, st, p):
    paths = accessible_portfolios(ctx, prod["Id"], end_user=True)
    if not paths:
        raise not_found("Product", prod["Id"])
    if p.get("PathId"):
        for pid in paths:
            if p["PathId"] in (pid, path_id(pid, prod["Id"])):
                return pid
        raise not_found("LaunchPath", p["PathId"])
    if p.get("PathName"):
        for pid in paths:
            if st.portfolios[pid]["DisplayName"] == p["PathName"]:
                return pid
        raise not_found("LaunchPath", p["PathName"])
    if len(paths) > 1:
        # AWS: with several launch paths the caller must name one.
        raise invalid("There are multiple launch paths for this product; specify PathId.")
    return paths[0]


def describe_provisioning_parameters(ctx, p):
    """AWS Service Catalog API Reference, DescribeProvisioningParameters: what launching a version through a
    launch path needs: template parameters, constraints, usage instructions, TagOptions and outputs."""
    prod, st = find_product(ctx, p, admin=False)
    art = find_artifact(prod, st, p)
    pid = resolve_path(ctx, prod, st, p)
    params, t = template_parameters(art)
    cons = constraints_for(st, pid, prod["Id"])
    usage = [{"Type": "version", "Value": art["Name"]}]
    for c in cons:
        if c["Type"] == "TEMPLATE":
            usage.append({"Type": "rules", "Value": json.dumps(json.loads(c["Parameters"]).get("Rules", {}))})
    outputs = [{"Key": k, "Description": v.get("Description", "")} for k, v in (t.get("Outputs") or {}).items()]
    return {"ProvisioningArtifactParameters": params,
            "ConstraintSummaries": [{"Type": c["Type"], "Description": c["Description"]} for c in cons],
            "UsageInstructions": usage,
            "TagOptions": [{"Key": k, "Values": v} for k, v in tag_option_summary(st, pid, prod["Id"], ctx).items()],
            "ProvisioningArtifactPreferences": {},
            "ProvisioningArtifactOutputs": outputs, "ProvisioningArtifactOutputKeys": outputs}


def launch_role(ctx, st, pid, prod_id):
    """Role ARN of the LAUNCH constraint (None without one); checks it exists in IAM and
    trusts servicecatalog.amazonaws.com, as AWS does when it assumes it."""
    from moto.iam.models import iam_backends
    for c in constraints_for(st, pid, prod_id):
        if c["Type"] != "LAUNCH":
            continue
        params = json.loads(c["Parameters"])
        if "LocalRoleName" in params:
            arn = f"arn:aws:iam::{ctx.account}:role/{params['LocalRoleName']}"
        else:
            arn = params["RoleArn"]
        acct, name = arn.split(":")[4], arn.split("/")[-1]
        if acct != ctx.account:
            # AWS: a RoleArn of another account cannot launch here (hence LocalRoleName for
            # portfolios shared across accounts)
            raise invalid(f"Access denied while assuming the role {arn}.")
        role = iam_backends[acct]["aws"].roles
        found = next((r for r in role.values() if r.name == name), None)
        if found is None or "servicecatalog.amazonaws.com" not in json.dumps(found.assume_role_policy_document):
            raise invalid(f"Access denied while assuming the role {arn}.")
        return arn
    return None
