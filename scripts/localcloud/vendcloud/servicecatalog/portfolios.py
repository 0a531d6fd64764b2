"""Portfolios and the product-portfolio associations of their owner account."""
from ..errors import AwsError
from .common import new_id, not_found, now, page
from .lookups import get_portfolio, get_product
from .state import catalog, idempotent
from .views import portfolio_detail, tags_of


def create_portfolio(ctx, p):
    """AWS Service Catalog API Reference, CreatePortfolio: creates a portfolio (id port- plus 13 characters);
    the same IdempotencyToken answers the same portfolio."""
    def go():
        st = catalog().store(ctx.account, ctx.region)
        pid = new_id("port")
        pf = {"Id": pid, "ARN": f"arn:aws:catalog:{ctx.region}:{ctx.account}:portfolio/{pid}",
              "DisplayName": p["DisplayName"], "Description": p.get("Description", ""),
              "ProviderName": p["ProviderName"], "CreatedTime": now(), "Tags": p.get("Tags", [])}
        with catalog().lock:
            st.portfolios[pid] = pf
            catalog().owner[pid] = (ctx.account, ctx.region)
        return {"PortfolioDetail": portfolio_detail(pf), "Tags": pf["Tags"]}
    return idempotent(ctx, "CreatePortfolio", p.get("IdempotencyToken"), go)


def describe_portfolio(ctx, p):
    """AWS Service Catalog API Reference, DescribePortfolio: the portfolio's detail, tags, TagOptions and
    budgets, for the owner or an account it is shared with."""
    pf, st = get_portfolio(ctx, p["Id"], admin=False)
    return {"PortfolioDetail": portfolio_detail(pf), "Tags": pf["Tags"] if st.account == ctx.account else [],
            "TagOptions": tags_of(st, pf["Id"]), "Budgets": []}


def update_portfolio(ctx, p):
    """AWS Service Catalog API Reference, UpdatePortfolio: changes a portfolio's names and description and
    adds or removes tags (owner only)."""
    pf, st = get_portfolio(ctx, p["Id"])
    for k in ("DisplayName", "Description", "ProviderName"):
        if k in p:
            pf[k] = p[k]
    tags = [t for t in pf["Tags"] if t["Key"] not in p.get("RemoveTags", [])]
    pf["Tags"] = tags + p.get("AddTags", [])
    return {"PortfolioDetail": portfolio_detail(pf), "Tags": pf["Tags"]}


def delete_portfolio(ctx, p):
    """AWS Service Catalog API Reference, DeletePortfolio: deletes a portfolio; one still holding products,
    constraints, shares, principals or TagOptions is ResourceInUseException."""
    pf, st = get_portfolio(ctx, p["Id"])
    pid = pf["Id"]
    # AWS: a portfolio with products, constraints, shares, principals or TagOptions cannot be
    # deleted (ResourceInUseException).
    used = (any(pid in v for v in st.product_portfolios.values()) or st.shares.get(pid)
            or st.principals.get(pid) or st.tag_assoc.get(pid)
            or any(c["PortfolioId"] == pid for c in st.constraints.values()))
    if used:
        raise AwsError("ResourceInUseException",
                       "Portfolio has associated products, constraints, shares, principals or TagOptions.")
    with catalog().lock:
        del st.portfolios[pid]
        catalog().owner.pop(pid, None)
    return {}


def list_portfolios(ctx, p):
    """AWS Service Catalog API Reference, ListPortfolios: the portfolios the caller's account owns (imported
    ones are listed by ListAcceptedPortfolioShares)."""
    # AWS: ListPortfolios lists the account's own portfolios; imported ones are listed by
    # ListAcceptedPortfolioShares.
    st = catalog().store(ctx.account, ctx.region)
    return page([portfolio_detail(x) for x in st.portfolios.values()], p, "PortfolioDetails")


def associate_product_with_portfolio(ctx, p):
    """AWS Service Catalog API Reference, AssociateProductWithPortfolio: associates a product with a portfolio
    of the same account; associating again changes nothing."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    prod, pst = get_product(ctx, p["ProductId"])
    if pst is not st:
        raise not_found("Product", p["ProductId"])
    with catalog().lock:
        lst = st.product_portfolios.setdefault(prod["Id"], [])
        if pf["Id"] not in lst:  # AWS: re-associating is a no-op
            lst.append(pf["Id"])
    return {}


def disassociate_product_from_portfolio(ctx, p):
    """AWS Service Catalog API Reference, DisassociateProductFromPortfolio: removes a product from a
    portfolio; the pair's constraints must be deleted first."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    lst = st.product_portfolios.get(p["ProductId"], [])
    if pf["Id"] not in lst:
        raise not_found("Product association", p["ProductId"])
    # AWS: constraints on the pair must be deleted first.
    if any(c["PortfolioId"] == pf["Id"] and c["ProductId"] == p["ProductId"] for c in st.constraints.values()):
        raise AwsError("ResourceInUseException", "Delete the constraints of this product in the portfolio first.")
    lst.remove(pf["Id"])
    return {}


def list_portfolios_for_product(ctx, p):
    """AWS Service Catalog API Reference, ListPortfoliosForProduct: the portfolios a product of the caller's
    account is associated with."""
    prod, st = get_product(ctx, p["ProductId"])
    return page([portfolio_detail(st.portfolios[x]) for x in st.product_portfolios.get(prod["Id"], [])],
                p, "PortfolioDetails")
