"""TagOptions: the library, associations with portfolios and products, and how they become
tags at launch."""
from ..errors import AwsError
from .common import invalid, new_id, not_found, page, TAGOPTION_QUOTA
from .state import catalog
from .views import tag_option_detail


def create_tag_option(ctx, p):
    """AWS Service Catalog API Reference, CreateTagOption: creates a TagOption (key and value); a second one
    with the same key and value is DuplicateResourceException."""
    st = catalog().store(ctx.account, ctx.region)
    for t in st.tag_options.values():
        if t["Key"] == p["Key"] and t["Value"] == p["Value"]:
            raise AwsError("DuplicateResourceException", f"TagOption {p['Key']}={p['Value']} already exists.")
    tid = new_id("tag")
    t = {"Key": p["Key"], "Value": p["Value"], "Active": True, "Id": tid, "Owner": ctx.account}
    with catalog().lock:
        st.tag_options[tid] = t
        catalog().owner[tid] = (ctx.account, ctx.region)
    return {"TagOptionDetail": tag_option_detail(t)}


def _get_tag_option(ctx, tid):
    st = catalog().store(ctx.account, ctx.region)
    if tid not in st.tag_options:
        raise not_found("TagOption", tid)
    return st.tag_options[tid], st


def describe_tag_option(ctx, p):
    """AWS Service Catalog API Reference, DescribeTagOption: a TagOption of the caller's account."""
    return {"TagOptionDetail": tag_option_detail(_get_tag_option(ctx, p["Id"])[0])}


def update_tag_option(ctx, p):
    """AWS Service Catalog API Reference, UpdateTagOption: changes a TagOption's Value or Active."""
    t, st = _get_tag_option(ctx, p["Id"])
    if "Value" in p:
        t["Value"] = p["Value"]
    if "Active" in p:
        t["Active"] = p["Active"]
    return {"TagOptionDetail": tag_option_detail(t)}


def delete_tag_option(ctx, p):
    """AWS Service Catalog API Reference, DeleteTagOption: deletes a TagOption; one still associated with a
    resource is ResourceInUseException."""
    t, st = _get_tag_option(ctx, p["Id"])
    if any(t["Id"] in v for v in st.tag_assoc.values()):
        raise AwsError("ResourceInUseException", "TagOption is associated with resources.")
    del st.tag_options[t["Id"]]
    return {}


def list_tag_options(ctx, p):
    """AWS Service Catalog API Reference, ListTagOptions: the caller account's TagOptions, filtered by Key,
    Value and Active (next token answered as PageToken)."""
    st = catalog().store(ctx.account, ctx.region)
    f = p.get("Filters") or {}
    out = [t for t in st.tag_options.values()
           if (not f.get("Key") or t["Key"] == f["Key"]) and (not f.get("Value") or t["Value"] == f["Value"])
           and ("Active" not in f or t["Active"] == f["Active"])]
    return page([tag_option_detail(t) for t in out], p, "TagOptionDetails", next_token="PageToken")


def associate_tag_option_with_resource(ctx, p):
    """AWS Service Catalog API Reference, AssociateTagOptionWithResource: associates a TagOption with a
    portfolio or product (at most 25 per resource; several values of one key are the choices offered at
    launch)."""
    t, st = _get_tag_option(ctx, p["TagOptionId"])
    rid = p["ResourceId"]
    if rid not in st.portfolios and rid not in st.products:
        raise not_found("Resource", rid)
    lst = st.tag_assoc.setdefault(rid, [])
    if t["Id"] in lst:
        raise AwsError("DuplicateResourceException", "TagOption is already associated with the resource.")
    if len(lst) >= TAGOPTION_QUOTA:
        raise AwsError("LimitExceededException", f"A resource can have at most {TAGOPTION_QUOTA} TagOptions.")
    # AWS: several TagOptions with the same key on one resource are the values an end user
    # chooses from at launch (see apply_tag_options below).
    lst.append(t["Id"])
    return {}


def disassociate_tag_option_from_resource(ctx, p):
    """AWS Service Catalog API Reference, DisassociateTagOptionFromResource: removes a TagOption from a
    portfolio or product."""
    st = catalog().store(ctx.account, ctx.region)
    lst = st.tag_assoc.get(p["ResourceId"], [])
    if p["TagOptionId"] not in lst:
        raise not_found("TagOption association", p["TagOptionId"])
    lst.remove(p["TagOptionId"])
    return {}


def list_resources_for_tag_option(ctx, p):
    """AWS Service Catalog API Reference, ListResourcesForTagOption: the portfolios and products a TagOption
    is associated with (next token answered as PageToken)."""
    t, st = _get_tag_option(ctx, p["TagOptionId"])
    out = []
    for rid, lst in st.tag_assoc.items():
        if t["Id"] in lst:
            r = st.portfolios.get(rid) or st.products.get(rid)
            if r and (not p.get("ResourceType") or (p["ResourceType"] == "Portfolio") == (rid in st.portfolios)):
                out.append({"Id": rid, "ARN": r["ARN"], "Name": r.get("DisplayName", r.get("Name")),
                            "Description": r.get("Description", r.get("ShortDescription", "")),
                            "CreatedTime": r["CreatedTime"]})
    return page(out, p, "ResourceDetails", next_token="PageToken")


def tag_option_summary(st, pid, prod_id, ctx=None):
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


def apply_tag_options(ctx, st, pid, prod_id, tags):
    """AWS: TagOptions of the product and portfolio become tags of the provisioned product; a
    key with one allowed value is applied automatically, a key with several needs a value
    from the user; a value outside the allowed ones is refused (InvalidParametersException)."""
    tags = list(tags or [])
    given = {t["Key"]: t["Value"] for t in tags}
    for key, values in tag_option_summary(st, pid, prod_id, ctx).items():
        if key in given:
            if given[key] not in values:
                raise invalid(f"Tag {key}={given[key]} is not allowed; TagOption values: {', '.join(values)}.")
        elif len(values) == 1:
            tags.append({"Key": key, "Value": values[0]})
        else:
            raise invalid(f"Tag {key} is required; choose one of: {', '.join(values)}.")
    return tags
