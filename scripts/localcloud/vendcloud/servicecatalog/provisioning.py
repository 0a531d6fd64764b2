"""Provisioned products: launch, describe, search, update, terminate.

AWS behaviour assumed (documented Service Catalog semantics):
- A product is launched through a launch path = a portfolio the caller can use (own, or
  shared and accepted; the caller's principal associated with it).
- The stack is named SC-<launching account>-<pp id>, created in the launching account,
  with the LAUNCH constraint's role (LocalRoleName resolved in the launching account, which
  must hold it and let servicecatalog.amazonaws.com assume it; otherwise ProvisionProduct
  fails with InvalidParametersException "Access denied while assuming the role …").
  Without a LAUNCH constraint the caller's own credentials are used.
- ProvisionProduct answers a record in status CREATED; the record then becomes SUCCEEDED
  (outputs = stack outputs) or FAILED (RecordErrors). The provisioned product becomes
  AVAILABLE, or ERROR when its first launch fails, TAINTED when an update fails.
  Here the stack operation runs within the call, so the first DescribeRecord already shows
  the final status.
- Guidance DEPRECATED blocks new launches and still allows updates; Active=false blocks both.
- Same Provision/Update/Terminate/Execute token -> the same record, nothing done again.
"""
from ..errors import AwsError
from .common import invalid, new_id, not_found, now, page
from .launch_paths import launch_role, resolve_path
from .lookups import find_artifact, find_product, get_product
from .records import finish, new_record, pp_status, record_view
from .stacks import cfn_backend, check_parameters, check_rules, create_stack, stack_outputs
from .state import catalog, idempotent
from .tag_options import apply_tag_options
from .templates import parse_template


def pp_detail(pp, ctx=None):
    keys = ("Name", "Arn", "Type", "Id", "Status", "StatusMessage", "CreatedTime", "IdempotencyToken", "LastRecordId",
            "LastProvisioningRecordId", "LastSuccessfulProvisioningRecordId", "ProductId", "ProvisioningArtifactId",
            "LaunchRoleArn")
    out = {k: pp[k] for k in keys if pp.get(k) is not None}
    if ctx is not None:
        out["Status"] = pp_status(ctx, pp)
        if out["Status"] == "UNDER_CHANGE":
            out.pop("StatusMessage", None)
    return out


def _params_dict(lst):
    return {x["Key"]: x.get("Value", "") for x in (lst or []) if not x.get("UsePreviousValue")}


def provision_product(ctx, p):
    """AWS Service Catalog API Reference, ProvisionProduct: launches a version through a launch path as a
    CloudFormation stack with the LAUNCH constraint's role; answers a record; the same ProvisionToken answers
    the same record."""
    def go():
        prod, st = find_product(ctx, p, admin=False)
        art = find_artifact(prod, st, p)
        pid = resolve_path(ctx, prod, st, p)
        if not art["Active"]:
            raise invalid(f"Provisioning artifact {art['Id']} is not active.")
        if art["Guidance"] == "DEPRECATED":
            raise invalid(f"Provisioning artifact {art['Id']} is deprecated; it cannot be used for new launches.")
        mine = catalog().store(ctx.account, ctx.region)
        name = p["ProvisionedProductName"]
        if any(x["Name"] == name and x["Status"] != "TERMINATED" for x in mine.provisioned.values()):
            raise AwsError("DuplicateResourceException", f"A provisioned product with the name {name} already exists.")
        role = launch_role(ctx, st, pid, prod["Id"])
        tags = apply_tag_options(ctx, st, pid, prod["Id"], p.get("Tags"))
        check_rules(ctx, st, pid, prod["Id"], parse_template(art["TemplateBody"]),
                     _params_dict(p.get("ProvisioningParameters")))
        pp_id = new_id("pp")
        pp = {"Name": name, "Arn": f"arn:aws:servicecatalog:{ctx.region}:{ctx.account}:stack/{name}/{pp_id}",
              "Type": "CFN_STACK", "Id": pp_id, "Status": "UNDER_CHANGE", "CreatedTime": now(),
              "IdempotencyToken": p["ProvisionToken"], "ProductId": prod["Id"], "ProvisioningArtifactId": art["Id"],
              "LaunchRoleArn": role, "PathId": pid, "Tags": tags,
              "StackName": f"SC-{ctx.account}-{pp_id}", "Params": _params_dict(p.get("ProvisioningParameters"))}
        with catalog().lock:
            mine.provisioned[pp_id] = pp
        rec = new_record(ctx, pp, "PROVISION_PRODUCT", pid)
        pp["LastProvisioningRecordId"] = rec["RecordId"]
        response = {"RecordDetail": record_view(rec)}
        ok, outputs, err = create_stack(ctx, pp, art, pp["Params"], role, pp["Tags"])
        finish(rec, ok, outputs, err)
        if ok:
            pp["Status"], pp["LastSuccessfulProvisioningRecordId"] = "AVAILABLE", rec["RecordId"]
            pp["StatusMessage"] = None
        else:
            pp["Status"], pp["StatusMessage"] = "ERROR", err
        return response
    return idempotent(ctx, "ProvisionProduct", p.get("ProvisionToken"), go)


