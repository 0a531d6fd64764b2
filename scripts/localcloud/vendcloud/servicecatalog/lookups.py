"""Finding portfolios, products and artifacts for a caller: owner-only (admin) or through
a share, and which portfolios an end user may launch through."""
from .. import accounts
from ..errors import AwsError
from .common import CONFIG, invalid, not_found
from .state import catalog


def get_portfolio(ctx, pid, admin=True):
    """The portfolio and its owner store. admin=True: owner only. admin=False: the owner or an
    account the portfolio is shared with (pending or accepted)."""
    st = catalog().owner_store(pid, ctx.region)
    if st is None or pid not in st.portfolios:
        raise not_found("Portfolio", pid)
    if st.account == ctx.account:
        return st.portfolios[pid], st
    if not admin and pid in catalog().store(ctx.account, ctx.region).imported:
        return st.portfolios[pid], st
    raise not_found("Portfolio", pid)


def get_product(ctx, prod_id, admin=True):
    st = catalog().owner_store(prod_id, ctx.region)
    if st is None or prod_id not in st.products:
        raise not_found("Product", prod_id)
    if st.account == ctx.account or (not admin and accessible_portfolios(ctx, prod_id)):
        return st.products[prod_id], st
    raise not_found("Product", prod_id)


def find_product(ctx, p, admin=True, id_key="ProductId", name_key="ProductName"):
    if p.get(id_key):
        return get_product(ctx, p[id_key], admin)
    name = p.get(name_key)
    if name:
        for (acct, region), st in list(catalog().stores.items()):
            if region != ctx.region:
                continue
            for prod in st.products.values():
                if prod["Name"] == name:
                    try:
                        return get_product(ctx, prod["Id"], admin)
                    except AwsError:
                        continue
        raise not_found("Product", name)
    raise invalid("ProductId or ProductName is required.")


def find_artifact(prod, st, p, id_key="ProvisioningArtifactId", name_key="ProvisioningArtifactName"):
    aid = p.get(id_key)
    if aid:
        if aid not in prod["Artifacts"]:
            raise not_found("ProvisioningArtifact", aid)
        return st.artifacts[aid]
    name = p.get(name_key)
    for a in prod["Artifacts"]:
        if st.artifacts[a]["Name"] == name:
            return st.artifacts[a]
    raise not_found("ProvisioningArtifact", name or "")


def caller_matches(ctx, principals, account):
    import fnmatch
    arn = accounts.principal_arn(ctx.key_id, ctx.account)
    for pr in principals:
        pat = pr["PrincipalARN"]
        if pr["PrincipalType"] == "IAM" and pat == arn:
            return True
        if pr["PrincipalType"] == "IAM_PATTERN":
            # IAM_PATTERN ARNs leave the account field empty: arn:aws:iam:::role/Name*
            parts = pat.split(":", 5)
            if len(parts) == 6 and parts[4] == "":
                parts[4] = account
            if fnmatch.fnmatchcase(arn, ":".join(parts)):
                return True
    return False


def accessible_portfolios(ctx, prod_id, end_user=False):
    """Portfolios through which the caller's account can use a product: the owner's own
    portfolios holding it, or portfolios shared to and ACCEPTED by the caller's account
    (AWS: products of an unaccepted share cannot be used). end_user=True also requires a
    principal association of the caller with the portfolio (AWS: end users see only products
    of portfolios their IAM principal is associated with)."""
    out = []
    st_owner = catalog().owner_store(prod_id, ctx.region)
    if st_owner is None:
        return out
    mine = catalog().store(ctx.account, ctx.region)
    for pid in st_owner.product_portfolios.get(prod_id, []):
        if st_owner.account == ctx.account:
            ok = True
        else:
            imp = mine.imported.get(pid)
            ok = bool(imp and imp["status"] == "ACCEPTED")
        if not ok:
            continue
        if end_user and CONFIG.get("enforce_principal_associations", True):
            principals = list(mine.principals.get(pid, []))
            share = st_owner.shares.get(pid, {}).get(ctx.account)
            if st_owner.account != ctx.account and share and share.get("SharePrincipals"):
                principals += [x for x in st_owner.principals.get(pid, []) if x["PrincipalType"] == "IAM_PATTERN"]
            if not caller_matches(ctx, principals, ctx.account):
                continue
        out.append(pid)
    return out
