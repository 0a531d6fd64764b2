"""Portfolio shares with accounts and organization nodes, seen from both sides, and the
AWS Organizations access switch."""
from ..errors import AwsError
from .common import invalid, new_id, not_found, page, ready_at, settling
from .lookups import get_portfolio
from .state import catalog
from .views import portfolio_detail


def _management_org(ctx):
    from moto.organizations.models import organizations_backends
    be = organizations_backends[ctx.account]["aws"]
    org = getattr(be, "org", None)
    if org is None or org.master_account_id != ctx.account:
        raise AwsError("InvalidStateException",
                       "Organization shares need the organization's management account or a delegated admin.")
    return be


def enable_aws_organizations_access(ctx, p):
    """AWS Service Catalog API Reference, EnableAWSOrganizationsAccess: lets the organization's management
    account share portfolios with organization nodes."""
    _management_org(ctx)
    catalog().org_access.add(ctx.account)
    return {}


def disable_aws_organizations_access(ctx, p):
    """AWS Service Catalog API Reference, DisableAWSOrganizationsAccess: turns off sharing with organization
    nodes; only the organization's management account may call it."""
    _management_org(ctx)
    catalog().org_access.discard(ctx.account)
    return {}


def get_aws_organizations_access_status(ctx, p):
    """AWS Service Catalog API Reference, GetAWSOrganizationsAccessStatus: whether sharing with organization
    nodes is ENABLED or DISABLED for the caller's account."""
    return {"AccessStatus": "ENABLED" if ctx.account in catalog().org_access else "DISABLED"}


def _org_accounts(ctx, node):
    """Accounts under an organization node, from moto's Organizations. AWS: only the
    management account (or a delegated admin) shares with organization nodes, and only after
    EnableAWSOrganizationsAccess."""
    be = _management_org(ctx)
    if ctx.account not in catalog().org_access:
        raise AwsError("InvalidStateException",
                       "AWS Organizations access is not enabled for Service Catalog (EnableAWSOrganizationsAccess).")
    if node["Type"] == "ACCOUNT":
        return [node["Value"]]
    if node["Type"] == "ORGANIZATION":
        return [a.id for a in be.accounts if a.id != ctx.account]
    out = []

    def walk(parent):
        for a in be.accounts:
            if a.parent_id == parent and a.id != ctx.account:
                out.append(a.id)
        for ou in be.ou:
            if ou.parent_id == parent:
                walk(ou.id)
    walk(node["Value"])
    return out


def _share_action(st, pid):
    """AWS: organization share actions are asynchronous, and a second share action on the same
    portfolio while one is in progress fails with InvalidStateException. Here one is 'in
    progress' for async_seconds."""
    for s in st.share_status.values():
        if s["PortfolioId"] == pid and settling(s):
            raise AwsError("InvalidStateException",
                           "Cannot process more than one portfolio share action at the same time.")


def _share_token(st, pid, node_value, successful):
    token = new_id("share")
    st.share_status[token] = {"PortfolioShareToken": token, "PortfolioId": pid, "OrganizationNodeValue": node_value,
                              "Status": "COMPLETED", "ShareDetails": {"SuccessfulShares": successful,
                                                                     "ShareErrors": []},
                              "_ready_at": ready_at()}
    return token


def create_portfolio_share(ctx, p):
    """AWS Service Catalog API Reference, CreatePortfolioShare: shares a portfolio with an account (pending
    until the recipient accepts it) or, from the management account with Organizations access enabled, with an
    organization node (asynchronous, answers a PortfolioShareToken)."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    if bool(p.get("AccountId")) == bool(p.get("OrganizationNode")):
        raise invalid("Specify exactly one of AccountId or OrganizationNode.")
    opts = {"ShareTagOptions": bool(p.get("ShareTagOptions", False)),
            "SharePrincipals": bool(p.get("SharePrincipals", False))}
    if p.get("AccountId"):
        acct = p["AccountId"]
        if acct == ctx.account:
            raise invalid("A portfolio cannot be shared with its own account.")
        with catalog().lock:
            shares = st.shares.setdefault(pf["Id"], {})
            if acct in shares:
                return {}  # AWS: CreatePortfolioShare of an existing share is a no-op
            shares[acct] = {"PrincipalId": acct, "Type": "ACCOUNT", "Accepted": False, **opts}
            # AWS: the recipient sees a pending share until it calls AcceptPortfolioShare.
            catalog().store(acct, ctx.region).imported[pf["Id"]] = {"owner": ctx.account, "status": "PENDING",
                                                          "type": "IMPORTED"}
        return {}
    node = p["OrganizationNode"]
    targets = _org_accounts(ctx, node)
    _share_action(st, pf["Id"])
    with catalog().lock:
        shares = st.shares.setdefault(pf["Id"], {})
        shares[node["Value"]] = {"PrincipalId": node["Value"], "Type": node["Type"], "Accepted": True, **opts}
        for acct in targets:
            # AWS: organization shares need no acceptance by the recipients.
            catalog().store(acct, ctx.region).imported.setdefault(
                pf["Id"], {"owner": ctx.account, "status": "ACCEPTED", "type": "AWS_ORGANIZATIONS"})
        token = _share_token(st, pf["Id"], node["Value"], targets)
    return {"PortfolioShareToken": token}


def update_portfolio_share(ctx, p):
    """AWS Service Catalog API Reference, UpdatePortfolioShare: changes ShareTagOptions / SharePrincipals of
    an existing share (asynchronous, answers a PortfolioShareToken)."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    key = p.get("AccountId") or (p.get("OrganizationNode") or {}).get("Value")
    share = st.shares.get(pf["Id"], {}).get(key)
    if share is None:
        raise not_found("Portfolio share", key or "")
    _share_action(st, pf["Id"])
    for k in ("ShareTagOptions", "SharePrincipals"):
        if k in p:
            share[k] = bool(p[k])
    token = _share_token(st, pf["Id"], key, [key])
    return {"PortfolioShareToken": token, "Status": "IN_PROGRESS"}


