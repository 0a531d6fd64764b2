"""Provisioned product plans: what launching or updating a provisioned product would change.

AWS behaviour assumed (AWS Service Catalog API Reference):
- CreateProvisionedProductPlan
  (https://docs.aws.amazon.com/servicecatalog/latest/dg/API_CreateProvisionedProductPlan.html):
  PlanType CLOUDFORMATION; for the provisioned product named ProvisionedProductName when one
  exists (an update plan), else for a new one (a launch plan). The product, version and launch
  path are checked as ProvisionProduct checks them (an unknown product or version:
  ResourceNotFoundException; an inactive version, a launch role that cannot be assumed, a
  parameter the template does not have or rejects: InvalidParametersException). Same
  IdempotencyToken -> the same plan.
- DescribeProvisionedProductPlan
  (https://docs.aws.amazon.com/servicecatalog/latest/dg/API_DescribeProvisionedProductPlan.html):
  the plan (Status CREATE_IN_PROGRESS, then CREATE_SUCCESS: the store's settling window, as for
  records) and its ResourceChanges, paged by PageSize (at most 20).
- ResourceChange (https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ResourceChange.html):
  Action ADD | MODIFY | REMOVE, LogicalResourceId, PhysicalResourceId ("if it was already
  created"), ResourceType, Replacement TRUE | FALSE | CONDITIONAL ("If the change type is
  Modify"), Scope, Details (ResourceChangeDetail: Target Attribute / Name / RequiresRecreation,
  Evaluation). The changes are cfn_update's dry run of the stack update (cfn_update.plan), so a
  plan shows what UpdateProvisionedProduct would do here; Replacement comes from REPLACEMENT
  below (each property's "Update requires" on the type's CloudFormation reference page).
- ListProvisionedProductPlans / DeleteProvisionedProductPlan: the account's plans, optionally
  for one provisioned product; Delete forgets the plan (ResourceNotFoundException if unknown).

Not modelled: ExecuteProvisionedProductPlan (answers 501: vend never executes a plan); a launch
plan does not reserve a provisioned product (AWS shows one in PLAN_IN_PROGRESS).
"""
from .. import cfn_update
from ..errors import AwsError
from .common import invalid, new_id, not_found, now, page, path_id, ready_at, settling
from .launch_paths import launch_role, resolve_path
from .lookups import find_artifact, get_product
from .records import pp_status
from .stacks import cfn_backend, check_parameters, check_rules
from .state import catalog, idempotent
from .templates import parse_template

# resource type -> {property: RequiresRecreation}; "*": every property; others CONDITIONALLY.
# AWS::LakeFormation::PrincipalPermissions: every property "Update requires: Replacement";
# AWS::Glue::Database: DatabaseInput "No interruption", CatalogId "Replacement";
# AWS::S3::Bucket: BucketName "Replacement" (CloudFormation Template Reference, each type's page).
REPLACEMENT = {
    "AWS::LakeFormation::PrincipalPermissions": {"*": "ALWAYS"},
    "AWS::Glue::Database": {"DatabaseInput": "NEVER", "CatalogId": "ALWAYS"},
    "AWS::S3::Bucket": {"BucketName": "ALWAYS"},
}
_SCOPE = {"Properties": "PROPERTIES", "Metadata": "METADATA", "CreationPolicy": "CREATIONPOLICY",
          "UpdatePolicy": "UPDATEPOLICY", "DeletionPolicy": "DELETIONPOLICY"}  # the ResourceAttribute enum


def _recreation(rtype, prop):
    table = REPLACEMENT.get(rtype, {})
    return table.get("*") or table.get(prop) or "CONDITIONALLY"


def resource_change(c):
    """A cfn_update.plan change as a Service Catalog ResourceChange."""
    out = {"Action": c["Action"].upper(), "LogicalResourceId": c["LogicalResourceId"],
           "ResourceType": c["ResourceType"]}
    if c.get("PhysicalResourceId"):
        out["PhysicalResourceId"] = c["PhysicalResourceId"]
    if c["Action"] != "Modify":
        return out
    details = [{"Target": {"Attribute": "PROPERTIES", "Name": prop,
                           "RequiresRecreation": _recreation(c["ResourceType"], prop)}, "Evaluation": "STATIC"}
               for prop in c.get("ChangedProperties", [])]
    recreation = {d["Target"]["RequiresRecreation"] for d in details}
    out["Replacement"] = ("TRUE" if "ALWAYS" in recreation else "CONDITIONAL" if "CONDITIONALLY" in recreation
                          else "FALSE")
    out["Scope"] = [_SCOPE[s] for s in c.get("Scope", []) if s in _SCOPE]
    out["Details"] = details
    return out


def _existing(ctx, name):
    for pp in catalog().store(ctx.account, ctx.region).provisioned.values():
        if pp["Name"] == name and pp["Status"] != "TERMINATED":
            return pp
    return None


