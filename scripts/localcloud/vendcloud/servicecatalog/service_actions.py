"""Self-service actions: the actions, their associations with product versions, and their
execution as SSM Automation (vendcloud.automation) on a provisioned product."""
import json

from .. import automation
from ..errors import AwsError
from .common import ACTION_ASSOC_QUOTA, invalid, new_id, not_found, page
from .launch_paths import launch_role
from .lookups import get_product
from .provisioning import get_pp
from .records import finish, new_record, pp_status, record_view
from .state import catalog, idempotent


def _action_view(a):
    return {"ServiceActionSummary": {"Id": a["Id"], "Name": a["Name"], "Description": a.get("Description", ""),
                                     "DefinitionType": a["DefinitionType"]},
            "Definition": a["Definition"]}


def _get_action(ctx, aid):
    st = catalog().owner_store(aid, ctx.region)
    if st is None or aid not in st.actions:
        raise not_found("ServiceAction", aid)
    return st.actions[aid], st


def create_service_action(ctx, p):
    """AWS Service Catalog API Reference, CreateServiceAction: creates a self-service action (DefinitionType
    SSM_AUTOMATION with the document's Name and Version)."""
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
        st = catalog().store(ctx.account, ctx.region)
        aid = new_id("act")
        a = {"Id": aid, "Name": p["Name"], "Description": p.get("Description", ""),
             "DefinitionType": p["DefinitionType"], "Definition": dict(d), "Owner": ctx.account}
        with catalog().lock:
            st.actions[aid] = a
            catalog().owner[aid] = (ctx.account, ctx.region)
        return {"ServiceActionDetail": _action_view(a)}
    return idempotent(ctx, "CreateServiceAction", p.get("IdempotencyToken"), go)


def describe_service_action(ctx, p):
    """AWS Service Catalog API Reference, DescribeServiceAction: a self-service action's summary and
    definition."""
    a, st = _get_action(ctx, p["Id"])
    return {"ServiceActionDetail": _action_view(a)}


