"""Lake Formation enforced for Athena queries, as AWS evaluates it for the calling principal.

`evaluate(principal, table, columns, state)` is pure: it reads grants, settings, LF-Tags and
registrations through `state` (a MotoState over moto's Lake Formation and Glue backends) and
returns Allowed(columns) or Denied(on, why). athena.py calls it for every table a query names,
before any data is read. The principal is an IAM ARN: an assumed-role session
(arn:aws:sts::A:assumed-role/R/s) is the role arn:aws:iam::A:role/R (accounts.principal_arn).

IAM policies are NOT evaluated (lakeformation:GetDataAccess, glue:GetTable, s3:* on the
results bucket ...): any principal is taken to hold the IAM permissions; only Lake Formation
decides. Data filters (row / cell filters, DataCellsFilter), column LF-Tags, LF-Tag
expressions by name, hybrid access mode and RAM share acceptance are not evaluated.
"""
import fnmatch
import logging

from .accounts import CURRENT  # .principal: who makes the request being served (creators)

log = logging.getLogger("vendcloud.lf")
IAP = "IAM_ALLOWED_PRINCIPALS"


class Allowed:
    def __init__(self, columns):
        self.columns = columns  # None = every column


class Denied:
    def __init__(self, on, why):
        self.on, self.why = on, why

    @property
    def message(self):
        # "Troubleshooting Lake Formation" / Athena: the query fails with
        # "Insufficient Lake Formation permission(s) on <resource>".
        # https://docs.aws.amazon.com/lake-formation/latest/dg/troubleshooting.html
        return f"Insufficient Lake Formation permission(s) on {self.on}"


class MotoState:
    """Read-only view of moto's Lake Formation and Glue backends in one region."""

    def __init__(self, region):
        self.region = region

    def lf(self, account):
        from moto.lakeformation.models import lakeformation_backends
        return lakeformation_backends[account][self.region]

    def grants(self, account):
        """Every grant stored by `account` (its own catalog's and its re-grants on others'):
        (principal id, resource, permissions incl. grantable, default catalog id)."""
        out = []
        for catalog, perms in list(self.lf(account).grants.items()):
            for p in list(perms.permissions):
                out.append((p.principal.get("DataLakePrincipalIdentifier"), p.resource,
                            set(p.permissions or []) | set(p.permissions_with_grant_options or []), str(catalog)))
        return out

    def admins(self, account):
        settings = self.lf(account).settings.get(account) or {}
        return {a.get("DataLakePrincipalIdentifier") for a in settings.get("DataLakeAdmins") or []}

    def tags(self, owner, database, table):
        """Effective LF-Tags of a table: its own, else inherited from its database, per key."""
        lf = self.lf(owner)
        eff = {t["TagKey"]: set(t.get("TagValues") or []) for t in lf.lf_database_tags.get((owner, database)) or []}
        eff.update({t["TagKey"]: set(t.get("TagValues") or []) for t in lf.lf_table_tags.get((owner, database, table))
                    or []})
        return eff

    def registered(self, owner):
        return [r.arn for r in self.lf(owner).resources.values()]

    def glue_object(self, account, database, table=None):
        from moto.glue.models import glue_backends
        db = glue_backends[account][self.region].databases.get(database)
        return db if table is None or db is None else db.tables.get(table)


def _account(arn):
    parts = str(arn).split(":")
    return parts[4] if len(parts) > 4 else ""


def _catalog(resource_part, default):
    return str(resource_part.get("CatalogId") or default)


