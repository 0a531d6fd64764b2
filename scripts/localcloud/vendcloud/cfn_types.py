"""CloudFormation resource types moto lacks, and failing stacks with unknown types.

moto builds its type map from CloudFormationModel.__subclasses__() on first use, so these
direct subclasses must be imported before the first stack (server.build does).

AWS behaviour assumed:
- CreateStack/UpdateStack/CreateChangeSet with a resource type CloudFormation does not know
  answers ValidationError "Template format error: Unrecognized resource types: [T]" before
  anything is created. Here: every type moto cannot create counts as unknown.
- Each type below creates the same state the matching API would, checks what the real
  service checks on create (a named database / role / LF tag / registered location must
  exist), and removes its state when the stack is deleted. Updates replace the resource.
"""
import json

from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.core.common_models import CloudFormationModel


class ResourceError(Exception):
    """A create failure, as the service would have answered it."""


def _glue(account, region):
    from moto.glue.models import glue_backends
    return glue_backends[account][region]


def _lf(account, region):
    from moto.lakeformation.models import lakeformation_backends
    return lakeformation_backends[account][region]


def _role_exists(arn):
    from moto.iam.models import iam_backends
    parts = arn.split(":")
    if len(parts) < 6:
        return False
    return any(r.name == arn.split("/")[-1] for r in iam_backends[parts[4]]["aws"].roles.values())


class _Base:
    """Common plumbing: keep the properties, replace on update, Ref = physical id.
    (Each type also names CloudFormationModel directly: moto only sees direct subclasses.)"""

    TYPE = ""
    NAME_PROP = ""
    ATTRS = ()

    def __init__(self, physical_id, props, account_id, region_name, logical_id=""):
        self.physical_id, self.props = physical_id, props
        self.account_id, self.region_name, self.logical_id = account_id, region_name, logical_id

    @property
    def physical_resource_id(self):
        return self.physical_id

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in cls.ATTRS

    def get_cfn_attribute(self, attr):
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
        if attr in self.ATTRS:
            return getattr(self, "attr_" + attr)()
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json.get("Properties", {})
        obj = cls(resource_name, props, account_id, region_name, kwargs.get("LogicalId", ""))
        try:
            obj.create()
        except ResourceError as e:
            raise ValidationError(kwargs.get("LogicalId", ""),
                                  message=f"Resource handler returned message: \"{e}\" ({cls.TYPE} "
                                          f"{kwargs.get('LogicalId', '')})")
        return obj

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name,
                                                   LogicalId=original_resource.logical_id)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def is_created(self):
        return True

    def create(self):
        raise NotImplementedError

    def delete(self, account_id=None, region_name=None):
        pass


class S3BucketPolicy(_Base, CloudFormationModel):
    TYPE = "AWS::S3::BucketPolicy"

    @staticmethod
    def cloudformation_type():
        return "AWS::S3::BucketPolicy"

    def _backend(self):
        from moto.s3.models import s3_backends
        return s3_backends[self.account_id]["aws"]

    def create(self):
        bucket = self.props.get("Bucket")
        doc = self.props.get("PolicyDocument")
        if not bucket or doc is None:
            raise ResourceError("Bucket and PolicyDocument are required")
        be = self._backend()
        if bucket not in be.buckets:
            raise ResourceError(f"The specified bucket does not exist: {bucket}")
        be.put_bucket_policy(bucket, (doc if isinstance(doc, str) else json.dumps(doc)).encode())
        self.physical_id = bucket

    def delete(self, account_id=None, region_name=None):
        be = self._backend()
        if self.props.get("Bucket") in be.buckets:
            be.delete_bucket_policy(self.props["Bucket"])