def _changes(ctx, pp, template, params):
    if pp is not None and pp.get("PhysicalId") and not pp.get("_rolled_back"):
        stack = cfn_backend(ctx).get_stack(pp["PhysicalId"])
        return cfn_update.plan(stack.resource_map, template, params)
    return cfn_update.plan_create(template, params, ctx.account, ctx.region)


def create_provisioned_product_plan(ctx, p):
    """AWS Service Catalog API Reference, CreateProvisionedProductPlan: validates like ProvisionProduct, records the dry run."""
    def go():
        if p.get("PlanType") != "CLOUDFORMATION":
            raise invalid(f"Invalid PlanType: {p.get('PlanType')}")
        prod, st = get_product(ctx, p["ProductId"], admin=False)
        art = find_artifact(prod, st, p)
        if not art["Active"]:
            raise invalid(f"Provisioning artifact {art['Id']} is not active.")
        pid = resolve_path(ctx, prod, st, p)
        launch_role(ctx, st, pid, prod["Id"])  # the caller must be able to launch through the path
        pp = _existing(ctx, p["ProvisionedProductName"])
        if pp is not None and pp_status(ctx, pp) in ("UNDER_CHANGE", "PLAN_IN_PROGRESS"):
            raise AwsError("InvalidStateException", f"Provisioned product {pp['Id']} is under change.")
        params = dict(pp["Params"]) if pp is not None else {}
        for x in p.get("ProvisioningParameters") or []:
            if not x.get("UsePreviousValue"):
                params[x["Key"]] = x.get("Value", "")
        template = parse_template(art["TemplateBody"])
        err = check_parameters(template, params)
        if err:
            raise invalid(err)
        check_rules(ctx, st, pid, prod["Id"], template, params)
        changes = [resource_change(c) for c in _changes(ctx, pp, template, params)]
        plan = {"PlanName": p["PlanName"], "PlanId": new_id("pp"), "PlanType": "CLOUDFORMATION",
                "ProvisionProductId": pp["Id"] if pp is not None else new_id("pp"),
                "ProvisionProductName": p["ProvisionedProductName"], "ProductId": prod["Id"],
                "ProvisioningArtifactId": art["Id"], "PathId": path_id(pid, prod["Id"]),
                "CreatedTime": now(), "UpdatedTime": now(), "NotificationArns": p.get("NotificationArns") or [],
                "ProvisioningParameters": p.get("ProvisioningParameters") or [], "Tags": p.get("Tags") or [],
                "_changes": changes, "_ready_at": ready_at()}
        with catalog().lock:
            catalog().store(ctx.account, ctx.region).plans[plan["PlanId"]] = plan
        return {"PlanName": plan["PlanName"], "PlanId": plan["PlanId"],
                "ProvisionProductId": plan["ProvisionProductId"],
                "ProvisionedProductName": plan["ProvisionProductName"], "ProvisioningArtifactId": art["Id"]}
    return idempotent(ctx, "CreateProvisionedProductPlan", p.get("IdempotencyToken"), go)


def _get(ctx, plan_id):
    plan = catalog().store(ctx.account, ctx.region).plans.get(plan_id)
    if plan is None:
        raise not_found("ProvisionedProductPlan", plan_id)
    return plan


def describe_provisioned_product_plan(ctx, p):
    """AWS Service Catalog API Reference, DescribeProvisionedProductPlan: the plan and, once created, its resource changes."""
    plan = _get(ctx, p["PlanId"])
    detail = {k: v for k, v in plan.items() if not k.startswith("_")}
    detail["Status"] = "CREATE_IN_PROGRESS" if settling(plan) else "CREATE_SUCCESS"
    if int(p.get("PageSize") or 0) > 20:
        raise invalid("PageSize must be at most 20.")
    out = page([] if settling(plan) else plan["_changes"], p, "ResourceChanges")
    out["ProvisionedProductPlanDetails"] = detail
    return out


def list_provisioned_product_plans(ctx, p):
    """AWS Service Catalog API Reference, ListProvisionedProductPlans: the account's plans (optionally for one provisioned product)."""
    keys = ("PlanName", "PlanId", "ProvisionProductId", "ProvisionProductName", "PlanType", "ProvisioningArtifactId")
    plans = list(catalog().store(ctx.account, ctx.region).plans.values())
    if p.get("ProvisionProductId"):
        plans = [x for x in plans if x["ProvisionProductId"] == p["ProvisionProductId"]]
    return page([{k: x[k] for k in keys} for x in plans], p, "ProvisionedProductPlans")


def delete_provisioned_product_plan(ctx, p):
    """AWS Service Catalog API Reference, DeleteProvisionedProductPlan: the plan is gone."""
    _get(ctx, p["PlanId"])
    with catalog().lock:
        catalog().store(ctx.account, ctx.region).plans.pop(p["PlanId"], None)
    return {}
