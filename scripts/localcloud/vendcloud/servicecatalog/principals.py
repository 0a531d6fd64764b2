"""Principal associations of portfolios, kept per account (a recipient associates its own)."""
from .common import invalid, not_found, page
from .lookups import get_portfolio
from .state import catalog


def associate_principal_with_portfolio(ctx, p):
    """AWS Service Catalog API Reference, AssociatePrincipalWithPortfolio: associates an IAM principal (IAM,
    or IAM_PATTERN with the account field left empty) with a portfolio, which lets it use the portfolio's
    products; the owner and a recipient each associate their own."""
    # AWS: the owner and (for imported portfolios) the recipient associate their own principals;
    # the association is kept per account.
    pf, st = get_portfolio(ctx, p["PortfolioId"], admin=False)
    ptype = p["PrincipalType"]
    arn = p["PrincipalARN"]
    if ptype == "IAM_PATTERN" and arn.split(":")[4:5] != [""]:
        raise invalid("IAM_PATTERN principal ARNs must not contain an account id (arn:aws:iam:::role/Name*).")
    lst = catalog().store(ctx.account, ctx.region).principals.setdefault(pf["Id"], [])
    if not any(x["PrincipalARN"] == arn for x in lst):
        lst.append({"PrincipalARN": arn, "PrincipalType": ptype})
    return {}


def disassociate_principal_from_portfolio(ctx, p):
    """AWS Service Catalog API Reference, DisassociatePrincipalFromPortfolio: removes one of the caller
    account's principal associations from a portfolio."""
    pf, st = get_portfolio(ctx, p["PortfolioId"], admin=False)
    lst = catalog().store(ctx.account, ctx.region).principals.get(pf["Id"], [])
    keep = [x for x in lst if x["PrincipalARN"] != p["PrincipalARN"]]
    if len(keep) == len(lst):
        raise not_found("Principal", p["PrincipalARN"])
    lst[:] = keep
    return {}


def list_principals_for_portfolio(ctx, p):
    """AWS Service Catalog API Reference, ListPrincipalsForPortfolio: the principals the caller's account
    associated with a portfolio."""
    pf, st = get_portfolio(ctx, p["PortfolioId"], admin=False)
    return page(list(catalog().store(ctx.account, ctx.region).principals.get(pf["Id"], [])), p, "Principals")