class GlueDatabase(_Base, CloudFormationModel):
    TYPE = "AWS::Glue::Database"

    @staticmethod
    def cloudformation_type():
        return "AWS::Glue::Database"

    def create(self):
        catalog = str(self.props.get("CatalogId") or self.account_id)
        if catalog != self.account_id:
            raise ResourceError(f"Cannot create a database in catalog {catalog} from account {self.account_id}")
        di = dict(self.props.get("DatabaseInput") or {})
        name = di.get("Name") or self.physical_id.lower()
        di["Name"] = name
        target = di.get("TargetDatabase")
        if target:
            # A resource link: AWS requires the target database to exist (in its catalog)
            try:
                _glue(str(target.get("CatalogId", self.account_id)), target.get("Region", self.region_name)) \
                    .get_database(target["DatabaseName"])
            except Exception:
                raise ResourceError(f"Target database {target.get('DatabaseName')} not found in catalog "
                                    f"{target.get('CatalogId')}")
        try:
            _glue(self.account_id, self.region_name).create_database(name, di)
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))
        self.physical_id = name

    def delete(self, account_id=None, region_name=None):
        try:
            _glue(self.account_id, self.region_name).delete_database(self.physical_id)
        except Exception:
            pass


class GlueCrawler(_Base, CloudFormationModel):
    TYPE = "AWS::Glue::Crawler"

    @staticmethod
    def cloudformation_type():
        return "AWS::Glue::Crawler"

    def create(self):
        p = self.props
        name = p.get("Name") or self.physical_id
        if not p.get("Role") or not p.get("Targets"):
            raise ResourceError("Role and Targets are required")
        db = p.get("DatabaseName")
        glue = _glue(self.account_id, self.region_name)
        if db:
            try:
                glue.get_database(db)
            except Exception:
                raise ResourceError(f"Database {db} not found")
        sched = p.get("Schedule") or {}
        try:
            glue.create_crawler(
                name=name, role=p["Role"], database_name=db, description=p.get("Description"),
                targets=p["Targets"], schedule=sched.get("ScheduleExpression"), classifiers=p.get("Classifiers"),
                table_prefix=p.get("TablePrefix"), schema_change_policy=p.get("SchemaChangePolicy"),
                recrawl_policy=p.get("RecrawlPolicy"), lineage_configuration=p.get("LineageConfiguration"),
                configuration=p.get("Configuration"),
                crawler_security_configuration=p.get("CrawlerSecurityConfiguration"), tags=p.get("Tags") or {})
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))
        self.physical_id = name

    def delete(self, account_id=None, region_name=None):
        try:
            _glue(self.account_id, self.region_name).delete_crawler(self.physical_id)
        except Exception:
            pass


class AthenaWorkGroup(_Base, CloudFormationModel):
    TYPE = "AWS::Athena::WorkGroup"
    ATTRS = ("CreationTime",)

    @staticmethod
    def cloudformation_type():
        return "AWS::Athena::WorkGroup"

    def _be(self):
        from moto.athena.models import athena_backends
        return athena_backends[self.account_id][self.region_name]

    def create(self):
        name = self.props.get("Name")
        if not name:
            raise ResourceError("Name is required")
        wg = self._be().create_work_group(name=name, configuration=self.props.get("WorkGroupConfiguration") or {},
                                          description=self.props.get("Description", ""),
                                          tags=self.props.get("Tags") or [])
        if wg is None:
            raise ResourceError(f"WorkGroup {name} already exists")
        self.physical_id = name

    def attr_CreationTime(self):
        return ""

    def delete(self, account_id=None, region_name=None):
        try:
            self._be().delete_work_group(self.physical_id)
        except Exception:
            pass


