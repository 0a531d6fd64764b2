"""Products: create (with the first version), describe (admin and end-user views), update,
delete, search."""
from ..errors import AwsError
from .artifacts import new_artifact
from .common import invalid, new_id, not_found, now, page, path_id
from .lookups import accessible_portfolios, find_product, get_portfolio, get_product
from .state import catalog, idempotent
from .views import artifact_detail, product_view, product_view_detail, tags_of


def create_product(ctx, p):
    """AWS Service Catalog API Reference, CreateProduct: creates a product and its first provisioning
    artifact, reading the template from LoadTemplateFromURL."""
    def go():
        st = catalog().store(ctx.account, ctx.region)
        prod_id = new_id("prod")
        prod = {"Id": prod_id, "ViewId": new_id("prodview"), "Name": p["Name"], "Owner": p["Owner"],
                "ShortDescription": p.get("Description", ""), "Distributor": p.get("Distributor", ""),
                "SupportEmail": p.get("SupportEmail", ""), "SupportDescription": p.get("SupportDescription", ""),
                "SupportUrl": p.get("SupportUrl", ""), "ProductType": p["ProductType"],
                "ARN": f"arn:aws:catalog:{ctx.region}:{ctx.account}:product/{prod_id}",
                "CreatedTime": now(), "Tags": p.get("Tags", []), "Artifacts": []}
        if p["ProductType"] != "CLOUD_FORMATION_TEMPLATE":
            raise invalid(f"ProductType {p['ProductType']} is not supported by the local cloud.")
        art = new_artifact(ctx, st, prod_id, p.get("ProvisioningArtifactParameters") or {})
        prod["Artifacts"].append(art["Id"])
        with catalog().lock:
            st.products[prod_id] = prod
            catalog().owner[prod_id] = (ctx.account, ctx.region)
        return {"ProductViewDetail": product_view_detail(prod),
                "ProvisioningArtifactDetail": {**artifact_detail(art)}, "Tags": prod["Tags"]}
    return idempotent(ctx, "CreateProduct", p.get("IdempotencyToken"), go)


def describe_product_as_admin(ctx, p):
    """AWS Service Catalog API Reference, DescribeProductAsAdmin: the administrator's view of a product of the
    caller's account: detail, all versions, tags and TagOptions."""
    prod, st = find_product(ctx, p, admin=True, id_key="Id", name_key="Name")
    arts = [st.artifacts[a] for a in prod["Artifacts"]]
    return {"ProductViewDetail": product_view_detail(prod),
            "ProvisioningArtifactSummaries": [
                {"Id": a["Id"], "Name": a["Name"], "Description": a["Description"], "CreatedTime": a["CreatedTime"],
                 "ProvisioningArtifactMetadata": {}} for a in arts],
            "Tags": prod["Tags"], "TagOptions": tags_of(st, prod["Id"]), "Budgets": []}


def describe_product(ctx, p):
    """AWS Service Catalog API Reference, DescribeProduct: the end user's view of a product: summary, active
    versions and launch paths, only through a portfolio the caller may use."""
    # AWS: the end-user view; only through an accessible portfolio, and only active artifacts.
    prod, st = find_product(ctx, p, admin=False, id_key="Id", name_key="Name")
    paths = accessible_portfolios(ctx, prod["Id"], end_user=True)
    if not paths:
        raise not_found("Product", prod["Id"])
    arts = [st.artifacts[a] for a in prod["Artifacts"] if st.artifacts[a]["Active"]]
    return {"ProductViewSummary": product_view(prod),
            "ProvisioningArtifacts": [{k: a[k] for k in ("Id", "Name", "Description", "CreatedTime", "Guidance")}
                                      for a in arts],
            "Budgets": [], "LaunchPaths": [{"Id": path_id(pid, prod["Id"]), "Name": st.portfolios[pid]["DisplayName"]}
                                           for pid in paths if pid in st.portfolios]}