def get_pp(ctx, p, id_key="ProvisionedProductId", name_key="ProvisionedProductName"):
    mine = catalog().store(ctx.account, ctx.region)
    if p.get(id_key):
        pp = mine.provisioned.get(p[id_key])
        if pp is None or (pp["Status"] == "TERMINATED" and pp_status(ctx, pp) != "UNDER_CHANGE"):
            raise not_found("ProvisionedProduct", p[id_key])
        return pp
    for pp in mine.provisioned.values():
        if pp["Name"] == p.get(name_key) and (pp["Status"] != "TERMINATED" or pp_status(ctx, pp) == "UNDER_CHANGE"):
            return pp
    raise not_found("ProvisionedProduct", p.get(name_key) or "")


def describe_provisioned_product(ctx, p):
    """AWS Service Catalog API Reference, DescribeProvisionedProduct: the provisioned product's detail by Id
    or Name (UNDER_CHANGE while an operation on it runs)."""
    pp = get_pp(ctx, p, "Id", "Name")
    return {"ProvisionedProductDetail": pp_detail(pp, ctx), "CloudWatchDashboards": []}


def get_provisioned_product_outputs(ctx, p):
    """AWS Service Catalog API Reference, GetProvisionedProductOutputs: the outputs of the provisioned
    product's last successful provisioning (optionally only the named OutputKeys)."""
    pp = get_pp(ctx, p)
    rid = pp.get("LastSuccessfulProvisioningRecordId")
    outs = catalog().store(ctx.account, ctx.region).records[rid]["_outputs"] if rid else []
    if p.get("OutputKeys"):
        outs = [o for o in outs if o["OutputKey"] in p["OutputKeys"]]
    return page(outs, p, "Outputs")


def _search_view(ctx, pp):
    st = catalog().owner_store(pp["ProductId"], ctx.region)
    prod = st.products.get(pp["ProductId"]) if st else None
    art = st.artifacts.get(pp["ProvisioningArtifactId"]) if st else None
    v = pp_detail(pp, ctx)
    v.pop("LaunchRoleArn", None)
    v.update({"Tags": pp.get("Tags", []), "PhysicalId": pp.get("PhysicalId", ""),
              "ProductName": prod["Name"] if prod else "", "ProvisioningArtifactName": art["Name"] if art else "",
              "UserArn": f"arn:aws:iam::{ctx.account}:root"})
    return v


def search_provisioned_products(ctx, p):
    """AWS Service Catalog API Reference, SearchProvisionedProducts: the caller account's provisioned
    products, filtered by SearchQuery (field:value or free text), with TotalResultsCount."""
    pps = [x for x in catalog().store(ctx.account, ctx.region).provisioned.values() if x["Status"] != "TERMINATED"]
    for q in (p.get("Filters") or {}).get("SearchQuery", []):
        key, sep, val = q.partition(":")
        if sep and key in ("name", "id", "productId", "provisioningArtifactId", "status", "type"):
            field = {"name": "Name", "id": "Id", "productId": "ProductId",
                     "provisioningArtifactId": "ProvisioningArtifactId", "status": "Status", "type": "Type"}[key]
            pps = [x for x in pps if str(x.get(field, "")).lower() == val.lower()]
        else:
            pps = [x for x in pps if q.lower() in x["Name"].lower()]
    out = page([_search_view(ctx, x) for x in pps], p, "ProvisionedProducts")
    out["TotalResultsCount"] = len(pps)
    return out


def scan_provisioned_products(ctx, p):
    """AWS Service Catalog API Reference, ScanProvisionedProducts: the caller account's provisioned products
    (terminated ones are gone)."""
    pps = [x for x in catalog().store(ctx.account, ctx.region).provisioned.values() if x["Status"] != "TERMINATED"]
    return page([pp_detail(x, ctx) for x in pps], p, "ProvisionedProducts")