class LakeFormationDataLakeSettings(_Base, CloudFormationModel):
    TYPE = "AWS::LakeFormation::DataLakeSettings"

    @staticmethod
    def cloudformation_type():
        return "AWS::LakeFormation::DataLakeSettings"

    def create(self):
        lf = _lf(self.account_id, self.region_name)
        self.previous = json.loads(json.dumps(lf.get_data_lake_settings(self.account_id)))
        settings = dict(self.previous)
        admins = self.props.get("Admins")
        if admins is not None:
            if self.props.get("MutationType") == "APPEND":
                known = {a["DataLakePrincipalIdentifier"] for a in settings.get("DataLakeAdmins", [])}
                settings["DataLakeAdmins"] = settings.get("DataLakeAdmins", []) + [
                    a for a in admins if a["DataLakePrincipalIdentifier"] not in known]
            else:
                settings["DataLakeAdmins"] = admins
        for src, dst in (("CreateDatabaseDefaultPermissions", "CreateDatabaseDefaultPermissions"),
                         ("CreateTableDefaultPermissions", "CreateTableDefaultPermissions"),
                         ("Parameters", "Parameters"), ("TrustedResourceOwners", "TrustedResourceOwners"),
                         ("AllowExternalDataFiltering", "AllowExternalDataFiltering"),
                         ("ExternalDataFilteringAllowList", "ExternalDataFilteringAllowList"),
                         ("AuthorizedSessionTagValueList", "AuthorizedSessionTagValueList")):
            if src in self.props:
                settings[dst] = self.props[src]
        lf.put_data_lake_settings(self.account_id, settings)
        self.physical_id = f"{self.account_id}-datalakesettings"

    def delete(self, account_id=None, region_name=None):
        # Assumption: deleting the resource restores the settings it replaced.
        _lf(self.account_id, self.region_name).put_data_lake_settings(self.account_id, self.previous)


def _tag_values(catalog, region, key):
    try:
        return _lf(catalog, region).get_lf_tag(catalog, key)
    except Exception:
        return []


class LakeFormationTag(_Base, CloudFormationModel):
    TYPE = "AWS::LakeFormation::Tag"

    @staticmethod
    def cloudformation_type():
        return "AWS::LakeFormation::Tag"

    def create(self):
        catalog = str(self.props.get("CatalogId") or self.account_id)
        key, values = self.props.get("TagKey"), self.props.get("TagValues") or []
        if not key or not values:
            raise ResourceError("TagKey and TagValues are required")
        if _tag_values(catalog, self.region_name, key):
            raise ResourceError(f"Tag key {key} already exists")  # AlreadyExistsException in AWS
        _lf(catalog, self.region_name).create_lf_tag(catalog, key, values)
        self.catalog = catalog
        self.physical_id = key

    def delete(self, account_id=None, region_name=None):
        try:
            _lf(self.catalog, self.region_name).delete_lf_tag(self.catalog, self.physical_id)
        except Exception:
            pass


def _check_tags(tags, region):
    for t in tags:
        catalog = str(t.get("CatalogId"))
        have = _tag_values(catalog, region, t.get("TagKey"))
        if not have:
            raise ResourceError(f"Tag key {t.get('TagKey')} does not exist in catalog {catalog}")
        missing = [v for v in t.get("TagValues", []) if v not in have and v != "*"]
        if missing:
            raise ResourceError(f"Tag values {missing} are not defined for tag key {t.get('TagKey')}")


def _check_resource(res, account, region):
    """Lake Formation checks that the catalog resource a grant or tag is about exists."""
    if "Database" in res:
        d = res["Database"]
        cat = str(d.get("CatalogId") or account)
        try:
            _glue(cat, region).get_database(d["Name"])
        except Exception:
            raise ResourceError(f"Database {d.get('Name')} not found in catalog {cat}")
    for k in ("Table", "TableWithColumns"):
        if k in res:
            t = res[k]
            cat = str(t.get("CatalogId") or account)
            glue = _glue(cat, region)
            try:
                glue.get_database(t["DatabaseName"])
            except Exception:
                raise ResourceError(f"Database {t.get('DatabaseName')} not found in catalog {cat}")
            if t.get("Name"):
                try:
                    glue.get_table(t["DatabaseName"], t["Name"])
                except Exception:
                    raise ResourceError(f"Table {t.get('Name')} not found")
    if "DataLocation" in res:
        d = res["DataLocation"]
        cat = str(d.get("CatalogId") or account)
        arn = d.get("ResourceArn")
        try:
            _lf(cat, region).describe_resource(arn)
        except Exception:
            raise ResourceError(f"The location {arn} is not registered with Lake Formation in {cat}")
    if "LFTag" in res:
        _check_tags([{"CatalogId": res["LFTag"].get("CatalogId") or account, "TagKey": res["LFTag"].get("TagKey"),
                      "TagValues": res["LFTag"].get("TagValues", [])}], region)
    if "LFTagPolicy" in res:
        pol = res["LFTagPolicy"]
        cat = pol.get("CatalogId") or account
        _check_tags([{"CatalogId": cat, "TagKey": e.get("TagKey"), "TagValues": e.get("TagValues", [])}
                     for e in pol.get("Expression", [])], region)


