"""Small corrections to moto where its answers differ from AWS's in ways vend would notice.

- Athena GetWorkGroup of an unknown work group: AWS answers 400 InvalidRequestException
  ("WorkGroup X is not found."); moto answers 200 {"WorkGroup": null}.
- Glue crawls: a started crawl finishes (RUNNING -> COMPLETED, shown as LastCrawl SUCCEEDED)
  after LOCALCLOUD_CRAWL_SECONDS (default 2); moto's default never finishes it.
- Glue: a request's CatalogId selects that account's catalog (moto always used the
  caller's), and GetTable/GetTables on a resource-link database (TargetDatabase) read the
  target database's tables (AWS resolves links; Lake Formation permissions are not checked).
- S3 bucket policies: moto applies a statement whose Condition it cannot evaluate (a missing
  context key counts as a match) and treats a statement whose condition fails as an explicit
  deny. AWS: a condition on a missing key does not match (unless ...IfExists), a statement
  whose condition does not match does not apply. The local endpoint is plain HTTP standing in
  for AWS's TLS endpoints, so requests carry aws:SecureTransport = true (a "deny non-TLS"
  statement, as the mesh's buckets have, does not lock every client out).
- STS GetSessionToken: moto answers fixed example keys (unknown, hence refused here); AWS
  issues temporary keys of the caller's own identity. Here: real temporary keys in the
  caller's account, with a session token the signature check requires.
- CloudFormation ValidateTemplate: moto fails on any cfn-lint finding (warnings such as an
  unused parameter included) with a garbled message. AWS reports template format errors only:
  here cfn-lint's E0xxx (structure), E1xxx (functions) and E3006 (unknown resource type),
  as "Template format error: ...".
- Lake Formation GetLFTag of an unknown key: AWS answers EntityNotFoundException; moto
  answers an empty value list.
- SSM ListDocuments: AWS's `Name` filter matches a name prefix ("you can use a name prefix to
  return a list of documents"); moto matched the whole name. moto also counted its NextToken
  over matching documents but skipped over all of them, so a filtered listing repeated or lost
  documents from the second page on. Here the filters are applied first, then the page is cut.
"""
import json

from moto.core.exceptions import JsonRESTError


