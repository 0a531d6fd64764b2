"""Service Catalog end-user side: launch paths, provisioning parameters, provisioned
products (real moto CloudFormation stacks), records, service actions and their execution.

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
import json
import re

from . import automation
from .errors import AwsError
from .servicecatalog import (ACTION_ASSOC_QUOTA, _lock, accessible_portfolios, find_artifact, find_product,
                             get_product, idempotent, invalid, new_id, not_found, now, owner_store, page,
                             parse_template, path_id, ready_at, settling, store, template_parameters)

ACTIVE_PP = ("AVAILABLE", "TAINTED", "ERROR", "UNDER_CHANGE", "PLAN_IN_PROGRESS")


# --------------------------------------------------------------------------------- launch paths

def _constraints_for(st, pid, prod_id):
    return [c for c in st.constraints.values() if c["PortfolioId"] == pid and c["ProductId"] == prod_id]


def list_launch_paths(ctx, p):
    prod, st = get_product(ctx, p["ProductId"], admin=False)
    paths = accessible_portfolios(ctx, prod["Id"], end_user=True)
    if not paths:
        raise not_found("Product", p["ProductId"])
    out = []
    for pid in paths:
        out.append({"Id": path_id(pid, prod["Id"]), "Name": st.portfolios[pid]["DisplayName"],
                    "Tags": st.portfolios[pid]["Tags"],
                    "ConstraintSummaries": [{"Type": c["Type"], "Description": c["Description"]}
                                            for c in _constraints_for(st, pid, prod["Id"])]})
    return page(out, p, "LaunchPathSummaries")


def _resolve_path(ctx, prod, st, p):
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
    prod, st = find_product(ctx, p, admin=False)
    art = find_artifact(prod, st, p)
    pid = _resolve_path(ctx, prod, st, p)
    params, t = template_parameters(art)
    cons = _constraints_for(st, pid, prod["Id"])
    usage = [{"Type": "version", "Value": art["Name"]}]
    for c in cons:
        if c["Type"] == "TEMPLATE":
            usage.append({"Type": "rules", "Value": json.dumps(json.loads(c["Parameters"]).get("Rules", {}))})
    outputs = [{"Key": k, "Description": v.get("Description", "")} for k, v in (t.get("Outputs") or {}).items()]
    return {"ProvisioningArtifactParameters": params,
            "ConstraintSummaries": [{"Type": c["Type"], "Description": c["Description"]} for c in cons],
            "UsageInstructions": usage,
            "TagOptions": [{"Key": k, "Values": v} for k, v in _tag_option_summary(st, pid, prod["Id"], ctx).items()],
            "ProvisioningArtifactPreferences": {},
            "ProvisioningArtifactOutputs": outputs, "ProvisioningArtifactOutputKeys": outputs}


# --------------------------------------------------------------------------------- TagOptions

def _tag_option_summary(st, pid, prod_id, ctx=None):
    """Active TagOptions of the product and the launch path's portfolio, as {key: [values]}.
    AWS: a recipient account gets them only when the share has ShareTagOptions."""
    out = {}
    if ctx is not None and ctx.account != st.account:
        share = st.shares.get(pid, {}).get(ctx.account)
        if not (share and share.get("ShareTagOptions")):
            return out
    for rid in (prod_id, pid):
        for tid in st.tag_assoc.get(rid, []):
            t = st.tag_options.get(tid)
            if t and t["Active"]:
                vals = out.setdefault(t["Key"], [])
                if t["Value"] not in vals:
                    vals.append(t["Value"])
    return out


def _apply_tag_options(ctx, st, pid, prod_id, tags):
    """AWS: TagOptions of the product and portfolio become tags of the provisioned product; a
    key with one allowed value is applied automatically, a key with several needs a value
    from the user; a value outside the allowed ones is refused (InvalidParametersException)."""
    tags = list(tags or [])
    given = {t["Key"]: t["Value"] for t in tags}
    for key, values in _tag_option_summary(st, pid, prod_id, ctx).items():
        if key in given:
            if given[key] not in values:
                raise invalid(f"Tag {key}={given[key]} is not allowed; TagOption values: {', '.join(values)}.")
        elif len(values) == 1:
            tags.append({"Key": key, "Value": values[0]})
        else:
            raise invalid(f"Tag {key} is required; choose one of: {', '.join(values)}.")
    return tags


# --------------------------------------------------------------------------------- launch role

def _launch_role(ctx, st, pid, prod_id):
    """Role ARN of the LAUNCH constraint (None without one); checks it exists in IAM and
    trusts servicecatalog.amazonaws.com, as AWS does when it assumes it."""
    from moto.iam.models import iam_backends
    for c in _constraints_for(st, pid, prod_id):
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


# --------------------------------------------------------------------------------- records

def _record(ctx, pp, rtype, pid, status="CREATED", token=None):
    rid = new_id("rec")
    rec = {"RecordId": rid, "ProvisionedProductName": pp["Name"], "Status": status, "CreatedTime": now(),
           "UpdatedTime": now(), "ProvisionedProductType": "CFN_STACK", "RecordType": rtype,
           "ProvisionedProductId": pp["Id"], "ProductId": pp["ProductId"],
           "ProvisioningArtifactId": pp["ProvisioningArtifactId"],
           "PathId": path_id(pid, pp["ProductId"]) if pid else "", "RecordErrors": [],
           "RecordTags": pp.get("Tags", []), "LaunchRoleArn": pp.get("LaunchRoleArn") or "", "_outputs": [],
           "_ready_at": 0 if rtype == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION" else ready_at()}
    store(ctx.account, ctx.region).records[rid] = rec
    pp["LastRecordId"] = rid
    return rec


def _rec_view(rec):
    v = {k: val for k, val in rec.items() if not k.startswith("_")}
    if settling(rec) and v["Status"] in ("SUCCEEDED", "FAILED"):
        v["Status"], v["RecordErrors"] = "IN_PROGRESS", []
    return v


def _pp_status(ctx, pp):
    rec = store(ctx.account, ctx.region).records.get(pp.get("LastRecordId"))
    if rec is not None and settling(rec):
        return "UNDER_CHANGE"
    return pp["Status"]


def _finish(rec, ok, outputs=None, error=None):
    rec["Status"] = "SUCCEEDED" if ok else "FAILED"
    rec["UpdatedTime"] = now()
    if outputs is not None:
        rec["_outputs"] = outputs
    if error:
        rec["RecordErrors"] = [{"Code": "ProvisioningFailed", "Description": error}]


def describe_record(ctx, p):
    rec = store(ctx.account, ctx.region).records.get(p["Id"])
    if rec is None:
        raise not_found("Record", p["Id"])
    out = page([] if settling(rec) else rec["_outputs"], p, "RecordOutputs", 20)
    out["RecordDetail"] = _rec_view(rec)
    return out


def list_record_history(ctx, p):
    recs = list(store(ctx.account, ctx.region).records.values())
    f = p.get("SearchFilter") or {}
    if f.get("Key") == "provisionedproduct":
        recs = [r for r in recs if r["ProvisionedProductId"] == f.get("Value")]
    elif f.get("Key") == "product":
        recs = [r for r in recs if r["ProductId"] == f.get("Value")]
    recs.sort(key=lambda r: r["CreatedTime"], reverse=True)
    return page([_rec_view(r) for r in recs], p, "RecordDetails")


# --------------------------------------------------------------------------------- stacks

def _effective_params(template, given):
    spec = template.get("Parameters") or {}
    out = {k: v.get("Default") for k, v in spec.items() if "Default" in v}
    out.update(given)
    for k, v in spec.items():  # list-typed parameters are lists for the rule functions
        if k in out and (str(v.get("Type", "")).startswith("List<") or v.get("Type") == "CommaDelimitedList"):
            if isinstance(out.get(k), str):
                out[k] = [x.strip() for x in out[k].split(",") if x.strip()]
    return out


def _check_rules(ctx, st, pid, prod_id, template, params):
    """TEMPLATE constraints (and the template's own Rules): InvalidParametersException."""
    from . import rules
    eff = _effective_params(template, params)
    all_rules = [template.get("Rules") or {}]
    for c in _constraints_for(st, pid, prod_id):
        if c["Type"] == "TEMPLATE":
            all_rules.append(json.loads(c["Parameters"]).get("Rules") or {})
    for r in all_rules:
        try:
            rules.check(r, eff)
        except rules.RuleFailure as e:
            raise invalid(str(e))


def _check_parameters(template, given):
    """CloudFormation's parameter checks (CreateStack answers ValidationError for these)."""
    spec = template.get("Parameters") or {}
    unknown = [k for k in given if k not in spec]
    if unknown:
        return f"Parameters: [{', '.join(unknown)}] do not exist in the template"
    missing = [k for k, v in spec.items() if k not in given and "Default" not in v]
    if missing:
        return f"Parameters: [{', '.join(missing)}] must have values"
    for k, v in spec.items():
        val = given.get(k, v.get("Default"))
        if val is None:
            continue
        val = str(val)
        desc = v.get("ConstraintDescription")
        if "AllowedValues" in v and val not in [str(x) for x in v["AllowedValues"]]:
            return desc or f"Parameter '{k}' must be one of AllowedValues"
        if "AllowedPattern" in v and not re.fullmatch(v["AllowedPattern"], val):
            return desc or f"Parameter '{k}' must match pattern {v['AllowedPattern']}"
        if "MaxLength" in v and len(val) > int(v["MaxLength"]):
            return desc or f"Parameter '{k}' must contain at most {v['MaxLength']} characters"
        if "MinLength" in v and len(val) < int(v["MinLength"]):
            return desc or f"Parameter '{k}' must contain at least {v['MinLength']} characters"
    return None


def _cfn(ctx):
    from moto.cloudformation.models import cloudformation_backends
    return cloudformation_backends[ctx.account][ctx.region]


def _stack_outputs(stack):
    return [{"OutputKey": o["OutputKey"], "OutputValue": str(o["OutputValue"]),
             **({"Description": o["Description"]} if o.get("Description") else {})}
            for o in (stack.outputs or [])]


def _create_stack(ctx, pp, art, params, role_arn, tags):
    """Create the real stack; returns (ok, outputs, error). On failure the stack is rolled
    back (resources deleted, status ROLLBACK_COMPLETE) as CloudFormation does."""
    template = parse_template(art["TemplateBody"])
    err = _check_parameters(template, params)
    if err:
        return False, [], err
    be = _cfn(ctx)
    try:
        stack = be.create_stack(name=pp["StackName"], template=art["TemplateBody"],
                                parameters=params, tags={t["Key"]: t["Value"] for t in tags}, role_arn=role_arn)
    except Exception as e:  # template / parameter errors: CreateStack itself fails
        return False, [], f"{type(e).__name__}: {getattr(e, 'message', None) or e}"
    pp["PhysicalId"] = stack.stack_id
    if stack.status != "CREATE_COMPLETE":  # a resource failed: rolled back (cfn_types)
        pp["_rolled_back"] = True
        return False, [], f"Stack {stack.status}: {getattr(stack, 'vend_failure', '')}"
    return True, _stack_outputs(stack), None


def _pp_detail(pp, ctx=None):
    keys = ("Name", "Arn", "Type", "Id", "Status", "StatusMessage", "CreatedTime", "IdempotencyToken", "LastRecordId",
            "LastProvisioningRecordId", "LastSuccessfulProvisioningRecordId", "ProductId", "ProvisioningArtifactId",
            "LaunchRoleArn")
    out = {k: pp[k] for k in keys if pp.get(k) is not None}
    if ctx is not None:
        out["Status"] = _pp_status(ctx, pp)
        if out["Status"] == "UNDER_CHANGE":
            out.pop("StatusMessage", None)
    return out


def _params_dict(lst):
    return {x["Key"]: x.get("Value", "") for x in (lst or []) if not x.get("UsePreviousValue")}


def provision_product(ctx, p):
    def go():
        prod, st = find_product(ctx, p, admin=False)
        art = find_artifact(prod, st, p)
        pid = _resolve_path(ctx, prod, st, p)
        if not art["Active"]:
            raise invalid(f"Provisioning artifact {art['Id']} is not active.")
        if art["Guidance"] == "DEPRECATED":
            raise invalid(f"Provisioning artifact {art['Id']} is deprecated; it cannot be used for new launches.")
        mine = store(ctx.account, ctx.region)
        name = p["ProvisionedProductName"]
        if any(x["Name"] == name and x["Status"] != "TERMINATED" for x in mine.provisioned.values()):
            raise AwsError("DuplicateResourceException", f"A provisioned product with the name {name} already exists.")
        role = _launch_role(ctx, st, pid, prod["Id"])
        tags = _apply_tag_options(ctx, st, pid, prod["Id"], p.get("Tags"))
        _check_rules(ctx, st, pid, prod["Id"], parse_template(art["TemplateBody"]),
                     _params_dict(p.get("ProvisioningParameters")))
        pp_id = new_id("pp")
        pp = {"Name": name, "Arn": f"arn:aws:servicecatalog:{ctx.region}:{ctx.account}:stack/{name}/{pp_id}",
              "Type": "CFN_STACK", "Id": pp_id, "Status": "UNDER_CHANGE", "CreatedTime": now(),
              "IdempotencyToken": p["ProvisionToken"], "ProductId": prod["Id"], "ProvisioningArtifactId": art["Id"],
              "LaunchRoleArn": role, "PathId": pid, "Tags": tags,
              "StackName": f"SC-{ctx.account}-{pp_id}", "Params": _params_dict(p.get("ProvisioningParameters"))}
        with _lock:
            mine.provisioned[pp_id] = pp
        rec = _record(ctx, pp, "PROVISION_PRODUCT", pid)
        pp["LastProvisioningRecordId"] = rec["RecordId"]
        response = {"RecordDetail": _rec_view(rec)}
        ok, outputs, err = _create_stack(ctx, pp, art, pp["Params"], role, pp["Tags"])
        _finish(rec, ok, outputs, err)
        if ok:
            pp["Status"], pp["LastSuccessfulProvisioningRecordId"] = "AVAILABLE", rec["RecordId"]
            pp["StatusMessage"] = None
        else:
            pp["Status"], pp["StatusMessage"] = "ERROR", err
        return response
    return idempotent(ctx, "ProvisionProduct", p.get("ProvisionToken"), go)


def _get_pp(ctx, p, id_key="ProvisionedProductId", name_key="ProvisionedProductName"):
    mine = store(ctx.account, ctx.region)
    if p.get(id_key):
        pp = mine.provisioned.get(p[id_key])
        if pp is None or (pp["Status"] == "TERMINATED" and _pp_status(ctx, pp) != "UNDER_CHANGE"):
            raise not_found("ProvisionedProduct", p[id_key])
        return pp
    for pp in mine.provisioned.values():
        if pp["Name"] == p.get(name_key) and (pp["Status"] != "TERMINATED" or _pp_status(ctx, pp) == "UNDER_CHANGE"):
            return pp
    raise not_found("ProvisionedProduct", p.get(name_key) or "")


def describe_provisioned_product(ctx, p):
    pp = _get_pp(ctx, p, "Id", "Name")
    return {"ProvisionedProductDetail": _pp_detail(pp, ctx), "CloudWatchDashboards": []}


def get_provisioned_product_outputs(ctx, p):
    pp = _get_pp(ctx, p)
    rid = pp.get("LastSuccessfulProvisioningRecordId")
    outs = store(ctx.account, ctx.region).records[rid]["_outputs"] if rid else []
    if p.get("OutputKeys"):
        outs = [o for o in outs if o["OutputKey"] in p["OutputKeys"]]
    return page(outs, p, "Outputs")


def _search_view(ctx, pp):
    st = owner_store(pp["ProductId"], ctx.region)
    prod = st.products.get(pp["ProductId"]) if st else None
    art = st.artifacts.get(pp["ProvisioningArtifactId"]) if st else None
    v = _pp_detail(pp, ctx)
    v.pop("LaunchRoleArn", None)
    v.update({"Tags": pp.get("Tags", []), "PhysicalId": pp.get("PhysicalId", ""),
              "ProductName": prod["Name"] if prod else "", "ProvisioningArtifactName": art["Name"] if art else "",
              "UserArn": f"arn:aws:iam::{ctx.account}:root"})
    return v


def search_provisioned_products(ctx, p):
    pps = [x for x in store(ctx.account, ctx.region).provisioned.values() if x["Status"] != "TERMINATED"]
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
    pps = [x for x in store(ctx.account, ctx.region).provisioned.values() if x["Status"] != "TERMINATED"]
    return page([_pp_detail(x, ctx) for x in pps], p, "ProvisionedProducts")


def update_provisioned_product(ctx, p):
    def go():
        pp = _get_pp(ctx, p)
        if _pp_status(ctx, pp) in ("UNDER_CHANGE", "PLAN_IN_PROGRESS") or pp["Status"] == "TERMINATED":
            raise invalid(f"Provisioned product {pp['Id']} is under change.")
        prod, st = get_product(ctx, p.get("ProductId") or pp["ProductId"], admin=False)
        q = dict(p)
        if not q.get("ProvisioningArtifactId") and not q.get("ProvisioningArtifactName"):
            q["ProvisioningArtifactId"] = pp["ProvisioningArtifactId"]
        art = find_artifact(prod, st, q)
        if not art["Active"]:
            raise invalid(f"Provisioning artifact {art['Id']} is not active.")
        # AWS: a DEPRECATED artifact still allows updates.
        pid = _resolve_path(ctx, prod, st, {"PathId": p.get("PathId") or pp["PathId"]})
        role = _launch_role(ctx, st, pid, prod["Id"])
        params = dict(pp["Params"])
        for x in p.get("ProvisioningParameters") or []:
            if not x.get("UsePreviousValue"):
                params[x["Key"]] = x.get("Value", "")
        _check_rules(ctx, st, pid, prod["Id"], parse_template(art["TemplateBody"]), params)
        rec = _record(ctx, pp, "UPDATE_PROVISIONED_PRODUCT", pid)
        rec["ProductId"], rec["ProvisioningArtifactId"] = prod["Id"], art["Id"]
        response = {"RecordDetail": _rec_view(rec)}
        pp["LastProvisioningRecordId"] = rec["RecordId"]
        if pp["Status"] == "ERROR" or not pp.get("PhysicalId") or pp.get("_rolled_back"):
            err = "The provisioned product's stack does not exist (its first launch failed); terminate it."
            _finish(rec, False, None, err)
            return response
        template = parse_template(art["TemplateBody"])
        err = _check_parameters(template, params)
        outputs = []
        if not err:
            try:
                be = _cfn(ctx)
                stack = be.update_stack(name=pp["PhysicalId"], template=art["TemplateBody"], role_arn=role,
                                        parameters=[{"ParameterKey": k, "ParameterValue": v}
                                                    for k, v in params.items()], tags=None)
                if stack.status == "UPDATE_ROLLBACK_COMPLETE":
                    err = f"Stack UPDATE_ROLLBACK_COMPLETE: {getattr(stack, 'vend_failure', '')}"
                outputs = _stack_outputs(stack)
            except Exception as e:
                err = f"{type(e).__name__}: {getattr(e, 'message', None) or e}"
        _finish(rec, not err, outputs if not err else None, err)
        if err:
            pp["Status"], pp["StatusMessage"] = "TAINTED", err  # AWS: failed update, rolled back
        else:
            pp.update({"Status": "AVAILABLE", "StatusMessage": None, "ProductId": prod["Id"],
                       "ProvisioningArtifactId": art["Id"], "Params": params, "PathId": pid,
                       "LastSuccessfulProvisioningRecordId": rec["RecordId"], "LaunchRoleArn": role})
        return response
    return idempotent(ctx, "UpdateProvisionedProduct", p.get("UpdateToken"), go)


def terminate_provisioned_product(ctx, p):
    def go():
        pp = _get_pp(ctx, p)
        if _pp_status(ctx, pp) == "UNDER_CHANGE" or pp["Status"] == "TERMINATED":
            raise invalid(f"Provisioned product {pp['Id']} is under change.")
        rec = _record(ctx, pp, "TERMINATE_PROVISIONED_PRODUCT", pp.get("PathId"))
        response = {"RecordDetail": _rec_view(rec)}
        err = None
        if pp.get("PhysicalId") and not p.get("RetainPhysicalResources"):
            try:
                be = _cfn(ctx)
                be.delete_stack(pp["PhysicalId"])
                left = be.stacks.get(pp["PhysicalId"])
                if left is not None and left.status == "DELETE_FAILED":
                    err = f"Stack DELETE_FAILED: {getattr(left, 'vend_failure', '')}"
            except Exception as e:
                err = f"{type(e).__name__}: {e}"
        if err and not p.get("IgnoreErrors"):
            _finish(rec, False, None, err)
            pp["Status"], pp["StatusMessage"] = "TAINTED", err
        else:
            _finish(rec, True, [])
            pp["Status"] = "TERMINATED"  # AWS: no longer found by Describe/Search
        return response
    return idempotent(ctx, "TerminateProvisionedProduct", p.get("TerminateToken"), go)


# --------------------------------------------------------------------------------- service actions

def _action_view(a):
    return {"ServiceActionSummary": {"Id": a["Id"], "Name": a["Name"], "Description": a.get("Description", ""),
                                     "DefinitionType": a["DefinitionType"]},
            "Definition": a["Definition"]}


def _get_action(ctx, aid):
    st = owner_store(aid, ctx.region)
    if st is None or aid not in st.actions:
        raise not_found("ServiceAction", aid)
    return st.actions[aid], st


def create_service_action(ctx, p):
    def go():
        d = p["Definition"]
        if p["DefinitionType"] != "SSM_AUTOMATION":
            raise invalid("DefinitionType must be SSM_AUTOMATION.")
        for k in ("Name", "Version"):
            if not d.get(k):
                raise invalid(f"Definition.{k} is required.")
        if "Parameters" in d:
            try:
                json.loads(d["Parameters"])
            except ValueError:
                raise invalid("Definition.Parameters must be a JSON list.")
        st = store(ctx.account, ctx.region)
        aid = new_id("act")
        a = {"Id": aid, "Name": p["Name"], "Description": p.get("Description", ""),
             "DefinitionType": p["DefinitionType"], "Definition": dict(d), "Owner": ctx.account}
        from .servicecatalog import OWNER
        with _lock:
            st.actions[aid] = a
            OWNER[aid] = (ctx.account, ctx.region)
        return {"ServiceActionDetail": _action_view(a)}
    return idempotent(ctx, "CreateServiceAction", p.get("IdempotencyToken"), go)


def describe_service_action(ctx, p):
    a, st = _get_action(ctx, p["Id"])
    return {"ServiceActionDetail": _action_view(a)}


def update_service_action(ctx, p):
    a, st = _get_action(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("ServiceAction", p["Id"])
    for k in ("Name", "Description"):
        if k in p:
            a[k] = p[k]
    if "Definition" in p:
        a["Definition"].update(p["Definition"])
    return {"ServiceActionDetail": _action_view(a)}


def delete_service_action(ctx, p):
    a, st = _get_action(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("ServiceAction", p["Id"])
    if any(a["Id"] in v for v in st.action_assoc.values()):
        raise AwsError("ResourceInUseException", "The service action is associated with provisioning artifacts.")
    del st.actions[a["Id"]]
    return {}


def list_service_actions(ctx, p):
    st = store(ctx.account, ctx.region)
    return page([_action_view(a)["ServiceActionSummary"] for a in st.actions.values()], p, "ServiceActionSummaries")


def _assoc(ctx, prod_id, art_id, aid):
    prod, st = get_product(ctx, prod_id)
    if art_id not in prod["Artifacts"]:
        raise not_found("ProvisioningArtifact", art_id)
    _get_action(ctx, aid)
    with _lock:
        lst = st.action_assoc.setdefault((prod_id, art_id), [])
        if aid in lst:
            raise AwsError("DuplicateResourceException", "The service action is already associated with this version.")
        if len(lst) >= ACTION_ASSOC_QUOTA:
            raise AwsError("LimitExceededException",
                           f"A provisioning artifact can have at most {ACTION_ASSOC_QUOTA} service actions.")
        lst.append(aid)


def associate_service_action_with_provisioning_artifact(ctx, p):
    def go():
        _assoc(ctx, p["ProductId"], p["ProvisioningArtifactId"], p["ServiceActionId"])
        return {}
    return idempotent(ctx, "AssociateServiceAction", p.get("IdempotencyToken"), go)


def disassociate_service_action_from_provisioning_artifact(ctx, p):
    prod, st = get_product(ctx, p["ProductId"])
    lst = st.action_assoc.get((p["ProductId"], p["ProvisioningArtifactId"]), [])
    if p["ServiceActionId"] not in lst:
        raise not_found("ServiceAction association", p["ServiceActionId"])
    lst.remove(p["ServiceActionId"])
    return {}


def batch_associate_service_action_with_provisioning_artifact(ctx, p):
    failed = []
    for a in p["ServiceActionAssociations"]:
        try:
            _assoc(ctx, a["ProductId"], a["ProvisioningArtifactId"], a["ServiceActionId"])
        except AwsError as e:
            code = {"ResourceNotFoundException": "RESOURCE_NOT_FOUND", "LimitExceededException": "LIMIT_EXCEEDED",
                    "DuplicateResourceException": "DUPLICATE_RESOURCE"}.get(e.code, "INVALID_PARAMETER")
            failed.append({**a, "ErrorCode": code, "ErrorMessage": e.message})
    return {"FailedServiceActionAssociations": failed}


def batch_disassociate_service_action_from_provisioning_artifact(ctx, p):
    failed = []
    for a in p["ServiceActionAssociations"]:
        try:
            disassociate_service_action_from_provisioning_artifact(ctx, a)
        except AwsError as e:
            failed.append({**a, "ErrorCode": "RESOURCE_NOT_FOUND" if e.code == "ResourceNotFoundException"
                           else "INVALID_PARAMETER", "ErrorMessage": e.message})
    return {"FailedServiceActionAssociations": failed}


def list_service_actions_for_provisioning_artifact(ctx, p):
    prod, st = get_product(ctx, p["ProductId"], admin=False)
    if p["ProvisioningArtifactId"] not in prod["Artifacts"]:
        raise not_found("ProvisioningArtifact", p["ProvisioningArtifactId"])
    ids = st.action_assoc.get((p["ProductId"], p["ProvisioningArtifactId"]), [])
    return page([_action_view(st.actions[a])["ServiceActionSummary"] for a in ids if a in st.actions],
                p, "ServiceActionSummaries")


def list_provisioning_artifacts_for_service_action(ctx, p):
    a, st = _get_action(ctx, p["ServiceActionId"])
    out = []
    for (prod_id, art_id), ids in st.action_assoc.items():
        if a["Id"] in ids and prod_id in st.products:
            prod = st.products[prod_id]
            out.append({"ProductViewSummary": {"Id": prod["ViewId"], "ProductId": prod_id, "Name": prod["Name"],
                                               "Owner": prod["Owner"], "Type": prod["ProductType"]},
                        "ProvisioningArtifact": {k: st.artifacts[art_id][k]
                                                 for k in ("Id", "Name", "Description", "CreatedTime")}})
    return page(out, p, "ProvisioningArtifactViews")


def _action_parameters(a):
    try:
        return json.loads(a["Definition"].get("Parameters") or "[]")
    except ValueError:
        return []


def describe_service_action_execution_parameters(ctx, p):
    pp = _get_pp(ctx, p)
    a, st = _get_action(ctx, p["ServiceActionId"])
    out = []
    for x in _action_parameters(a):
        val = [pp["Id"]] if x.get("Type") == "TARGET" else []
        out.append({"Name": x["Name"], "Type": x.get("Type", "TEXT_VALUE"), "DefaultValues": val})
    return {"ServiceActionParameters": out}


def execute_provisioned_product_service_action(ctx, p):
    def go():
        pp = _get_pp(ctx, p)
        a, ast = _get_action(ctx, p["ServiceActionId"])
        st = owner_store(pp["ProductId"], ctx.region)
        if a["Id"] not in st.action_assoc.get((pp["ProductId"], pp["ProvisioningArtifactId"]), []):
            raise invalid(f"Service action {a['Id']} is not associated with the provisioned product's version.")
        if _pp_status(ctx, pp) not in ("AVAILABLE", "TAINTED"):
            raise invalid(f"Provisioned product {pp['Id']} is {_pp_status(ctx, pp)}.")
        d = a["Definition"]
        # Definition.AssumeRole LAUNCH_ROLE = the launch constraint's role (AWS).
        role = d.get("AssumeRole")
        if role == "LAUNCH_ROLE":
            role = _launch_role(ctx, st, pp["PathId"], pp["ProductId"])
            if role is None:
                raise invalid("The service action uses LAUNCH_ROLE but the product has no launch constraint.")
        given = p.get("Parameters") or {}
        params = {}
        for x in _action_parameters(a):
            if x.get("Type") == "TARGET":
                params[x["Name"]] = [pp["Id"]]
            elif x["Name"] in given:
                params[x["Name"]] = given[x["Name"]]
        for k, v in given.items():
            params.setdefault(k, v)
        rec = _record(ctx, pp, "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION", pp.get("PathId"))
        response = {"RecordDetail": _rec_view(rec)}
        rec["Status"] = "IN_PROGRESS"

        def done(execution):
            outs = [{"OutputKey": "AutomationExecutionId", "OutputValue": execution["AutomationExecutionId"]},
                    {"OutputKey": "AutomationExecutionStatus", "OutputValue": execution["AutomationExecutionStatus"]}]
            for k, v in (execution.get("Outputs") or {}).items():
                # SSM outputs are lists of strings; a one-element list shows as its value
                if isinstance(v, list):
                    v = v[0] if len(v) == 1 else ",".join(str(x) for x in v)
                outs.append({"OutputKey": k, "OutputValue": v if isinstance(v, str) else json.dumps(v)})
            if execution.get("FailureMessage"):
                outs.append({"OutputKey": "FailureMessage", "OutputValue": execution["FailureMessage"]})
            ok = execution["AutomationExecutionStatus"] == "Success"
            _finish(rec, ok, outs, None if ok else execution.get("FailureMessage", "Automation failed"))

        try:
            automation.start(ctx.account, ctx.region, ast.account, d["Name"], d.get("Version"), params, role,
                             ctx.base_url, on_done=done, caller_key=ctx.key_id)
        except AwsError as e:
            _finish(rec, False, [{"OutputKey": "FailureMessage", "OutputValue": e.message}], e.message)
        return response
    return idempotent(ctx, "ExecuteProvisionedProductServiceAction", p.get("ExecuteToken"), go)