def _clean_resource(res):
    """CloudFormation's shape -> the API's (Catalog {} and wildcard objects)."""
    out = json.loads(json.dumps(res))
    for k in ("Table", "TableWithColumns"):
        if k in out and "TableWildcard" in out[k] and not out[k]["TableWildcard"]:
            out[k]["TableWildcard"] = {}
    return out


class LakeFormationTagAssociation(_Base, CloudFormationModel):
    TYPE = "AWS::LakeFormation::TagAssociation"

    @staticmethod
    def cloudformation_type():
        return "AWS::LakeFormation::TagAssociation"

    def create(self):
        res, tags = _clean_resource(self.props.get("Resource") or {}), self.props.get("LFTags") or []
        for t in tags:
            t.setdefault("CatalogId", self.account_id)
            t["CatalogId"] = str(t["CatalogId"])
        _check_tags(tags, self.region_name)
        _check_resource(res, self.account_id, self.region_name)
        # AWS: an LF tag and the resource it is put on must be in the same account.
        for t in tags:
            for k in ("Database", "Table", "TableWithColumns"):
                if k in res and str(res[k].get("CatalogId") or self.account_id) != t["CatalogId"]:
                    raise ResourceError("LF tags can only be associated with resources of the tag's own catalog")
        _lf(self.account_id, self.region_name).add_lf_tags_to_resource(self.account_id, res, tags)
        self.res, self.tags = res, tags
        self.physical_id = f"{json.dumps(res, sort_keys=True)}|{json.dumps(tags, sort_keys=True)}"

    def delete(self, account_id=None, region_name=None):
        try:
            _lf(self.account_id, self.region_name).remove_lf_tags_from_resource(self.account_id, self.res, self.tags)
        except Exception:
            pass


def _resource_catalog(res, account):
    for k in ("LFTagPolicy", "LFTag", "Database", "Table", "TableWithColumns", "DataLocation"):
        if k in res:
            return str(res[k].get("CatalogId") or account)
    return account


def _covers(granted, wanted):
    """Does a grant's resource cover the wanted one (same kind, catalog, and a superset of
    tag values / the same database or table)?"""
    for k in ("LFTagPolicy", "LFTag", "Database", "Table", "TableWithColumns", "DataLocation"):
        if k in wanted:
            if k not in granted:
                return False
            g, w = granted[k], wanted[k]
            if str(g.get("CatalogId")) != str(w.get("CatalogId")):
                return False
            if k == "LFTagPolicy":
                if g.get("ResourceType") != w.get("ResourceType"):
                    return False
                gexp = {e["TagKey"]: set(e.get("TagValues", [])) for e in g.get("Expression", [])}
                for e in w.get("Expression", []):
                    if e["TagKey"] not in gexp or not set(e.get("TagValues", [])) <= gexp[e["TagKey"]]:
                        return False
                return True
            if k == "LFTag":
                return g.get("TagKey") == w.get("TagKey") and set(w.get("TagValues", [])) <= set(
                    g.get("TagValues", []))
            if k == "Database":
                return g.get("Name") == w.get("Name")
            if k in ("Table", "TableWithColumns"):
                return g.get("DatabaseName") == w.get("DatabaseName") and (
                    "TableWildcard" in g or g.get("Name") == w.get("Name"))
            return g.get("ResourceArn") == w.get("ResourceArn")
    return False


def _check_cross_account_grant(account, region, res, perms):
    """AWS Lake Formation: an account may grant permissions on another account's catalog
    resources only if that account granted them to it WITH GRANT OPTION."""
    catalog = _resource_catalog(res, account)
    if catalog == account:
        return
    granted = _lf(catalog, region).list_permissions(catalog)
    wanted = set(perms)
    have = set()
    for g in granted:
        if g["Principal"].get("DataLakePrincipalIdentifier") != account:
            continue
        if _covers(g["Resource"], res):
            have |= set(g.get("PermissionsWithGrantOption") or [])
    if "ALL" in have:
        return
    missing = sorted(wanted - have)
    if missing:
        raise ResourceError(f"Insufficient Lake Formation permission(s): account {account} holds no grantable "
                            f"{', '.join(missing)} on this resource of catalog {catalog}")


