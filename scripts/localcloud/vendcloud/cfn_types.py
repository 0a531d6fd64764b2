"""CloudFormation resource types moto lacks, and failing stacks with unknown types.

moto builds its type map from CloudFormationModel.__subclasses__() on first use, so these
direct subclasses must be imported before the first stack (server.build does).

AWS behaviour assumed:
- CreateStack/UpdateStack/CreateChangeSet with a resource type CloudFormation does not know
  answers ValidationError "Template format error: Unrecognized resource types: [T]" before
  anything is created. Here: every type moto cannot create counts as unknown.
- Each type below creates the same state the matching API would, checks what the real
  service checks on create (a named database / role / LF tag / registered location must
  exist), and removes its state when the stack is deleted.
- Updates (cfn_update.py decides when a resource changes at all): each type's REPLACE_ON names
  the properties whose "Update requires" is "Replacement" on the type's page in the
  CloudFormation Template Reference (the same as the createOnlyProperties of the type's
  registry schema, which cfn-lint ships); every other property is updated in place ("No
  interruption"), with the service's update call.
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
        # Only reached outside cfn_update's ResourceMap.update: in place, else create the new
        # resource and then delete the old one.
        props = cloudformation_json.get("Properties", {})
        if not original_resource.requires_replacement(props):
            original_resource.update_in_place(props)
            return original_resource
        new = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name,
                                                  LogicalId=original_resource.logical_id)
        original_resource.delete(account_id, region_name)
        return new

    # Properties whose change needs a new physical resource ("*": every property).
    REPLACE_ON = ()

    def requires_replacement(self, new_props):
        if self.REPLACE_ON == "*":
            return True
        return any(self.props.get(p) != new_props.get(p) for p in self.REPLACE_ON)

    def replacement_name(self, new_props):
        """The name a replacement would take (a custom name), or None when AWS names it."""
        return None

    def update_in_place(self, new_props):
        try:
            self.modify(new_props)
        except ResourceError as e:
            raise ValidationError(self.logical_id, message=f"Resource handler returned message: \"{e}\" "
                                                           f"({self.TYPE} {self.logical_id})")
        self.props = new_props

    def modify(self, new_props):
        """The service's update call for an in-place change (self.props: the old properties)."""
        raise NotImplementedError

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

    # Bucket: Update requires Replacement; PolicyDocument: No interruption.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html
    REPLACE_ON = ("Bucket",)

    def _backend(self):
        from moto.s3.models import s3_backends
        return s3_backends[self.account_id]["aws"]

    def modify(self, new_props):
        doc = new_props.get("PolicyDocument")
        if doc is None:
            raise ResourceError("PolicyDocument is required")
        self._backend().put_bucket_policy(self.physical_id, (doc if isinstance(doc, str) else json.dumps(doc)).encode())

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

    # DatabaseInput: Update requires No interruption (Glue UpdateDatabase); DatabaseName:
    # Replacement.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-glue-database.html
    # A database cannot change catalogs, and UpdateDatabase does not rename one: a new catalog
    # (CatalogId) or name (DatabaseInput.Name) means a new database (design note L3 c).

    def _catalog(self, props):
        return str(props.get("CatalogId") or self.account_id)

    def _name(self, props):
        return (props.get("DatabaseInput") or {}).get("Name") or self.physical_id.lower()

    def requires_replacement(self, new_props):
        return (self._catalog(new_props) != self._catalog(self.props) or self._name(new_props) != self.physical_id
                or new_props.get("DatabaseName") != self.props.get("DatabaseName"))

    def replacement_name(self, new_props):
        return self._name(new_props)

    def _check_target(self, di):
        target = di.get("TargetDatabase")
        if target:
            # A resource link: AWS requires the target database to exist (in its catalog)
            try:
                _glue(str(target.get("CatalogId", self.account_id)), target.get("Region", self.region_name)) \
                    .get_database(target["DatabaseName"])
            except Exception:
                raise ResourceError(f"Target database {target.get('DatabaseName')} not found in catalog "
                                    f"{target.get('CatalogId')}")

    def create(self):
        catalog = self._catalog(self.props)
        if catalog != self.account_id:
            raise ResourceError(f"Cannot create a database in catalog {catalog} from account {self.account_id}")
        di = dict(self.props.get("DatabaseInput") or {})
        name = self._name(self.props)
        di["Name"] = name
        self._check_target(di)
        try:
            _glue(self.account_id, self.region_name).create_database(name, di)
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))
        self.physical_id = name

    def modify(self, new_props):
        di = dict(new_props.get("DatabaseInput") or {})
        di["Name"] = self.physical_id
        self._check_target(di)
        try:
            _glue(self.account_id, self.region_name).update_database(self.physical_id, di)
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))

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

    # Name: Update requires Replacement; every other property: No interruption (UpdateCrawler).
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-glue-crawler.html
    REPLACE_ON = ("Name",)

    def replacement_name(self, new_props):
        return new_props.get("Name")

    def _arguments(self, p):
        if not p.get("Role") or not p.get("Targets"):
            raise ResourceError("Role and Targets are required")
        db = p.get("DatabaseName")
        if db:
            try:
                _glue(self.account_id, self.region_name).get_database(db)
            except Exception:
                raise ResourceError(f"Database {db} not found")
        return dict(role=p["Role"], database_name=db, description=p.get("Description"), targets=p["Targets"],
                    schedule=(p.get("Schedule") or {}).get("ScheduleExpression"), classifiers=p.get("Classifiers"),
                    table_prefix=p.get("TablePrefix"), schema_change_policy=p.get("SchemaChangePolicy"),
                    recrawl_policy=p.get("RecrawlPolicy"), lineage_configuration=p.get("LineageConfiguration"),
                    configuration=p.get("Configuration"),
                    crawler_security_configuration=p.get("CrawlerSecurityConfiguration"))

    def create(self):
        name = self.props.get("Name") or self.physical_id
        args = self._arguments(self.props)
        try:
            _glue(self.account_id, self.region_name).create_crawler(name=name, tags=self.props.get("Tags") or {},
                                                                    **args)
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))
        self.physical_id = name

    def modify(self, new_props):
        args = self._arguments(new_props)
        try:
            _glue(self.account_id, self.region_name).update_crawler(self.physical_id, **args)
        except Exception as e:
            raise ResourceError(getattr(e, "message", None) or str(e))

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

    # Name: Update requires Replacement; Description, State, Tags, WorkGroupConfiguration
    # (Updates): No interruption (UpdateWorkGroup).
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-athena-workgroup.html
    REPLACE_ON = ("Name",)

    def replacement_name(self, new_props):
        return new_props.get("Name")

    def _be(self):
        from moto.athena.models import athena_backends
        return athena_backends[self.account_id][self.region_name]

    def modify(self, new_props):
        self._be().update_work_group(self.physical_id, description=new_props.get("Description", ""),
                                     configuration=new_props.get("WorkGroupConfiguration") or {},
                                     state=new_props.get("State") or "ENABLED", tags=new_props.get("Tags") or [])

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

    # Every property: Update requires No interruption -- one PutDataLakeSettings, so the account
    # is never without its settings or admins during an update.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-datalakesettings.html
    FIELDS = ("CreateDatabaseDefaultPermissions", "CreateTableDefaultPermissions", "Parameters",
              "TrustedResourceOwners", "AllowExternalDataFiltering", "ExternalDataFilteringAllowList",
              "AuthorizedSessionTagValueList")

    @staticmethod
    def _ids(admins):
        return [a["DataLakePrincipalIdentifier"] for a in admins or []]

    def _apply(self, settings, props):
        admins = props.get("Admins")
        if admins is not None:
            if props.get("MutationType") == "APPEND":
                known = set(self._ids(settings.get("DataLakeAdmins")))
                settings["DataLakeAdmins"] = (settings.get("DataLakeAdmins") or []) + [
                    a for a in admins if a["DataLakePrincipalIdentifier"] not in known]
            else:
                settings["DataLakeAdmins"] = admins
        for f in self.FIELDS:
            if f in props:
                settings[f] = props[f]
        return settings

    def create(self):
        lf = _lf(self.account_id, self.region_name)
        self.previous = json.loads(json.dumps(lf.get_data_lake_settings(self.account_id)))
        lf.put_data_lake_settings(self.account_id, self._apply(dict(self.previous), self.props))
        self.physical_id = f"{self.account_id}-datalakesettings"

    def modify(self, new_props):
        lf = _lf(self.account_id, self.region_name)
        settings = json.loads(json.dumps(lf.get_data_lake_settings(self.account_id)))
        # What the old properties set and the new ones no longer mention goes back to what it was
        # before this resource; admins the old properties appended leave unless named again.
        for f in self.FIELDS:
            if f in self.props and f not in new_props:
                settings[f] = self.previous.get(f)
        old = self.props.get("Admins")
        if old is not None and self.props.get("MutationType") == "APPEND":
            added = set(self._ids(old)) - set(self._ids(self.previous.get("DataLakeAdmins")))
            settings["DataLakeAdmins"] = [a for a in settings.get("DataLakeAdmins") or []
                                          if a["DataLakePrincipalIdentifier"] not in added]
        elif old is not None and new_props.get("Admins") is None:
            settings["DataLakeAdmins"] = self.previous.get("DataLakeAdmins") or []
        lf.put_data_lake_settings(self.account_id, self._apply(settings, new_props))

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

    # CatalogId, TagKey: Update requires Replacement; TagValues: No interruption (UpdateLFTag).
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-tag.html
    def requires_replacement(self, new_props):
        return (str(new_props.get("CatalogId") or self.account_id) != self.catalog
                or new_props.get("TagKey") != self.physical_id)

    def replacement_name(self, new_props):
        return new_props.get("TagKey")

    def modify(self, new_props):
        old, new = list(self.props.get("TagValues") or []), list(new_props.get("TagValues") or [])
        if not new:
            raise ResourceError("TagValues are required")
        _lf(self.catalog, self.region_name).update_lf_tag(self.catalog, self.physical_id,
                                                          [v for v in old if v not in new],
                                                          [v for v in new if v not in old])

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
    # Resource, LFTags: Update requires Replacement.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-tagassociation.html
    REPLACE_ON = "*"

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


