"""Who may grant Lake Formation permissions: GrantPermissions, BatchGrantPermissions and the
AWS::LakeFormation::PrincipalPermissions type alike (all three reach the backend's
grant_permissions, patched here).

AWS behaviour reproduced:
- The granting account. An account may grant on another account's catalog resources only
  what that account granted it WITH GRANT OPTION ("Cross-account data sharing in Lake
  Formation", https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-permissions.html;
  "Granting permissions on a data location shared with your account": "your account must have
  been granted the DATA_LOCATION_ACCESS permission on the location with the grant option",
  https://docs.aws.amazon.com/lake-formation/latest/dg/regranting-locations.html).
- The granting principal (the request's caller; for a stack, the role CloudFormation acts as:
  its service role, a Service Catalog launch role, else the caller -- cfn_update.acting_as).
  It must be a data lake administrator of the granting account ("Implicit Lake Formation
  permissions": administrators "can grant or revoke access to any resources in the Data
  Catalog to any principal", https://docs.aws.amazon.com/lake-formation/latest/dg/implicit-permissions.html;
  on a resource shared in, "as a data lake administrator, you can grant permissions on the
  resource to other principals in your account", regranting-locations above), or hold the
  permissions it grants WITH GRANT OPTION on the resource, or hold them implicitly as a
  creator: a database creator "can grant other principals in the same AWS account permission
  to create tables in the database"; a table creator can grant permissions on the tables it
  created to principals in the same account (implicit-permissions above). An IAM
  administrator is no exception: it "cannot grant Lake Formation permissions if not also
  designated a data lake administrator" ("Lake Formation personas and IAM permissions
  reference", https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html).
  Otherwise: AccessDeniedException.
- BatchGrantPermissions reports a refused entry in Failures and grants the others
  (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchGrantPermissions.html).

Not modelled: RevokePermissions is not checked; LF-Tag creators' implicit rights; the message
text of AWS's AccessDeniedException (ours names the caller and what it lacks).
"""
import copy

from .accounts import CURRENT

_KINDS = ("LFTagPolicy", "LFTag", "Database", "Table", "TableWithColumns", "DataLocation", "Catalog")


class Refused(Exception):
    """AccessDeniedException, with the reason."""


def _lf(account, region):
    from moto.lakeformation.models import lakeformation_backends
    return lakeformation_backends[account][region]


def resource_catalog(res, account):
    for k in _KINDS[:-1]:
        if k in res:
            return str(res[k].get("CatalogId") or account)
    return account


def _normalized(res, catalog):
    """The resource with every CatalogId filled in (a grant made without one names `catalog`)."""
    out = copy.deepcopy(res or {})
    for k in _KINDS[:-1]:
        if isinstance(out.get(k), dict):
            out[k]["CatalogId"] = str(out[k].get("CatalogId") or catalog)
    return out


def covers(granted, wanted):
    """Does a grant's resource cover the wanted one (same kind and catalog, and a superset of
    tag values / the same database, table or location)? Both with CatalogIds filled in."""
    if "Catalog" in wanted:
        return "Catalog" in granted
    for k in _KINDS[:-1]:
        if k not in wanted:
            continue
        if k not in granted:
            return False
        g, w = granted[k], wanted[k]
        if str(g.get("CatalogId")) != str(w.get("CatalogId")):
            return False
        if k == "LFTagPolicy":
            if g.get("ResourceType") != w.get("ResourceType"):
                return False
            gexp = {e["TagKey"]: set(e.get("TagValues", [])) for e in g.get("Expression", [])}
            return all(e["TagKey"] in gexp and set(e.get("TagValues", [])) <= gexp[e["TagKey"]]
                       for e in w.get("Expression", []))
        if k == "LFTag":
            return g.get("TagKey") == w.get("TagKey") and set(w.get("TagValues", [])) <= set(g.get("TagValues", []))
        if k == "Database":
            return g.get("Name") == w.get("Name")
        if k in ("Table", "TableWithColumns"):
            return g.get("DatabaseName") == w.get("DatabaseName") and (
                "TableWildcard" in g or g.get("Name") == w.get("Name"))
        return g.get("ResourceArn") == w.get("ResourceArn")
    return False