def update_service_action(ctx, p):
    """AWS Service Catalog API Reference, UpdateServiceAction: changes a self-service action's name,
    description or definition (owner only)."""
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
    """AWS Service Catalog API Reference, DeleteServiceAction: deletes a self-service action; one still
    associated with a version is ResourceInUseException."""
    a, st = _get_action(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("ServiceAction", p["Id"])
    if any(a["Id"] in v for v in st.action_assoc.values()):
        raise AwsError("ResourceInUseException", "The service action is associated with provisioning artifacts.")
    del st.actions[a["Id"]]
    return {}


def list_service_actions(ctx, p):
    """AWS Service Catalog API Reference, ListServiceActions: the self-service actions of the caller's
    account."""
    st = catalog().store(ctx.account, ctx.region)
    return page([_action_view(a)["ServiceActionSummary"] for a in st.actions.values()], p, "ServiceActionSummaries")


def _assoc(ctx, prod_id, art_id, aid):
    prod, st = get_product(ctx, prod_id)
    if art_id not in prod["Artifacts"]:
        raise not_found("ProvisioningArtifact", art_id)
    _get_action(ctx, aid)
    with catalog().lock:
        lst = st.action_assoc.setdefault((prod_id, art_id), [])
        if aid in lst:
            raise AwsError("DuplicateResourceException", "The service action is already associated with this version.")
        if len(lst) >= ACTION_ASSOC_QUOTA:
            raise AwsError("LimitExceededException",
                           f"A provisioning artifact can have at most {ACTION_ASSOC_QUOTA} service actions.")
        lst.append(aid)


def associate_service_action_with_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, AssociateServiceActionWithProvisioningArtifact: associates a service
    action with a provisioning artifact (at most 25 per artifact; DuplicateResourceException for an existing
    one)."""
    def go():
        _assoc(ctx, p["ProductId"], p["ProvisioningArtifactId"], p["ServiceActionId"])
        return {}
    return idempotent(ctx, "AssociateServiceAction", p.get("IdempotencyToken"), go)


def disassociate_service_action_from_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, DisassociateServiceActionFromProvisioningArtifact: removes a
    self-service action from a version."""
    prod, st = get_product(ctx, p["ProductId"])
    lst = st.action_assoc.get((p["ProductId"], p["ProvisioningArtifactId"]), [])
    if p["ServiceActionId"] not in lst:
        raise not_found("ServiceAction association", p["ServiceActionId"])
    lst.remove(p["ServiceActionId"])
    return {}


def batch_associate_service_action_with_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, BatchAssociateServiceActionWithProvisioningArtifact: associates
    several service actions; each one that fails is listed in FailedServiceActionAssociations with its
    ErrorCode instead of failing the call."""
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
    """AWS Service Catalog API Reference, BatchDisassociateServiceActionFromProvisioningArtifact:
    disassociates several service actions; each one that fails is listed in FailedServiceActionAssociations
    with its ErrorCode."""
    failed = []
    for a in p["ServiceActionAssociations"]:
        try:
            disassociate_service_action_from_provisioning_artifact(ctx, a)
        except AwsError as e:
            failed.append({**a, "ErrorCode": "RESOURCE_NOT_FOUND" if e.code == "ResourceNotFoundException"
                           else "INVALID_PARAMETER", "ErrorMessage": e.message})
    return {"FailedServiceActionAssociations": failed}


def list_service_actions_for_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, ListServiceActionsForProvisioningArtifact: the self-service actions
    associated with a version."""
    prod, st = get_product(ctx, p["ProductId"], admin=False)
    if p["ProvisioningArtifactId"] not in prod["Artifacts"]:
        raise not_found("ProvisioningArtifact", p["ProvisioningArtifactId"])
    ids = st.action_assoc.get((p["ProductId"], p["ProvisioningArtifactId"]), [])
    return page([_action_view(st.actions[a])["ServiceActionSummary"] for a in ids if a in st.actions],
                p, "ServiceActionSummaries")


def list_provisioning_artifacts_for_service_action(ctx, p):
    """AWS Service Catalog API Reference, ListProvisioningArtifactsForServiceAction: the versions a
    self-service action is associated with, with their product's summary."""
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
    """AWS Service Catalog API Reference, DescribeServiceActionExecutionParameters: the parameters a
    self-service action takes for a provisioned product (a TARGET parameter defaults to the provisioned
    product)."""
    pp = get_pp(ctx, p)
    a, st = _get_action(ctx, p["ServiceActionId"])
    out = []
    for x in _action_parameters(a):
        val = [pp["Id"]] if x.get("Type") == "TARGET" else []
        out.append({"Name": x["Name"], "Type": x.get("Type", "TEXT_VALUE"), "DefaultValues": val})
    return {"ServiceActionParameters": out}


def execute_provisioned_product_service_action(ctx, p):
    """AWS Service Catalog API Reference, ExecuteProvisionedProductServiceAction: runs a self-service action
    (its SSM Automation document) on a provisioned product; answers a record whose outputs hold the
    execution's result."""
    def go():
        pp = get_pp(ctx, p)
        a, ast = _get_action(ctx, p["ServiceActionId"])
        st = catalog().owner_store(pp["ProductId"], ctx.region)
        if a["Id"] not in st.action_assoc.get((pp["ProductId"], pp["ProvisioningArtifactId"]), []):
            raise invalid(f"Service action {a['Id']} is not associated with the provisioned product's version.")
        if pp_status(ctx, pp) not in ("AVAILABLE", "TAINTED"):
            raise invalid(f"Provisioned product {pp['Id']} is {pp_status(ctx, pp)}.")
        d = a["Definition"]
        # Definition.AssumeRole LAUNCH_ROLE = the launch constraint's role (AWS).
        role = d.get("AssumeRole")
        if role == "LAUNCH_ROLE":
            role = launch_role(ctx, st, pp["PathId"], pp["ProductId"])
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
        rec = new_record(ctx, pp, "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION", pp.get("PathId"))
        response = {"RecordDetail": record_view(rec)}
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
            finish(rec, ok, outs, None if ok else execution.get("FailureMessage", "Automation failed"))

        try:
            automation.start(ctx.account, ctx.region, ast.account, d["Name"], d.get("Version"), params, role,
                             ctx.base_url, on_done=done, caller_key=ctx.key_id)
        except AwsError as e:
            finish(rec, False, [{"OutputKey": "FailureMessage", "OutputValue": e.message}], e.message)
        return response
    return idempotent(ctx, "ExecuteProvisionedProductServiceAction", p.get("ExecuteToken"), go)