def delete_portfolio_share(ctx, p):
    """AWS Service Catalog API Reference, DeletePortfolioShare: stops sharing a portfolio with an account or
    organization node (for a node, asynchronously with a PortfolioShareToken)."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    key = p.get("AccountId") or (p.get("OrganizationNode") or {}).get("Value")
    if not p.get("AccountId"):
        _share_action(st, pf["Id"])
    with catalog().lock:
        share = st.shares.get(pf["Id"], {}).pop(key, None)
        if share is None:
            raise not_found("Portfolio share", key or "")
        if share["Type"] == "ACCOUNT":
            catalog().store(key, ctx.region).imported.pop(pf["Id"], None)
        else:
            for (acct, region), s in list(catalog().stores.items()):
                imp = s.imported.get(pf["Id"])
                if imp and imp["type"] == "AWS_ORGANIZATIONS":
                    del s.imported[pf["Id"]]
    if share["Type"] != "ACCOUNT":
        return {"PortfolioShareToken": _share_token(st, pf["Id"], key, [])}
    return {}


def describe_portfolio_shares(ctx, p):
    """AWS Service Catalog API Reference, DescribePortfolioShares: the owner's shares of a portfolio of one
    Type (ACCOUNT, ORGANIZATION, ORGANIZATIONAL_UNIT, ORGANIZATION_MEMBER_ACCOUNT), with Accepted."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    shares = [dict(s) for s in st.shares.get(pf["Id"], {}).values() if s["Type"] == p["Type"]]
    return page(shares, p, "PortfolioShareDetails", 50)


def describe_portfolio_share_status(ctx, p):
    """AWS Service Catalog API Reference, DescribePortfolioShareStatus: the status of an organization share
    action by its PortfolioShareToken (IN_PROGRESS, then COMPLETED)."""
    st = catalog().store(ctx.account, ctx.region)
    s = st.share_status.get(p["PortfolioShareToken"])
    if s is None:
        raise not_found("PortfolioShareToken", p["PortfolioShareToken"])
    out = {k: v for k, v in s.items() if not k.startswith("_")}
    if settling(s):
        out["Status"] = "IN_PROGRESS"
    return out


def list_organization_portfolio_access(ctx, p):
    """AWS Service Catalog API Reference, ListOrganizationPortfolioAccess: the organization nodes of one type
    a portfolio is shared with."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    nodes = [{"Type": s["Type"], "Value": k} for k, s in st.shares.get(pf["Id"], {}).items()
             if s["Type"] == p["OrganizationNodeType"]]
    return page(nodes, p, "OrganizationNodes")


def list_portfolio_access(ctx, p):
    """AWS Service Catalog API Reference, ListPortfolioAccess: the account ids a portfolio is shared with."""
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    accts = [k for k, s in st.shares.get(pf["Id"], {}).items() if s["Type"] == "ACCOUNT"]
    return page(accts, p, "AccountIds")


def accept_portfolio_share(ctx, p):
    """AWS Service Catalog API Reference, AcceptPortfolioShare: the recipient accepts a portfolio shared with
    its account; until then the share is pending and its products cannot be used. PortfolioShareType IMPORTED
    (default) accepts an account share."""
    pid = p["PortfolioId"]
    mine = catalog().store(ctx.account, ctx.region)
    imp = mine.imported.get(pid)
    stype = p.get("PortfolioShareType", "IMPORTED")
    if imp is None or (stype == "IMPORTED" and imp["type"] != "IMPORTED"):
        raise not_found("Portfolio share", pid)
    with catalog().lock:
        imp["status"] = "ACCEPTED"
        ost = catalog().store(imp["owner"], ctx.region)
        share = ost.shares.get(pid, {}).get(ctx.account)
        if share:
            share["Accepted"] = True  # AWS: the owner's DescribePortfolioShares shows Accepted: true
    return {}


def reject_portfolio_share(ctx, p):
    """AWS Service Catalog API Reference, RejectPortfolioShare: the recipient declines (or leaves) a share;
    the portfolio disappears from its side."""
    pid = p["PortfolioId"]
    mine = catalog().store(ctx.account, ctx.region)
    with catalog().lock:
        imp = mine.imported.pop(pid, None)
        if imp is None:
            raise not_found("Portfolio share", pid)
        ost = catalog().store(imp["owner"], ctx.region)
        if imp["type"] == "IMPORTED":
            ost.shares.get(pid, {}).pop(ctx.account, None)
    return {}


def list_accepted_portfolio_shares(ctx, p):
    """AWS Service Catalog API Reference, ListAcceptedPortfolioShares: the portfolios shared with the caller's
    account and accepted (IMPORTED) or shared through AWS Organizations (AWS_ORGANIZATIONS)."""
    mine = catalog().store(ctx.account, ctx.region)
    stype = p.get("PortfolioShareType", "IMPORTED")
    out = []
    for pid, imp in mine.imported.items():
        if imp["status"] != "ACCEPTED" or imp["type"] != stype:
            continue
        ost = catalog().owner_store(pid, ctx.region)
        if ost and pid in ost.portfolios:
            out.append(portfolio_detail(ost.portfolios[pid]))
    return page(out, p, "PortfolioDetails")