def update_provisioned_product(ctx, p):
    """AWS Service Catalog API Reference, UpdateProvisionedProduct: updates the stack to another version or
    parameters (a DEPRECATED version still may be used); a failed update taints the provisioned product; the
    same UpdateToken answers the same record."""
    def go():
        pp = get_pp(ctx, p)
        if pp_status(ctx, pp) in ("UNDER_CHANGE", "PLAN_IN_PROGRESS") or pp["Status"] == "TERMINATED":
            raise invalid(f"Provisioned product {pp['Id']} is under change.")
        prod, st = get_product(ctx, p.get("ProductId") or pp["ProductId"], admin=False)
        q = dict(p)
        if not q.get("ProvisioningArtifactId") and not q.get("ProvisioningArtifactName"):
            q["ProvisioningArtifactId"] = pp["ProvisioningArtifactId"]
        art = find_artifact(prod, st, q)
        if not art["Active"]:
            raise invalid(f"Provisioning artifact {art['Id']} is not active.")
        # AWS: a DEPRECATED artifact still allows updates.
        pid = resolve_path(ctx, prod, st, {"PathId": p.get("PathId") or pp["PathId"]})
        role = launch_role(ctx, st, pid, prod["Id"])
        params = dict(pp["Params"])
        for x in p.get("ProvisioningParameters") or []:
            if not x.get("UsePreviousValue"):
                params[x["Key"]] = x.get("Value", "")
        check_rules(ctx, st, pid, prod["Id"], parse_template(art["TemplateBody"]), params)
        rec = new_record(ctx, pp, "UPDATE_PROVISIONED_PRODUCT", pid)
        rec["ProductId"], rec["ProvisioningArtifactId"] = prod["Id"], art["Id"]
        response = {"RecordDetail": record_view(rec)}
        pp["LastProvisioningRecordId"] = rec["RecordId"]
        if pp["Status"] == "ERROR" or not pp.get("PhysicalId") or pp.get("_rolled_back"):
            err = "The provisioned product's stack does not exist (its first launch failed); terminate it."
            finish(rec, False, None, err)
            return response
        template = parse_template(art["TemplateBody"])
        err = check_parameters(template, params)
        outputs = []
        if not err:
            try:
                be = cfn_backend(ctx)
                stack = be.update_stack(name=pp["PhysicalId"], template=art["TemplateBody"], role_arn=role,
                                        parameters=[{"ParameterKey": k, "ParameterValue": v}
                                                    for k, v in params.items()], tags=None)
                if stack.status == "UPDATE_ROLLBACK_COMPLETE":
                    err = f"Stack UPDATE_ROLLBACK_COMPLETE: {getattr(stack, 'vend_failure', '')}"
                outputs = stack_outputs(stack)
            except Exception as e:
                err = f"{type(e).__name__}: {getattr(e, 'message', None) or e}"
        finish(rec, not err, outputs if not err else None, err)
        if err:
            pp["Status"], pp["StatusMessage"] = "TAINTED", err  # AWS: failed update, rolled back
        else:
            pp.update({"Status": "AVAILABLE", "StatusMessage": None, "ProductId": prod["Id"],
                       "ProvisioningArtifactId": art["Id"], "Params": params, "PathId": pid,
                       "LastSuccessfulProvisioningRecordId": rec["RecordId"], "LaunchRoleArn": role})
        return response
    return idempotent(ctx, "UpdateProvisionedProduct", p.get("UpdateToken"), go)


def terminate_provisioned_product(ctx, p):
    """AWS Service Catalog API Reference, TerminateProvisionedProduct: deletes the provisioned product's stack
    (not with RetainPhysicalResources); a failed delete taints it unless IgnoreErrors; the same TerminateToken
    answers the same record."""
    def go():
        pp = get_pp(ctx, p)
        if pp_status(ctx, pp) == "UNDER_CHANGE" or pp["Status"] == "TERMINATED":
            raise invalid(f"Provisioned product {pp['Id']} is under change.")
        rec = new_record(ctx, pp, "TERMINATE_PROVISIONED_PRODUCT", pp.get("PathId"))
        response = {"RecordDetail": record_view(rec)}
        err = None
        if pp.get("PhysicalId") and not p.get("RetainPhysicalResources"):
            try:
                be = cfn_backend(ctx)
                be.delete_stack(pp["PhysicalId"])
                left = be.stacks.get(pp["PhysicalId"])
                if left is not None and left.status == "DELETE_FAILED":
                    err = f"Stack DELETE_FAILED: {getattr(left, 'vend_failure', '')}"
            except Exception as e:
                err = f"{type(e).__name__}: {e}"
        if err and not p.get("IgnoreErrors"):
            finish(rec, False, None, err)
            pp["Status"], pp["StatusMessage"] = "TAINTED", err
        else:
            finish(rec, True, [])
            pp["Status"] = "TERMINATED"  # AWS: no longer found by Describe/Search
        return response
    return idempotent(ctx, "TerminateProvisionedProduct", p.get("TerminateToken"), go)