def _covers(resource, perms_needed, perms, catalog, database, table, tags, default_catalog):
    """Does one grant's resource (and permissions) cover the table? -> None, or the columns it
    allows (a set, or "all")."""
    if not perms & (perms_needed | {"ALL"}):
        return None
    if "Table" in resource:
        t = resource["Table"]
        # "Granting table permissions using the named resource method": a grant on all tables
        # of a database (TableWildcard) covers each of them.
        # https://docs.aws.amazon.com/lake-formation/latest/dg/granting-table-permissions.html
        if _catalog(t, default_catalog) == catalog and t.get("DatabaseName") == database and (
                "TableWildcard" in t or t.get("Name") == table):
            return "all"
    elif "TableWithColumns" in resource:
        t = resource["TableWithColumns"]
        if _catalog(t, default_catalog) == catalog and t.get("DatabaseName") == database and t.get("Name") == table:
            if "ColumnWildcard" in t:
                return ("all", set((t.get("ColumnWildcard") or {}).get("ExcludedColumnNames") or []))
            return {c.lower() for c in t.get("ColumnNames") or []}
    elif "LFTagPolicy" in resource:
        pol = resource["LFTagPolicy"]
        # "Lake Formation tag-based access control": a policy on resource type TABLE matches a
        # table whose LF-Tags (own, or inherited from its database) satisfy every key of the
        # expression; LF-Tags live in the catalog that owns the resource, so the policy must
        # name that catalog (CatalogId).
        # https://docs.aws.amazon.com/lake-formation/latest/dg/tag-based-access-control.html
        # https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html
        if pol.get("ResourceType") == "TABLE" and _catalog(pol, default_catalog) == catalog and all(
                tags.get(e.get("TagKey")) and ("*" in (e.get("TagValues") or []) or
                                               tags[e["TagKey"]] & set(e.get("TagValues") or []))
                for e in pol.get("Expression") or []):
            return "all"
    return None


def _columns(grants, principal_ids, catalog, database, table, tags, all_columns):
    """Union of the columns the principal's SELECT grants allow on the table; None if none."""
    allowed = None
    for pid, resource, perms, default_catalog in grants:
        if pid not in principal_ids:
            continue
        got = _covers(resource, {"SELECT"}, perms, catalog, database, table, tags, default_catalog)
        if got is None:
            continue
        if got == "all":
            got = set(all_columns)
        elif isinstance(got, tuple):
            got = set(all_columns) - {c.lower() for c in got[1]}
        allowed = (allowed or set()) | got
    return allowed


def _link_described(grants, principal, link):
    """DESCRIBE (or ALL) on the resource link itself, in the caller's catalog."""
    for pid, resource, perms, default_catalog in grants:
        if pid != principal or not perms & {"DESCRIBE", "ALL"}:
            continue
        if link["kind"] == "Database" and "Database" in resource:
            d = resource["Database"]
            if _catalog(d, default_catalog) == link["catalog"] and d.get("Name") == link["database"]:
                return True
        if link["kind"] == "Table" and "Table" in resource:
            t = resource["Table"]
            if _catalog(t, default_catalog) == link["catalog"] and t.get("DatabaseName") == link["database"] and (
                    t.get("Name") == link["table"] or "TableWildcard" in t):
                return True
    return False


def _location_registered(registered, location):
    """'Registering an Amazon S3 location': Lake Formation vends credentials for data under a
    registered path (the registered bucket or prefix, and everything below it).
    https://docs.aws.amazon.com/lake-formation/latest/dg/register-data-lake.html"""
    path = location.split("://", 1)[-1].rstrip("/")
    for arn in registered:
        reg = arn.split(":::", 1)[-1].rstrip("/")
        if path == reg or path.startswith(reg + "/") or fnmatch.fnmatchcase(path, reg):
            return True
    return False


