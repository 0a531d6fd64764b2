"""Provisioning artifacts (product versions)."""
from .common import invalid, new_id, now, ready_at
from .lookups import find_artifact, find_product, get_product
from .state import catalog, idempotent
from .templates import load_template, parse_template, template_parameters
from .views import artifact_detail, artifact_status


def new_artifact(ctx, st, prod_id, ap):
    info = ap.get("Info") or {}
    url = info.get("LoadTemplateFromURL")
    if not url:
        raise invalid("Info must contain LoadTemplateFromURL.")
    body = load_template(ctx, url)
    if not ap.get("DisableTemplateValidation"):
        parse_template(body)
    aid = new_id("pa")
    art = {"Id": aid, "Name": ap.get("Name", "v1"), "Description": ap.get("Description", ""),
           "Type": ap.get("Type", "CLOUD_FORMATION_TEMPLATE"), "CreatedTime": now(), "Active": True,
           "Guidance": "DEFAULT", "TemplateUrl": url, "TemplateBody": body, "ProductId": prod_id,
           # AWS: CreateProvisioningArtifact answers CREATING; it becomes AVAILABLE (or FAILED)
           # asynchronously. Here the template is already read, so Describe shows AVAILABLE.
           "Status": "AVAILABLE", "_ready_at": ready_at()}
    with catalog().lock:
        st.artifacts[aid] = art
        catalog().owner[aid] = (ctx.account, ctx.region)
    return art


def create_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, CreateProvisioningArtifact: adds a version to a product; the answer
    says CREATING, the version becomes AVAILABLE asynchronously."""
    def go():
        prod, st = get_product(ctx, p["ProductId"])
        art = new_artifact(ctx, st, prod["Id"], p["Parameters"])
        prod["Artifacts"].append(art["Id"])
        return {"ProvisioningArtifactDetail": artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]},
                "Status": "CREATING"}
    return idempotent(ctx, "CreateProvisioningArtifact", p.get("IdempotencyToken"), go)


def describe_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, DescribeProvisioningArtifact: a version's detail and template URL
    (the template body with Verbose, the parameters with IncludeProvisioningArtifactParameters)."""
    prod, st = find_product(ctx, p, admin=False)
    art = find_artifact(prod, st, p)
    out = {"ProvisioningArtifactDetail": artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]},
           "Status": artifact_status(art)}
    if p.get("Verbose"):
        out["Info"]["TemplateBody"] = art["TemplateBody"]
    if p.get("IncludeProvisioningArtifactParameters"):
        out["ProvisioningArtifactParameters"] = template_parameters(art)[0]
    return out


def list_provisioning_artifacts(ctx, p):
    """AWS Service Catalog API Reference, ListProvisioningArtifacts: the versions of a product."""
    prod, st = get_product(ctx, p["ProductId"], admin=False)
    return {"ProvisioningArtifactDetails": [artifact_detail(st.artifacts[a]) for a in prod["Artifacts"]]}


def update_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, UpdateProvisioningArtifact: changes a version's Name, Description,
    Active or Guidance (DEPRECATED blocks new launches only)."""
    prod, st = get_product(ctx, p["ProductId"])
    art = find_artifact(prod, st, p)
    for k in ("Name", "Description", "Active", "Guidance"):
        if k in p:
            art[k] = p[k]
    return {"ProvisioningArtifactDetail": artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]},
            "Status": artifact_status(art)}


def delete_provisioning_artifact(ctx, p):
    """AWS Service Catalog API Reference, DeleteProvisioningArtifact: deletes a version of a product; the last
    version cannot be deleted."""
    prod, st = get_product(ctx, p["ProductId"])
    art = find_artifact(prod, st, p)
    # AWS: the last artifact of a product cannot be deleted.
    if len(prod["Artifacts"]) == 1:
        raise invalid("Cannot delete the last provisioning artifact of a product.")
    with catalog().lock:
        prod["Artifacts"].remove(art["Id"])
        del st.artifacts[art["Id"]]
        catalog().owner.pop(art["Id"], None)
        st.action_assoc.pop((prod["Id"], art["Id"]), None)
    return {}