class LakeFormationPrincipalPermissions(_Base, CloudFormationModel):
    TYPE = "AWS::LakeFormation::PrincipalPermissions"
    ATTRS = ("PrincipalIdentifier", "ResourceIdentifier")
    # Catalog, Principal, Resource, Permissions, PermissionsWithGrantOption: Update requires
    # Replacement.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-principalpermissions.html
    # The replacement grants first and revokes the old grant in the cleanup phase. Lake
    # Formation grants are not counted: when the old and the new grant are the same, that revoke
    # removes the grant the new resource made (as on AWS; vend's templates never do this).
    REPLACE_ON = "*"

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
    # ResourceArn: Update requires Replacement; RoleArn, UseServiceLinkedRole, WithFederation,
    # HybridAccessEnabled: No interruption (UpdateResource).
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-resource.html
    REPLACE_ON = ("ResourceArn",)

    def replacement_name(self, new_props):
        return new_props.get("ResourceArn")

    def _role(self, props):
        if str(props.get("UseServiceLinkedRole", "false")).lower() == "true":
            return (f"arn:aws:iam::{self.account_id}:role/aws-service-role/lakeformation.amazonaws.com/"
                    f"AWSServiceRoleForLakeFormationDataAccess")
        role = props.get("RoleArn")
        if not role:
            raise ResourceError("RoleArn is required when UseServiceLinkedRole is false")
        if not _role_exists(role):
            raise ResourceError(f"Role {role} does not exist")  # AWS: cannot pass the role
        return role

    def modify(self, new_props):
        _lf(self.account_id, self.region_name).update_resource(self.physical_id, self._role(new_props))

    @staticmethod
    def cloudformation_type():
        return "AWS::LakeFormation::Resource"

    def create(self):
        arn = self.props.get("ResourceArn")
        if not arn:
            raise ResourceError("ResourceArn is required")
        role = self._role(self.props)
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
    from . import cfn_update, service_updates
    service_updates.install()
    cfn_update.install()  # stack updates as AWS runs them
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
                # the rollback of the creating operation: RetainExceptOnCreate resources go too
                stack.resource_map._vend_rolling_back_create = True
                with cfn_update.acting_as(stack):
                    stack.resource_map.delete()
            except Exception:
                pass
            finally:
                stack.resource_map._vend_rolling_back_create = False
            # AWS: a rolled-back create has no outputs. moto's outputs resolve their Refs lazily
            # through the resource map, which would create the deleted resources again (a
            # RetainExceptOnCreate bucket came back on the first DescribeStacks).
            stack.output_map = parsing.OutputMap(stack.resource_map, {"Outputs": {}}, stack.stack_id)
            stack.status = "ROLLBACK_COMPLETE"
            stack.vend_failure = reason
            stack._add_stack_event("ROLLBACK_COMPLETE")
            return stack

    def update_stack(self, name, template, *a, **kw):
        # AWS: a failed update rolls back to the previous template and parameters:
        # UPDATE_ROLLBACK_COMPLETE (the stack keeps working).
        check_types(template)
        stack = self.get_stack(name)
        cfn_update.refuse_retyping(stack.resource_map, template)
        old = (stack.template, stack.role_arn, dict(stack.parameters or {}))
        try:
            return orig_update(self, name, template, *a, **kw)
        except Exception as e:
            reason = getattr(e, "message", None) or str(e)
            stack._add_stack_event("UPDATE_FAILED", resource_status_reason=reason)
            stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
            rmap = stack.resource_map
            rmap._vend_undoing = rmap.__dict__.pop("_vend_failed_created", set())
            try:
                stack.update(old[0], old[1], parameters=old[2])
            except Exception:
                pass
            finally:
                rmap._vend_undoing = set()
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
                if isinstance(res, FakeBucket) and not cfn_update.kept(spec.get("DeletionPolicy")) and res.keys:
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

    # Lake Formation GrantPermissions (API, batch and the PrincipalPermissions type alike): who may
    # grant what (lf_grantor.py).
    from . import lf_grantor
    lf_grantor.install()

_install()
