"""All of the local cloud's Service Catalog state, behind one object.

State lives per (account, region) in a Store; ids are global (a recipient sees the owner's
portfolio under the owner's id, as in AWS), so one map says which store owns an id. Handlers
reach the state only through catalog().
"""
import threading


class Store:
    """One account's Service Catalog in one region."""

    def __init__(self, account, region):
        self.account, self.region = account, region
        self.portfolios, self.products, self.artifacts, self.constraints = {}, {}, {}, {}
        self.tag_options, self.actions = {}, {}
        self.tag_assoc = {}  # resource id -> [tag option id]
        self.product_portfolios = {}  # product id -> [portfolio id] (this account's associations)
        self.shares = {}  # portfolio id -> {account|node value: share dict}   (owner side)
        self.imported = {}  # portfolio id -> {"owner", "status", "type"}         (recipient side)
        self.principals = {}  # portfolio id -> [{"PrincipalARN", "PrincipalType"}]
        self.share_status = {}  # token -> status
        self.action_assoc = {}  # (product id, artifact id) -> [action id]
        self.provisioned, self.records = {}, {}
        self.plans = {}  # plan id -> provisioned product plan (plans.py)


class CatalogState:
    """The per-(account, region) stores, the global id -> owner map, the idempotency tokens,
    the accounts with AWS Organizations access, and the lock that guards them."""

    def __init__(self):
        self.lock = threading.RLock()
        self.org_access = set()  # accounts that called EnableAWSOrganizationsAccess (see shares)
        self.stores = {}  # (account, region) -> Store
        self.owner = {}  # resource id -> (account, region)
        self.tokens = {}  # (account, region, operation, token) -> response (idempotency)

    def reset(self):
        with self.lock:
            self.org_access.clear()
            self.stores.clear()
            self.owner.clear()
            self.tokens.clear()

    def store(self, account, region):
        with self.lock:
            key = (account, region)
            if key not in self.stores:
                self.stores[key] = Store(account, region)
            return self.stores[key]

    def owner_store(self, rid, region):
        """The store that owns the id (the region argument is not used: ids are global)."""
        with self.lock:
            loc = self.owner.get(rid)
        return self.store(*loc) if loc else None


_CATALOG = CatalogState()


def catalog():
    """The one Service Catalog state of this process."""
    return _CATALOG


def reset():
    """Empty every account's Service Catalog (the local cloud's reset hook)."""
    _CATALOG.reset()


def idempotent(ctx, op, token, fn):
    """Same IdempotencyToken (per account, operation) -> the same answer, nothing new created."""
    if not token:
        return fn()
    key = (ctx.account, ctx.region, op, token)
    with _CATALOG.lock:
        if key in _CATALOG.tokens:
            return _CATALOG.tokens[key]
        result = fn()
        _CATALOG.tokens[key] = result
        return result