def describe_product_view(ctx, p):
    """AWS Service Catalog API Reference, DescribeProductView: the end user's view of a product by its product
    view id (prodview-)."""
    for (acct, region), st in list(catalog().stores.items()):
        if region != ctx.region:
            continue
        for prod in st.products.values():
            if prod["ViewId"] == p["Id"]:
                # DescribeProductViewOutput is DescribeProduct's without Budgets and LaunchPaths.
                found = describe_product(ctx, {"Id": prod["Id"]})
                return {"ProductViewSummary": found["ProductViewSummary"], "ProvisioningArtifacts": found["ProvisioningArtifacts"]}
    raise not_found("ProductView", p["Id"])


def update_product(ctx, p):
    """AWS Service Catalog API Reference, UpdateProduct: changes a product's fields and adds or removes tags
    (owner only)."""
    prod, st = get_product(ctx, p["Id"])
    for src, dst in (("Name", "Name"), ("Owner", "Owner"), ("Description", "ShortDescription"),
                     ("Distributor", "Distributor"), ("SupportEmail", "SupportEmail"),
                     ("SupportDescription", "SupportDescription"), ("SupportUrl", "SupportUrl")):
        if src in p:
            prod[dst] = p[src]
    prod["Tags"] = [t for t in prod["Tags"] if t["Key"] not in p.get("RemoveTags", [])] + p.get("AddTags", [])
    return {"ProductViewDetail": product_view_detail(prod), "Tags": prod["Tags"]}


def delete_product(ctx, p):
    """AWS Service Catalog API Reference, DeleteProduct: deletes a product and its versions; one still
    associated with a portfolio is ResourceInUseException."""
    prod, st = get_product(ctx, p["Id"])
    # AWS: a product still associated with a portfolio cannot be deleted.
    if st.product_portfolios.get(prod["Id"]):
        raise AwsError("ResourceInUseException", "Product is associated with one or more portfolios.")
    with catalog().lock:
        for a in prod["Artifacts"]:
            st.artifacts.pop(a, None)
            catalog().owner.pop(a, None)
        del st.products[prod["Id"]]
        catalog().owner.pop(prod["Id"], None)
    return {}


def _search_filter(prods, p):
    f = p.get("Filters") or {}
    out = prods
    for key, vals in f.items():
        vals = [v.lower() for v in vals]
        if key == "FullTextSearch":
            out = [x for x in out if any(v in (x["Name"] + " " + x.get("ShortDescription", "")).lower() for v in vals)]
        elif key == "Owner":
            out = [x for x in out if x["Owner"].lower() in vals]
        elif key == "ProductType":
            out = [x for x in out if x["ProductType"].lower() in vals]
    return out


def search_products_as_admin(ctx, p):
    """AWS Service Catalog API Reference, SearchProductsAsAdmin: the caller account's products (optionally of
    one portfolio), with the same filters."""
    st = catalog().store(ctx.account, ctx.region)
    prods = list(st.products.values())
    if p.get("PortfolioId"):
        get_portfolio(ctx, p["PortfolioId"])
        prods = [x for x in prods if p["PortfolioId"] in st.product_portfolios.get(x["Id"], [])]
    prods = _search_filter(prods, p)
    res = page([product_view_detail(x) for x in prods], p, "ProductViewDetails")
    return res


def search_products(ctx, p):
    """AWS Service Catalog API Reference, SearchProducts: the products the caller can launch (through a
    portfolio it may use and is associated with), filtered by FullTextSearch, Owner, ProductType."""
    found = []
    for (acct, region), st in list(catalog().stores.items()):
        if region != ctx.region:
            continue
        for prod in st.products.values():
            if accessible_portfolios(ctx, prod["Id"], end_user=True):
                found.append(prod)
    found = _search_filter(found, p)
    return page([product_view(x) for x in found], p, "ProductViewSummaries")