def evaluate(principal, table, columns, state):
    """May `principal` SELECT `table` (an athena.Resolved), and which of `columns`?"""
    caller = _account(principal)
    owner, database, name = table.owner, table.database, table.name
    caller_grants = state.grants(caller)
    admins = state.admins(caller)

    # Resource links. "Granting resource link permissions": to use a link a principal needs
    # DESCRIBE on it; "granting permissions on a resource link doesn't grant permissions on
    # the target (linked) database or table. You must grant permissions on the target
    # separately." https://docs.aws.amazon.com/lake-formation/latest/dg/granting-link-permissions.html
    # "Implicit Lake Formation permissions": data lake administrators have DESCRIBE on all
    # resources of their catalog; database creators all permissions on their databases.
    # "Changing the default settings for your data lake": with the default settings new
    # databases grant ALL to IAMAllowedPrincipals (any principal of the account; IAM decides).
    # https://docs.aws.amazon.com/lake-formation/latest/dg/implicit-permissions.html
    # https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
    for link in table.links:
        obj = state.glue_object(link["catalog"], link["database"], link.get("table"))
        if not (principal in admins or getattr(obj, "_vend_creator", None) == principal
                or getattr(obj, "_vend_iap", False) or _link_described(caller_grants, principal, link)
                or _link_described(caller_grants, IAP, link)):
            return Denied(link.get("table") or link["database"],
                          f"{principal} holds no DESCRIBE on the resource link {link['database']}"
                          f"{'.' + link['table'] if link.get('table') else ''} in catalog {link['catalog']}")

    tags = state.tags(owner, database, name)
    target = state.glue_object(owner, database, name)
    via_iam = False
    if owner == caller:
        # Same account. Named-resource and LF-Tag grants to the principal. "Implicit Lake
        # Formation permissions": table creators have all permissions on the tables they
        # create; database creators have none on tables others create in their database;
        # data lake administrators get DESCRIBE, not SELECT (they may grant themselves SELECT).
        # IAMAllowedPrincipals (default settings, or an explicit grant): any principal of the
        # account may read as far as IAM allows -- IAM is not evaluated here, so it may.
        allowed = _columns(caller_grants, {principal}, owner, database, name, tags, columns)
        if allowed is None and getattr(target, "_vend_creator", None) == principal:
            allowed = set(columns)
        if allowed is None and (getattr(target, "_vend_iap", False) or
                                _columns(caller_grants, {IAP}, owner, database, name, tags, columns) is not None):
            allowed, via_iam = set(columns), True
        if allowed is None:
            return Denied(name, f"{principal} holds no SELECT on {owner}:{database}.{name}")
    else:
        # Another account's table. "Accessing the underlying data of a shared table": the
        # owning account grants the consumer ACCOUNT (with the grant option, so it can be
        # passed on); "the data lake administrator must re-grant to the principal the Lake
        # Formation SELECT permission that account A granted", naming A's catalog id. An
        # account grant alone lets no principal read; a re-grant is worth only what the
        # account still holds (checked here, at query time). IAMAllowedPrincipals and the
        # implicit permissions of the owning account do not reach other accounts.
        # https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-read-data.html
        account_cols = _columns(state.grants(owner), {caller}, owner, database, name, tags, columns)
        if account_cols is None:
            return Denied(name, f"catalog {owner} grants account {caller} no SELECT on {database}.{name}")
        mine = _columns(caller_grants, {principal}, owner, database, name, tags, columns)
        if mine is None:
            return Denied(name, f"{principal} holds no SELECT on {owner}:{database}.{name} (no re-grant by the "
                                f"data lake administrator of {caller} naming catalog {owner})")
        allowed = account_cols & mine
    if not via_iam:
        # "Using Athena to query data registered with AWS Lake Formation": Lake Formation
        # permissions apply to registered S3 locations; Athena reads them with credentials
        # Lake Formation vends. An unregistered location is read with the caller's own
        # credentials: allowed here within the bucket owner's account (IAM not evaluated),
        # refused across accounts (bucket policies are not consulted for Athena reads).
        # https://docs.aws.amazon.com/athena/latest/ug/security-athena-lake-formation.html
        location = ((table.input.get("StorageDescriptor") or {}).get("Location") or "")
        if not _location_registered(state.registered(owner), location) and state.bucket_owner(location) != caller:
            return Denied(None, f"Permission denied on S3 path: {location}")
    # Column grants: "Data filtering and cell-level security in Lake Formation" -- column-level
    # security "allows users to view only specific columns"; Athena's "Considerations and
    # limitations": column-level authorization prevents access to data in other columns. Here:
    # SELECT * returns the granted columns only; naming another column fails as Athena does for
    # a column it cannot see (COLUMN_NOT_FOUND).
    # https://docs.aws.amazon.com/lake-formation/latest/dg/data-filtering.html
    # https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html
    allowed = [c for c in columns if c in allowed]
    if not allowed:
        return Denied(name, f"{principal} may read no column of {owner}:{database}.{name}")
    return Allowed(allowed)


def _bucket_owner(location):
    from .athena import split_s3
    from .crawler import find_bucket
    return find_bucket(split_s3(location)[0] or "")[0]


MotoState.bucket_owner = staticmethod(_bucket_owner)


# ----------------------------------------------------------------------------- hooks