def _grantable(backend, principal_id, res):
    """The permissions `principal_id` holds WITH GRANT OPTION on `res` in `backend`'s grants."""
    have = set()
    for catalog, perms in list(backend.grants.items()):
        for p in list(perms.permissions):
            if p.principal.get("DataLakePrincipalIdentifier") == principal_id and covers(
                    _normalized(p.resource, str(catalog)), res):
                have |= set(p.permissions_with_grant_options or [])
    return have


def check_account(account, region, res, perms):
    """The granting account: on another account's catalog only what it holds grantable."""
    catalog = resource_catalog(res, account)
    if catalog == account:
        return
    have = _grantable(_lf(catalog, region), account, _normalized(res, account))
    missing = sorted(set(perms) - have) if "ALL" not in have else []
    if missing:
        raise Refused(f"Insufficient Lake Formation permission(s): account {account} holds no grantable "
                      f"{', '.join(missing)} on this resource of catalog {catalog}")


def _account_of(principal_id):
    parts = str(principal_id).split(":")
    return parts[4] if len(parts) > 4 else str(principal_id)


def _creator_may_grant(backend, caller, grantee, res, wanted):
    """Implicit rights of database and table creators, within their own account's catalog."""
    from moto.glue.models import glue_backends
    account = backend.account_id
    if _account_of(grantee) != account or resource_catalog(res, account) != account:
        return False
    glue = glue_backends[account][backend.region_name]
    if "Database" in res:
        db = glue.databases.get(res["Database"].get("Name"))
        return getattr(db, "_vend_creator", None) == caller and wanted <= {"CREATE_TABLE"}
    t = res.get("Table") or res.get("TableWithColumns")
    if t and t.get("Name"):
        db = glue.databases.get(t.get("DatabaseName"))
        table = db.tables.get(t["Name"]) if db is not None else None
        return getattr(table, "_vend_creator", None) == caller
    return False


def check(backend, principal, resource, permissions, grantable):
    """Raises Refused unless the calling principal may make this grant in `backend`'s account."""
    account = backend.account_id
    res = _normalized(resource, account)
    wanted = set(permissions or []) | set(grantable or [])
    check_account(account, backend.region_name, res, wanted)
    caller = getattr(CURRENT, "principal", None)
    if not caller:
        return  # not made on anyone's behalf (the local cloud's own seeding)
    settings = backend.settings.get(account) or {}
    if caller in {a.get("DataLakePrincipalIdentifier") for a in settings.get("DataLakeAdmins") or []}:
        return
    have = _grantable(backend, caller, res)
    if "ALL" in have or wanted <= have:
        return
    if _creator_may_grant(backend, caller, (principal or {}).get("DataLakePrincipalIdentifier"), res, wanted):
        return
    what = next((f"{k} {res[k].get('Name') or res[k].get('TagKey') or res[k].get('ResourceArn') or ''}".strip()
                 for k in _KINDS if k in res), "the resource")
    raise Refused(f"Insufficient Lake Formation permission(s): {caller} is not a data lake administrator of "
                  f"{account} and holds no grantable {', '.join(sorted(wanted - have))} on {what}")


def install():
    from moto.core.exceptions import JsonRESTError
    from moto.lakeformation.models import LakeFormationBackend
    from moto.lakeformation.responses import LakeFormationResponse
    orig_grant = LakeFormationBackend.grant_permissions
    if getattr(orig_grant, "_vend_grantor", False):
        return

    def grant_permissions(self, catalog_id, principal, resource, permissions, permissions_with_grant_options):
        try:
            check(self, principal, resource, permissions, permissions_with_grant_options)
        except Refused as e:
            raise JsonRESTError("AccessDeniedException", str(e))
        return orig_grant(self, catalog_id, principal, resource, permissions, permissions_with_grant_options)
    grant_permissions._vend_grantor = True
    LakeFormationBackend.grant_permissions = grant_permissions

    def batch_grant_permissions(self):
        import json
        catalog_id = self._get_param("CatalogId") or self.current_account
        failures = []
        for entry in self._get_param("Entries") or []:
            try:
                self.lakeformation_backend.grant_permissions(
                    catalog_id, entry.get("Principal"), entry.get("Resource"), entry.get("Permissions"),
                    entry.get("PermissionsWithGrantOption"))
            except JsonRESTError as e:
                failures.append({"RequestEntry": entry, "Error": {"ErrorCode": e.error_type,
                                                                  "ErrorMessage": e.message}})
        return json.dumps({"Failures": failures})
    LakeFormationResponse.batch_grant_permissions = batch_grant_permissions