class LakeFormationPrincipalPermissions(_Base, CloudFormationModel):
    TYPE = "AWS::LakeFormation::PrincipalPermissions"
    ATTRS = ("PrincipalIdentifier", "ResourceIdentifier")

    @staticmethod
    def cloudformation_type():
        return "AWS::LakeFormation::PrincipalPermissions"

    def create(self):
        p = self.props
        principal, res = p.get("Principal") or {}, _clean_resource(p.get("Resource") or {})
        perms = p.get("Permissions") or []
        if not principal.get("DataLakePrincipalIdentifier") or not res or not perms:
            raise ResourceError("Principal, Resource and Permissions are required")
        _check_resource(res, self.account_id, self.region_name)
        catalog = str(p.get("Catalog") or self.account_id)
        _lf(self.account_id, self.region_name).grant_permissions(
            catalog, principal, res, perms, p.get("PermissionsWithGrantOption") or [])
        self.catalog, self.principal, self.res = catalog, principal, res
        self.perms, self.grant = perms, p.get("PermissionsWithGrantOption") or []
        self.physical_id = f"{principal['DataLakePrincipalIdentifier']}|{json.dumps(res, sort_keys=True)}"

    def attr_PrincipalIdentifier(self):
        return self.principal["DataLakePrincipalIdentifier"]

    def attr_ResourceIdentifier(self):
        return json.dumps(self.res, sort_keys=True)

    def delete(self, account_id=None, region_name=None):
        try:
            _lf(self.account_id, self.region_name).revoke_permissions(self.catalog, self.principal, self.res,
                                                                      self.perms, self.grant)
        except Exception:
            pass


class LakeFormationResource(_Base, CloudFormationModel):
    TYPE = "AWS::LakeFormation::Resource"

    @staticmethod
    def cloudformation_type():
        return "AWS::LakeFormation::Resource"

    def create(self):
        arn = self.props.get("ResourceArn")
        if not arn:
            raise ResourceError("ResourceArn is required")
        role = self.props.get("RoleArn")
        use_slr = str(self.props.get("UseServiceLinkedRole", "false")).lower() == "true"
        if not use_slr:
            if not role:
                raise ResourceError("RoleArn is required when UseServiceLinkedRole is false")
            if not _role_exists(role):
                raise ResourceError(f"Role {role} does not exist")  # AWS: cannot pass the role
        else:
            role = f"arn:aws:iam::{self.account_id}:role/aws-service-role/lakeformation.amazonaws.com/" \
                   f"AWSServiceRoleForLakeFormationDataAccess"
        try:
            _lf(self.account_id, self.region_name).register_resource(arn, role)
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))
        self.physical_id = arn

    def delete(self, account_id=None, region_name=None):
        try:
            _lf(self.account_id, self.region_name).deregister_resource(self.physical_id)
        except Exception:
            pass


# ------------------------------------------------------------------------- unknown types fail

def _types(template):
    if isinstance(template, str):
        from .servicecatalog.templates import parse_template
        try:
            template = parse_template(template)
        except Exception:
            return []
    return [r.get("Type", "") for r in (template.get("Resources") or {}).values() if isinstance(r, dict)]


def check_types(template):
    known = parsing.get_model_map()
    bad = sorted({t for t in _types(template)
                  if t not in known and t not in parsing.NULL_MODELS and not t.startswith("Custom::")})
    if bad:
        raise ValidationError(None, message=f"Template format error: Unrecognized resource types: [{', '.join(bad)}]")