def install():
    import os

    from moto.moto_api import state_manager
    state_manager.register_default_transition(
        model_name="glue::crawl",
        transition={"progression": "time", "seconds": float(os.environ.get("LOCALCLOUD_CRAWL_SECONDS", "2"))})
    from moto.athena.models import AthenaBackend
    orig_get = AthenaBackend.get_work_group
    if getattr(orig_get, "_vend", False):
        return

    def get_work_group(self, name):
        wg = orig_get(self, name)
        if wg is None:
            raise JsonRESTError("InvalidRequestException", f"WorkGroup {name} is not found.")
        return wg
    get_work_group._vend = True
    AthenaBackend.get_work_group = get_work_group

    # CreateWorkGroupOutput has no members; moto answers {"CreateWorkGroupResponse": {...}}.
    from moto.athena.responses import AthenaResponse
    orig_create_work_group = AthenaResponse.create_work_group

    def create_work_group(self):
        answer = orig_create_work_group(self)
        return "{}" if isinstance(answer, str) and "CreateWorkGroupResponse" in answer else answer
    AthenaResponse.create_work_group = create_work_group

    from moto.iam.access_control import IAMPolicyStatement, PermissionResult
    from moto.s3.models import FakeBucket

    def _op_match(op, expected, actual):
        import fnmatch
        exp = [str(x) for x in (expected if isinstance(expected, list) else [expected])]
        base = op[:-len("IfExists")] if op.endswith("IfExists") else op
        neg = "Not" in base
        kind = base.replace("Not", "")
        if kind == "Bool":
            ok = actual.lower() in [e.lower() for e in exp]
        elif kind in ("StringEquals", "ArnEquals"):
            ok = actual in exp
        elif kind == "StringEqualsIgnoreCase":
            ok = actual.lower() in [e.lower() for e in exp]
        elif kind in ("StringLike", "ArnLike"):
            ok = any(fnmatch.fnmatchcase(actual, e) for e in exp)
        else:
            return None  # operator not evaluated
        return not ok if neg else ok

    def _conditions_match(statement, incoming):
        for op, keys in (statement.get("Condition") or {}).items():
            for key, expected in keys.items():
                actual = (incoming or {}).get(key)
                if actual is None:
                    if not op.endswith("IfExists"):
                        return False
                    continue
                if _op_match(op, expected, str(actual)) is not True:
                    return False
        return True

    orig_stmt = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
        if self._statement.get("Condition") and not _conditions_match(self._statement, incoming_condition_values):
            return PermissionResult.NEUTRAL
        return orig_stmt(self, action, resource, principal, incoming_condition_values)
    IAMPolicyStatement.is_action_permitted = is_action_permitted

    def get_permission(self, action, resource):
        from moto.iam.access_control import IAMPolicy
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return IAMPolicy(self.policy.decode()).is_action_permitted(
            action, resource, incoming_condition_values={"aws:SecureTransport": "true"})
    FakeBucket.get_permission = get_permission

    from moto.glue.models import GlueBackend, glue_backends
    from moto.glue.responses import GlueResponse

    def glue_backend(self):
        try:
            catalog = json.loads(self.body or b"{}").get("CatalogId")
        except ValueError:
            catalog = None
        return glue_backends[str(catalog or self.current_account)][self.region]
    GlueResponse.glue_backend = property(glue_backend)

    def _target(backend, database_name):
        db = backend.get_database(database_name)
        t = (db.input or {}).get("TargetDatabase")
        if t and t.get("DatabaseName"):
            return glue_backends[str(t.get("CatalogId") or backend.account_id)][t.get("Region") or
                                                                              backend.region_name], t["DatabaseName"]
        return None

    orig_get_table, orig_get_tables = GlueBackend.get_table, GlueBackend.get_tables

    def get_table(self, database_name, table_name):
        tgt = _target(self, database_name)
        if tgt:
            return orig_get_table(tgt[0], tgt[1], table_name)
        return orig_get_table(self, database_name, table_name)

    def get_tables(self, database_name, expression):
        tgt = _target(self, database_name)
        if tgt:
            return orig_get_tables(tgt[0], tgt[1], expression)
        return orig_get_tables(self, database_name, expression)
    GlueBackend.get_table, GlueBackend.get_tables = get_table, get_tables

    from moto.core.responses import ActionResult
    from moto.iam.models import iam_backends
    from moto.sts.models import AssumedRole, sts_backends
    from moto.sts.responses import TokenResponse

    def get_session_token(self):
        from . import accounts
        duration = self._get_int_param("DurationSeconds", 43200)
        acct = self.current_account
        user_arn = accounts.principal_arn(self.get_access_key(), acct)
        key = iam_backends[acct]["aws"].create_temp_access_key()
        role = AssumedRole(account_id=acct, region_name=self.region, access_key=key,
                           role_session_name=user_arn.split("/")[-1], role_arn=user_arn, policy=None,
                           duration=duration, external_id=None)
        key.role_arn = user_arn
        sts_backends[acct]["aws"].assumed_roles.append(role)
        return ActionResult({"Credentials": {"AccessKeyId": role.access_key_id,
                                             "SecretAccessKey": role.secret_access_key,
                                             "SessionToken": role.session_token, "Expiration": role.expiration}})
    TokenResponse.get_session_token = get_session_token

    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.models import CloudFormationBackend
    orig_validate = CloudFormationBackend.validate_template

    def validate_template(self, template):
        findings = orig_validate(self, template) or []
        for m in findings:
            rule_id = getattr(getattr(m, "rule", None), "id", "") or ""
            if rule_id.startswith(("E0", "E1")) or rule_id == "E3006":
                raise ValidationError(None, message=f"Template format error: {m.message}")
        return []
    CloudFormationBackend.validate_template = validate_template

    from moto.lakeformation.responses import LakeFormationResponse
    orig_resp = LakeFormationResponse.get_lf_tag

    def get_lf_tag(self):
        params = json.loads(self.body or b"{}")
        catalog = params.get("CatalogId") or self.current_account
        if not self.lakeformation_backend.get_lf_tag(catalog, params.get("TagKey")):
            raise JsonRESTError("EntityNotFoundException", "Tag or tag value does not exist.")
        return orig_resp(self)
    LakeFormationResponse.get_lf_tag = get_lf_tag

    # GetResourceLFTags on a database or table without LF-Tags: moto raises KeyError (a 500); AWS
    # answers with empty lists (vend access reads every table's tags).
    from moto.lakeformation.models import LakeFormationBackend
    orig_resource_tags = LakeFormationBackend.get_resource_lf_tags

    def get_resource_lf_tags(self, catalog_id, resource):
        database, table = resource.get("Database"), resource.get("Table")
        if database and database.get("Name"):
            self.lf_database_tags.setdefault((database.get("CatalogId", self.account_id), database["Name"]), [])
        if table and table.get("DatabaseName") and table.get("Name"):
            self.lf_table_tags.setdefault((table.get("CatalogId", self.account_id), table["DatabaseName"], table["Name"]), [])
        return orig_resource_tags(self, catalog_id, resource)
    LakeFormationBackend.get_resource_lf_tags = get_resource_lf_tags

    import copy

    from moto.ssm.models import SimpleSystemManagerBackend, _document_filter_match
    orig_list_documents = SimpleSystemManagerBackend.list_documents

    def list_documents(self, document_filter_list, filters, max_results=10, token="0"):
        if document_filter_list:
            return orig_list_documents(self, document_filter_list, filters, max_results, token)
        prefixes = [v for f in filters or [] if f.get("Key") == "Name" for v in f.get("Values") or []]
        others = [f for f in filters or [] if f.get("Key") != "Name"]
        matched = []
        for _, versions in sorted(self._documents.items()):
            document = versions.get_default_version()
            if prefixes and not any(document.name.startswith(p) for p in prefixes):
                continue
            # moto's matcher rewrites an Owner of "Self" in the filter it is given.
            if others and not _document_filter_match(self.account_id, copy.deepcopy(others), document):
                continue
            matched.append(document)
        start = int(token) if str(token or "").isdigit() else 0
        size = int(max_results or 10)
        page = [d.list_describe(tags=self._get_documents_tags(d.name)) for d in matched[start:start + size]]
        return page, str(start + size) if start + size < len(matched) else ""
    SimpleSystemManagerBackend.list_documents = list_documents


install()

from . import ssm_params  # noqa: E402,F401  (SSM LastModifiedUser; no PutParameter by ARN)
