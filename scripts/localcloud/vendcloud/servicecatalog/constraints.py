"""Constraints on a product in a portfolio: LAUNCH, NOTIFICATION, TEMPLATE, STACKSET,
RESOURCE_UPDATE."""
import json

from ..errors import AwsError
from .common import invalid, new_id, not_found, page
from .lookups import get_portfolio, get_product
from .state import catalog, idempotent


def create_constraint(ctx, p):
    """AWS Service Catalog API Reference, CreateConstraint: creates a LAUNCH, NOTIFICATION, RESOURCE_UPDATE,
    STACKSET or TEMPLATE constraint on a product in a portfolio; Parameters is the type's JSON document."""
    def go():
        pf, st = get_portfolio(ctx, p["PortfolioId"])
        prod, _ = get_product(ctx, p["ProductId"])
        if pf["Id"] not in st.product_portfolios.get(prod["Id"], []):
            raise not_found("Product", f"{prod['Id']} in portfolio {pf['Id']}")
        ctype = p["Type"]
        try:
            params = json.loads(p["Parameters"])
        except ValueError:
            raise invalid("Parameters must be a JSON object.")
        existing = [c for c in st.constraints.values()
                    if c["PortfolioId"] == pf["Id"] and c["ProductId"] == prod["Id"]]
        if ctype == "LAUNCH":
            # AWS: exactly one of RoleArn / LocalRoleName; one LAUNCH constraint per pair, and
            # none together with a STACKSET constraint.
            if ("RoleArn" in params) == ("LocalRoleName" in params):
                raise invalid("A LAUNCH constraint needs exactly one of RoleArn or LocalRoleName.")
            if any(c["Type"] in ("LAUNCH", "STACKSET") for c in existing):
                raise AwsError("DuplicateResourceException",
                               "A launch constraint already exists for this product and portfolio.")
        elif ctype == "NOTIFICATION":
            if not isinstance(params.get("NotificationArns"), list):
                raise invalid("A NOTIFICATION constraint needs NotificationArns.")
        elif ctype == "TEMPLATE":
            if not isinstance(params.get("Rules"), dict):
                raise invalid("A TEMPLATE constraint needs Rules.")
        elif ctype == "STACKSET":
            if any(c["Type"] == "LAUNCH" for c in existing):
                raise AwsError("DuplicateResourceException", "A launch constraint already exists.")
        elif ctype == "RESOURCE_UPDATE":
            pass
        else:
            raise invalid(f"Unknown constraint type {ctype}.")
        cid = new_id("cons")
        c = {"ConstraintId": cid, "Type": ctype, "Description": p.get("Description", ""), "Owner": ctx.account,
             "ProductId": prod["Id"], "PortfolioId": pf["Id"], "Parameters": p["Parameters"]}
        with catalog().lock:
            st.constraints[cid] = c
            catalog().owner[cid] = (ctx.account, ctx.region)
        return {"ConstraintDetail": _constraint_detail(c), "ConstraintParameters": c["Parameters"],
                "Status": "AVAILABLE"}
    return idempotent(ctx, "CreateConstraint", p.get("IdempotencyToken"), go)


def _constraint_detail(c):
    return {k: c[k] for k in ("ConstraintId", "Type", "Description", "Owner", "ProductId", "PortfolioId")}


def _get_constraint(ctx, cid):
    st = catalog().owner_store(cid, ctx.region)
    if st is None or cid not in st.constraints:
        raise not_found("Constraint", cid)
    c = st.constraints[cid]
    if st.account != ctx.account and c["PortfolioId"] not in catalog().store(ctx.account, ctx.region).imported:
        raise not_found("Constraint", cid)
    return c, st


def describe_constraint(ctx, p):
    """AWS Service Catalog API Reference, DescribeConstraint: the constraint's detail, parameters and status
    (the owner's, also for a recipient of the portfolio)."""
    c, _ = _get_constraint(ctx, p["Id"])
    return {"ConstraintDetail": _constraint_detail(c), "ConstraintParameters": c["Parameters"], "Status": "AVAILABLE"}


def update_constraint(ctx, p):
    """AWS Service Catalog API Reference, UpdateConstraint: changes a constraint's Description or Parameters
    (owner only)."""
    c, st = _get_constraint(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("Constraint", p["Id"])
    if "Description" in p:
        c["Description"] = p["Description"]
    if "Parameters" in p:
        c["Parameters"] = p["Parameters"]
    return {"ConstraintDetail": _constraint_detail(c), "ConstraintParameters": c["Parameters"], "Status": "AVAILABLE"}


def delete_constraint(ctx, p):
    """AWS Service Catalog API Reference, DeleteConstraint: deletes a constraint of the caller's account."""
    c, st = _get_constraint(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("Constraint", p["Id"])
    with catalog().lock:
        del st.constraints[c["ConstraintId"]]
        catalog().owner.pop(c["ConstraintId"], None)
    return {}


def list_constraints_for_portfolio(ctx, p):
    """AWS Service Catalog API Reference, ListConstraintsForPortfolio: the constraints of a portfolio
    (optionally of one product); a recipient sees the owner's."""
    # AWS: imported portfolios show the owner's constraints (kept in sync).
    pf, st = get_portfolio(ctx, p["PortfolioId"], admin=False)
    cs = [c for c in st.constraints.values() if c["PortfolioId"] == pf["Id"]
          and (not p.get("ProductId") or c["ProductId"] == p["ProductId"])]
    return page([_constraint_detail(c) for c in cs], p, "ConstraintDetails")


def constraints_for(st, pid, prod_id):
    return [c for c in st.constraints.values() if c["PortfolioId"] == pid and c["ProductId"] == prod_id]