def _install():
    be = cfn_models.CloudFormationBackend
    if getattr(be.create_stack, "_vend", False):
        return
    orig_create, orig_update, orig_cs = be.create_stack, be.update_stack, be.create_change_set

    def create_stack(self, name, template, *a, **kw):
        # AWS: template and parameter errors fail CreateStack itself; a resource that cannot be
        # created fails the stack: CREATE_FAILED event, resources deleted, ROLLBACK_COMPLETE.
        check_types(template)
        if any(s.name == name for s in self.stacks.values()):
            # AWS: AlreadyExistsException, and the existing stack is left as it is (the rollback
            # below is for the new stack only: applied to this one it deleted a working stack)
            return orig_create(self, name, template, *a, **kw)
        try:
            return orig_create(self, name, template, *a, **kw)
        except Exception as e:
            stack = next((s for s in self.stacks.values() if s.name == name), None)
            if stack is None:
                raise
            reason = getattr(e, "message", None) or str(e)
            stack._add_stack_event("CREATE_FAILED", resource_status_reason=reason)
            stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
            try:
                stack.resource_map.delete()
            except Exception:
                pass
            stack.status = "ROLLBACK_COMPLETE"
            stack.vend_failure = reason
            stack._add_stack_event("ROLLBACK_COMPLETE")
            return stack

    def update_stack(self, name, template, *a, **kw):
        # AWS: a failed update rolls back to the previous template and parameters:
        # UPDATE_ROLLBACK_COMPLETE (the stack keeps working).
        check_types(template)
        stack = self.get_stack(name)
        old = (stack.template, stack.role_arn, dict(stack.parameters or {}))
        try:
            return orig_update(self, name, template, *a, **kw)
        except Exception as e:
            reason = getattr(e, "message", None) or str(e)
            stack._add_stack_event("UPDATE_FAILED", resource_status_reason=reason)
            stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
            try:
                stack.update(old[0], old[1], parameters=old[2])
            except Exception:
                pass
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            stack.vend_failure = reason
            stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
            return stack

    def create_change_set(self, stack_name, change_set_name, template, *a, **kw):
        check_types(template)
        return orig_cs(self, stack_name, change_set_name, template, *a, **kw)

    orig_delete = be.delete_stack

    def delete_stack(self, name_or_stack_id, *a, **kw):
        # AWS: a bucket that still holds objects cannot be deleted; the stack ends DELETE_FAILED
        # ("The bucket you tried to delete is not empty") and stays. moto leaves the bucket
        # behind silently and forgets the stack. (Simplified: nothing is deleted then.)
        stack = self.stacks.get(name_or_stack_id) or next(
            (s for s in self.stacks.values() if s.name == name_or_stack_id), None)
        if stack is not None:
            from moto.s3.models import FakeBucket
            rmap = stack.resource_map
            for logical, res in list(getattr(rmap, "_parsed_resources", {}).items()):
                spec = rmap._resource_json_map.get(logical, {}) if hasattr(rmap, "_resource_json_map") else {}
                if isinstance(res, FakeBucket) and spec.get("DeletionPolicy") != "Retain" and res.keys:
                    reason = (f"The bucket you tried to delete is not empty (Service: S3, Status Code: 409, "
                              f"Bucket: {res.name})")
                    stack._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
                    stack._add_stack_event("DELETE_FAILED", resource_status_reason=reason)
                    stack.status = "DELETE_FAILED"
                    stack.vend_failure = reason
                    return None
        return orig_delete(self, name_or_stack_id, *a, **kw)

    create_stack._vend = True
    be.delete_stack = delete_stack
    be.create_stack, be.update_stack, be.create_change_set = create_stack, update_stack, create_change_set

    # Backstop: a type moto cannot create fails the stack instead of being skipped.
    orig_parse = parsing.parse_resource

    def parse_resource(resource_json, resources_map):
        t = resource_json["Type"]
        if parsing.resource_class_from_type(t) is None and t not in parsing.NULL_MODELS:
            raise ValidationError(None, message=f"Template format error: Unrecognized resource types: [{t}]")
        return orig_parse(resource_json, resources_map)

    parsing.parse_resource = parse_resource

    # Glue crawls: AWS's LastCrawl.Status values are SUCCEEDED | CANCELLED | FAILED (moto says
    # COMPLETED / STOPPED).
    from moto.glue.models import FakeCrawler
    orig_as_dict = FakeCrawler.as_dict

    def as_dict(self):
        d = orig_as_dict(self)
        lc = d.get("LastCrawl")
        if lc:
            lc["Status"] = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED"}.get(lc["Status"], lc["Status"])
        return d
    FakeCrawler.as_dict = as_dict

    # AWS::SSM::Document: Content may be an object and DocumentFormat defaults to JSON (AWS);
    # moto passes both through unchanged and then rejects format None.
    from moto.ssm.models import Document
    orig_doc = Document.create_from_cloudformation_json.__func__

    def doc_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json.setdefault("Properties", {})
        content = props.get("Content")
        if isinstance(content, (dict, list)):
            props["Content"] = json.dumps(content)
            props.setdefault("DocumentFormat", "JSON")
        elif isinstance(content, str) and not props.get("DocumentFormat"):
            try:
                json.loads(content)
                props["DocumentFormat"] = "JSON"
            except ValueError:
                props["DocumentFormat"] = "YAML"
        return orig_doc(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    Document.create_from_cloudformation_json = classmethod(doc_create)

    # AWS::S3::Bucket: moto applies BucketEncryption and Tags but ignores
    # VersioningConfiguration, PublicAccessBlockConfiguration, OwnershipControls and
    # LifecycleConfiguration; AWS applies them all when it creates the bucket.
    from moto.s3.models import FakeBucket, s3_backends
    orig_bucket = FakeBucket.create_from_cloudformation_json.__func__

    def bucket_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        bucket = orig_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        props = cloudformation_json.get("Properties") or {}
        be = s3_backends[account_id]["aws"]
        if props.get("VersioningConfiguration", {}).get("Status"):
            be.put_bucket_versioning(bucket.name, props["VersioningConfiguration"]["Status"])
        pab = props.get("PublicAccessBlockConfiguration")
        if pab:
            be.put_public_access_block(bucket.name, {k: str(v).lower() == "true" for k, v in pab.items()})
        rules = (props.get("OwnershipControls") or {}).get("Rules") or []
        if rules and rules[0].get("ObjectOwnership"):
            be.put_bucket_ownership_controls(bucket.name, ownership=rules[0]["ObjectOwnership"])
        lc = (props.get("LifecycleConfiguration") or {}).get("Rules") or []
        if lc:
            api_rules = []
            for r in lc:
                a = {"ID": r.get("Id"), "Status": r.get("Status", "Enabled"),
                     "Filter": {"Prefix": r.get("Prefix", "")}}
                if "ExpirationInDays" in r:
                    a["Expiration"] = {"Days": str(r["ExpirationInDays"])}
                if "NoncurrentVersionExpiration" in r:
                    a["NoncurrentVersionExpiration"] = {
                        "NoncurrentDays": str(r["NoncurrentVersionExpiration"].get("NoncurrentDays"))}
                elif "NoncurrentVersionExpirationInDays" in r:
                    a["NoncurrentVersionExpiration"] = {"NoncurrentDays": str(r["NoncurrentVersionExpirationInDays"])}
                if "AbortIncompleteMultipartUpload" in r:
                    a["AbortIncompleteMultipartUpload"] = {
                        "DaysAfterInitiation": str(r["AbortIncompleteMultipartUpload"].get("DaysAfterInitiation"))}
                api_rules.append(a)
            be.put_bucket_lifecycle_configuration(bucket.name, api_rules)
        return bucket
    FakeBucket.create_from_cloudformation_json = classmethod(bucket_create)

    # Lake Formation GrantPermissions (API and the PrincipalPermissions type alike): on another
    # account's catalog only what was granted WITH GRANT OPTION (AccessDeniedException).
    from moto.core.exceptions import JsonRESTError
    from moto.lakeformation.models import LakeFormationBackend
    orig_grant = LakeFormationBackend.grant_permissions

    def grant_permissions(self, catalog_id, principal, resource, permissions, permissions_with_grant_options):
        try:
            _check_cross_account_grant(self.account_id, self.region_name, resource,
                                       list(permissions or []) + list(permissions_with_grant_options or []))
        except ResourceError as e:
            raise JsonRESTError("AccessDeniedException", str(e))
        return orig_grant(self, catalog_id, principal, resource, permissions, permissions_with_grant_options)
    LakeFormationBackend.grant_permissions = grant_permissions


_install()