def authorize(e, resolved, columns):
    from .athena import QueryFailed
    verdict = evaluate(e.principal, resolved, columns, MotoState(e.region))
    if isinstance(verdict, Denied):
        log.info("query %s denied for %s: %s", e.id, e.principal, verdict.why)  # names only, no data
        raise QueryFailed(verdict.why if verdict.on is None else verdict.message)
    return verdict.columns


def _iap_in(entries):
    return any((p.get("Principal") or {}).get("DataLakePrincipalIdentifier") == IAP for p in entries or [])


def install():
    from moto.core.exceptions import JsonRESTError
    from moto.glue.models import GlueBackend
    from moto.lakeformation.models import LakeFormationBackend

    from . import athena, crawler
    if getattr(GlueBackend.create_table, "_vend_lf", False):
        return
    athena.authorize = authorize
    orig_db, orig_table = GlueBackend.create_database, GlueBackend.create_table

    def settings(backend):
        from moto.lakeformation.models import lakeformation_backends
        return lakeformation_backends[backend.account_id][backend.region_name].settings[backend.account_id]

    # "Changing the default settings for your data lake": new databases get ALL for
    # IAMAllowedPrincipals when CreateDatabaseDefaultPermissions says so; new tables when their
    # database's CreateTableDefaultPermissions (given at creation, else the data lake setting
    # at that time) does. The creator is recorded for the implicit permissions.
    def create_database(self, database_name, database_input, tags=None):
        db = orig_db(self, database_name, database_input, tags)
        s = settings(self)
        db._vend_iap = _iap_in(s.get("CreateDatabaseDefaultPermissions"))
        given = (database_input or {}).get("CreateTableDefaultPermissions")
        db._vend_table_iap = _iap_in(given if given is not None else s.get("CreateTableDefaultPermissions"))
        db._vend_creator = getattr(CURRENT, "principal", None)
        return db

    def create_table(self, database_name, table_name, table_input, open_table_format_input=None):
        table = orig_table(self, database_name, table_name, table_input, open_table_format_input)
        db = self.databases.get(database_name)
        table._vend_iap = getattr(db, "_vend_table_iap", _iap_in(settings(self).get("CreateTableDefaultPermissions")))
        table._vend_creator = getattr(CURRENT, "principal", None)
        return table
    create_table._vend_lf = True
    GlueBackend.create_database, GlueBackend.create_table = create_database, create_table

    # A crawler creates its tables as its role.
    orig_run = crawler.run

    def run(c):
        before = getattr(CURRENT, "principal", None)
        role = c.role if str(c.role).startswith("arn:") else f"arn:aws:iam::{c.backend.account_id}:role/{c.role}"
        CURRENT.principal = role
        try:
            return orig_run(c)
        finally:
            CURRENT.principal = before
    crawler.run = run

    # "Lake Formation tag-based access control best practices and considerations": all LF-Tags
    # must be predefined before they can be assigned to resources or granted to principals.
    # A grant naming a tag key / value that does not exist in the policy's catalog (CatalogId,
    # by default the caller's own) is refused -- so a consumer's tag policy without the
    # central catalog id is refused when granted, not denied later.
    # https://docs.aws.amazon.com/lake-formation/latest/dg/lf-tag-considerations.html
    orig_grant = LakeFormationBackend.grant_permissions

    def grant_permissions(self, catalog_id, principal, resource, permissions, permissions_with_grant_options):
        for kind in ("LFTagPolicy", "LFTag"):
            part = (resource or {}).get(kind)
            if part is None:
                continue
            cat = str(part.get("CatalogId") or catalog_id or self.account_id)
            exprs = (part.get("Expression") or []) if kind == "LFTagPolicy" else [part]
            defined = MotoState(self.region_name).lf(cat).list_lf_tags(cat)
            for ex in exprs:
                have = defined.get(ex.get("TagKey"))
                if not have or any(v not in have and v != "*" for v in ex.get("TagValues") or []):
                    raise JsonRESTError("EntityNotFoundException", "Tag or tag value does not exist.")
        return orig_grant(self, catalog_id, principal, resource, permissions, permissions_with_grant_options)
    LakeFormationBackend.grant_permissions = grant_permissions


install()
