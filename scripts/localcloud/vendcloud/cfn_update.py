"""CloudFormation stack updates as AWS runs them (design note L3 a-c). Replaces moto's
ResourceMap.update (which compared raw template JSON, deleted removed resources first and let
each type delete and re-create itself) and ResourceMap.build_resource_diff (change sets).

AWS behaviour reproduced:
- What changes. "Understand update behaviors of stack resources"
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html):
  CloudFormation updates resources "based on differences between what you submit and the
  stack's current template"; "Resources that haven't changed run without disruption during the
  update process". A resource's service is called only when its properties, resolved
  (parameters, Refs, GetAtts, conditions substituted), differ. Condition (still true),
  DependsOn, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy and UpdatePolicy live
  in the stack: changing them calls no service. A change set still lists Metadata /
  DeletionPolicy / UpdateReplacePolicy / CreationPolicy / UpdatePolicy changes as Modify (they
  are ResourceChange Scope values,
  https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html).
  Changing a resource's Type is refused ("Update of resource type is not permitted").
- How it changes. Each property's "Update requires: No interruption | Replacement" on the
  type's reference page (the types' tables: cfn_types.py). Replacement: "CloudFormation
  usually creates the replacement resource first, changes references from other dependent
  resources to point to the replacement resource, and then deletes the old resource" (page
  above); UpdateReplacePolicy Retain keeps the old one ("UpdateReplacePolicy attribute",
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html).
  A custom-named resource that needs replacing under the same name fails the update.
- Order. Resources are created and updated in dependency order (DependsOn, Ref, GetAtt, Sub).
  Resources removed from the template (or whose Condition turned false) and replaced old
  resources are deleted last, in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, dependents first
  ("Monitor the progress of a stack update": "if CloudFormation needs to replace an existing
  resource, it first creates a new resource and then deletes the old resource",
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html).
  DeletionPolicy Retain keeps a removed resource ("DeletionPolicy attribute",
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
  A failed cleanup delete is a DELETE_FAILED event; it does not fail the update.
- Who acts. A stack operation acts as the stack's service role (RoleARN; a Service Catalog
  launch role) when it has one, else as the caller ("AWS CloudFormation service role",
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).

Observable: per-resource stack events (DescribeStackEvents), and every call a stack operation
makes to a service, in the stack-call log of the control endpoint (control.py) -- what
CloudTrail shows with invokedBy cloudformation.amazonaws.com.

- Keeping resources. "DeletionPolicy attribute"
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html):
  Retain keeps the resource when the stack is deleted or the resource is removed by an update,
  and also when the operation that created it is rolled back. RetainExceptOnCreate "behaves like
  Retain for stack operations, except for the stack operation that initially created the
  resource. If the stack operation that created the resource is rolled back, CloudFormation
  deletes the resource" (design note L3 d). kept() decides; ResourceMap.delete (stack delete and
  the rollback of a failed create, cfn_types) and the update cleanup use it.

Not modelled here: Snapshot (= Delete), UpdatePolicy, the stack-level RetainExceptOnCreate flag.
"""
import contextlib
import copy
import datetime
import json
import re

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError

from . import control
from .accounts import CURRENT

ATTRIBUTES = ("Metadata", "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy")


# ------------------------------------------------------------------ who acts, and what it calls

@contextlib.contextmanager
def acting_as(stack, role_arn=None):
    """Runs a stack operation as CloudFormation does: as the stack's role, else the caller."""
    before = (getattr(CURRENT, "stack", None), getattr(CURRENT, "principal", None))
    CURRENT.stack = stack
    role = role_arn or getattr(stack, "role_arn", None)
    if role:
        CURRENT.principal = role
    try:
        yield
    finally:
        CURRENT.stack, CURRENT.principal = before


@contextlib.contextmanager
def _resource(logical_id):
    before = getattr(CURRENT, "logical_id", None)
    CURRENT.logical_id = logical_id
    try:
        yield
    finally:
        CURRENT.logical_id = before


# service -> (backend class path, {method: AWS operation}) : the mutating calls a stack makes
_RECORDED = {
    "lakeformation": ("moto.lakeformation.models:LakeFormationBackend", {
        "grant_permissions": "GrantPermissions", "revoke_permissions": "RevokePermissions",
        "put_data_lake_settings": "PutDataLakeSettings", "create_lf_tag": "CreateLFTag",
        "update_lf_tag": "UpdateLFTag", "delete_lf_tag": "DeleteLFTag",
        "add_lf_tags_to_resource": "AddLFTagsToResource", "remove_lf_tags_from_resource": "RemoveLFTagsFromResource",
        "register_resource": "RegisterResource", "deregister_resource": "DeregisterResource",
        "update_resource": "UpdateResource"}),
    "glue": ("moto.glue.models:GlueBackend", {
        "create_database": "CreateDatabase", "update_database": "UpdateDatabase", "delete_database": "DeleteDatabase",
        "create_crawler": "CreateCrawler", "update_crawler": "UpdateCrawler", "delete_crawler": "DeleteCrawler"}),
    "athena": ("moto.athena.models:AthenaBackend", {
        "create_work_group": "CreateWorkGroup", "update_work_group": "UpdateWorkGroup",
        "delete_work_group": "DeleteWorkGroup"}),
    "s3": ("moto.s3.models:S3Backend", {
        "create_bucket": "CreateBucket", "delete_bucket": "DeleteBucket", "put_bucket_policy": "PutBucketPolicy",
        "delete_bucket_policy": "DeleteBucketPolicy"}),
}


def _summary(args, kwargs):
    text = json.dumps([list(args), kwargs], default=str, sort_keys=True)
    return text if len(text) <= 600 else text[:597] + "..."


def _recorded(service, operation, orig):
    def call(self, *args, **kwargs):
        stack = getattr(CURRENT, "stack", None)
        if stack is None or getattr(CURRENT, "recording", False):
            return orig(self, *args, **kwargs)
        entry = {"time": datetime.datetime.now(datetime.timezone.utc).isoformat(), "service": service,
                 "operation": operation, "account": getattr(self, "account_id", None),
                 "principal": getattr(CURRENT, "principal", None), "stack": stack.name, "stack_id": stack.stack_id,
                 "logical_id": getattr(CURRENT, "logical_id", None), "args": _summary(args, kwargs), "error": None}
        CURRENT.recording = True
        try:
            return orig(self, *args, **kwargs)
        except Exception as e:
            entry["error"] = getattr(e, "error_type", None) or type(e).__name__
            raise
        finally:
            CURRENT.recording = False
            control.log_stack_call(entry)
    call._vend_recorded = True
    return call


def record_stack_calls():
    """Wraps the backends' mutating methods (call after every other patch of them)."""
    import importlib
    for service, (path, methods) in _RECORDED.items():
        module, cls_name = path.split(":")
        cls = getattr(importlib.import_module(module), cls_name)
        for method, operation in methods.items():
            orig = getattr(cls, method, None)
            if orig is not None and not getattr(orig, "_vend_recorded", False):
                setattr(cls, method, _recorded(service, operation, orig))


# ------------------------------------------------------------------ what each resource was made with

def _stash(rmap):
    """logical id -> {"Type", "Properties" (resolved), "Json" (as written)} of each live resource."""
    if not hasattr(rmap, "_vend_live"):
        rmap._vend_live = {}
    return rmap._vend_live


def _resolved(spec, rmap):
    return copy.deepcopy(parsing.clean_json(spec.get("Properties") or {}, rmap))


def _remember(rmap, logical_id, spec):
    _stash(rmap)[logical_id] = {"Type": spec.get("Type"), "Properties": _resolved(spec, rmap),
                                "Json": copy.deepcopy(spec)}


def _active(rmap, spec):
    cond = spec.get("Condition")
    return not cond or bool(rmap.lazy_condition_map[cond])


def _refs(node, names, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Ref" and isinstance(v, str):
                out.add(v)
            elif k == "Fn::GetAtt":
                out.add(v[0] if isinstance(v, list) and v else str(v).split(".")[0])
            elif k == "Fn::Sub":
                text, local = (v[0], v[1] if len(v) > 1 else {}) if isinstance(v, list) else (v, {})
                for m in re.findall(r"\$\{([^}!][^}]*)\}", str(text)):
                    if m.split(".")[0] not in (local or {}):
                        out.add(m.split(".")[0])
                _refs(local, names, out)
            else:
                _refs(v, names, out)
    elif isinstance(node, list):
        for x in node:
            _refs(x, names, out)


def dependency_order(specs, names):
    """`names` ordered so each comes after what it depends on (template order otherwise)."""
    wanted = set(names)
    deps = {}
    for n in names:
        spec = specs[n]
        found = set()
        on = spec.get("DependsOn") or []
        found |= set([on] if isinstance(on, str) else on)
        _refs(spec.get("Properties"), wanted, found)
        deps[n] = [d for d in names if d in found and d != n]
    order, done, visiting = [], set(), set()

    def visit(n):
        if n in done or n in visiting:
            return
        visiting.add(n)
        for d in deps[n]:
            visit(d)
        visiting.discard(n)
        done.add(n)
        order.append(n)
    for n in names:
        visit(n)
    return order


# ------------------------------------------------------------------ events

def _event(stack, logical_id, rtype, physical, status, reason=None):
    if stack is None:
        return
    from moto.cloudformation.models import Event
    stack.events.append(Event(stack_id=stack.stack_id, stack_name=stack.name, logical_resource_id=logical_id,
                              physical_resource_id=physical or "", resource_type=rtype, resource_status=status,
                              resource_status_reason=reason, resource_properties=None))


def _physical(res):
    return str(getattr(res, "physical_resource_id", "") or "")


# ------------------------------------------------------------------ the update

def _replaceable(res):
    """vendcloud's own types know their update behaviour (cfn_types._Base); moto's do not."""
    return hasattr(res, "requires_replacement") and hasattr(res, "update_in_place")


def _update_one(rmap, name, old_res, spec, stack, replaced):
    live = _stash(rmap)
    props = _resolved(spec, rmap)
    if props == live[name]["Properties"]:
        live[name]["Json"] = copy.deepcopy(spec)  # attributes only: nothing to call
        return
    rtype = spec["Type"]
    _event(stack, name, rtype, _physical(old_res), "UPDATE_IN_PROGRESS")
    with _resource(name):
        if _replaceable(old_res) and old_res.requires_replacement(props):
            new_name = old_res.replacement_name(props)
            if new_name is not None and str(new_name) == _physical(old_res):
                raise ValidationError(None, message=f"CloudFormation cannot update a stack when a custom-named "
                                                    f"resource requires replacing. Rename {new_name} and update the "
                                                    f"stack again.")
            _event(stack, name, rtype, _physical(old_res), "UPDATE_IN_PROGRESS",
                   "Requested update requires the creation of a new physical resource; hence creating one.")
            old_entry = live[name]
            new_res = parsing.parse_and_create_resource(name, spec, rmap, rmap._account_id, rmap._region_name)
            replaced.append((name, old_res, old_entry))
            rmap._parsed_resources[name] = new_res
        elif _replaceable(old_res):
            old_res.update_in_place(props)
            new_res = old_res
        else:
            new_res = parsing.parse_and_update_resource(name, spec, rmap, rmap._account_id, rmap._region_name)
            if new_res is None:  # moto cannot update this type: it stays as it is
                new_res = old_res
            rmap._parsed_resources[name] = new_res
    _remember(rmap, name, spec)
    _event(stack, name, rtype, _physical(new_res), "UPDATE_COMPLETE")


def kept(policy, rolling_back_its_creation=False):
    """Whether a resource with this DeletionPolicy survives its removal (see the module note)."""
    if policy == "Retain":
        return True
    return policy == "RetainExceptOnCreate" and not rolling_back_its_creation


def delete(self):
    """ResourceMap.delete: every resource the DeletionPolicy does not keep, retrying those a
    dependency still holds. `_vend_rolling_back_create` is set by the rollback of a failed create."""
    rolling_back = getattr(self, "_vend_rolling_back_create", False)
    specs = self._resource_json_map
    pending = [n for n, spec in specs.items() if not kept((spec or {}).get("DeletionPolicy"), rolling_back)]
    while pending:
        failed, last = [], None
        for n in pending:
            res = self._parsed_resources.get(n)
            if res is None or isinstance(res, str):
                continue
            try:
                self._delete_resource(res, specs[n])
                self._parsed_resources.pop(n, None)
            except Exception as e:  # a dependency is still there: try again next round
                failed.append(n)
                last = e
        if len(failed) == len(pending):
            raise last
        pending = failed


def _delete(rmap, res, spec):
    with _resource(getattr(res, "logical_resource_id", None)):
        rmap._delete_resource(res, spec)


def _cleanup(rmap, stack, removed, replaced, old_specs):
    """Deletes what the update left behind, dependents first, retrying dependency failures."""
    live = _stash(rmap)
    items = [(n, old, entry["Json"], "UpdateReplacePolicy") for n, old, entry in replaced]
    items += [(n, rmap._parsed_resources.get(n), live[n]["Json"], "DeletionPolicy") for n in removed]
    order = {n: i for i, n in enumerate(dependency_order(old_specs, list(old_specs)))}
    items.sort(key=lambda it: -order.get(it[0], -1))
    for n in removed:
        rmap._parsed_resources.pop(n, None)
        live.pop(n, None)
    pending = []
    undoing = getattr(rmap, "_vend_undoing", ())  # created by the failed update being rolled back
    for n, res, spec, policy in items:
        if res is None:
            continue
        if spec.get(policy) == "Retain" or (policy == "DeletionPolicy" and kept(spec.get(policy), n in undoing)):
            _event(stack, n, spec.get("Type"), _physical(res), "DELETE_SKIPPED")
            continue
        _event(stack, n, spec.get("Type"), _physical(res), "DELETE_IN_PROGRESS")
        pending.append((n, res, spec))
    for _ in range(parsing.MAX_UPDATE_ATTEMPTS):
        failed = []
        for n, res, spec in pending:
            try:
                _delete(rmap, res, spec)
                _event(stack, n, spec.get("Type"), _physical(res), "DELETE_COMPLETE")
            except Exception as e:
                failed.append((n, res, spec, getattr(e, "message", None) or str(e)))
        pending = [f[:3] for f in failed]
        if not failed:
            return
    for n, res, spec, why in failed:
        _event(stack, n, spec.get("Type"), _physical(res), "DELETE_FAILED", why)


def refuse_retyping(rmap, template):
    """UpdateStack refuses a template that changes a live resource's Type (ValidationError)."""
    if isinstance(template, str):
        from moto.cloudformation.models import Stack
        template = Stack.parse_template(template)
    specs = (template or {}).get("Resources") or {}
    live = _stash(rmap)
    retyped = sorted(n for n in live if n in specs and specs[n].get("Type") != live[n]["Type"])
    if retyped:
        raise ValidationError(None, message="Update of resource type is not permitted. The new template modifies "
                                            f"resource type of the following resources: [{', '.join(retyped)}]")


def update(self, template, parameters=None):
    """ResourceMap.update: create and update in dependency order, then clean up."""
    stack = getattr(CURRENT, "stack", None)
    refuse_retyping(self, template)
    live_entries = _stash(self)
    live = {n: self._parsed_resources.get(n) for n in list(live_entries)}
    live = {n: r for n, r in live.items() if r is not None}
    new_specs = template.get("Resources") or {}
    old_specs = {n: live_entries[n]["Json"] for n in live}
    self._template = template
    if parameters:
        self.input_parameters = parameters
    self.load_mapping()
    self.load_parameters()
    self.load_conditions()
    self._resource_json_map = new_specs
    active = [n for n in new_specs if _active(self, new_specs[n])]
    replaced, created = [], []
    try:
        for name in dependency_order(new_specs, active):
            if name in live:
                _update_one(self, name, live[name], new_specs[name], stack, replaced)
            elif self._parsed_resources.get(name) is None and new_specs[name].get("Type") not in parsing.NULL_MODELS:
                _event(stack, name, new_specs[name].get("Type"), "", "CREATE_IN_PROGRESS")
                res = self[name]  # moto's lazy map creates it (parse_and_create_resource)
                created.append(name)
                _event(stack, name, new_specs[name].get("Type"), _physical(res), "CREATE_COMPLETE")
    except Exception:
        # The update fails: the replacements made so far are undone here (their old resources
        # still exist); the caller rolls the rest back with an update to the previous template,
        # which deletes what this update created (RetainExceptOnCreate too: `_vend_failed_created`).
        self._vend_failed_created = set(created)
        for name, old_res, entry in reversed(replaced):
            try:
                _delete(self, self._parsed_resources[name], new_specs[name])
            except Exception:
                pass
            self._parsed_resources[name] = old_res
            live_entries[name] = entry
        raise
    removed = [n for n in live if n not in active]
    if live and stack is not None:
        stack._add_stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    _cleanup(self, stack, removed, replaced, old_specs)


# ------------------------------------------------------------------ change sets

class _Pending:
    """A resource the change set would create or replace: its new physical id is unknown."""

    def __init__(self, name):
        self.name = name

    @property
    def physical_resource_id(self):
        return f"{{pending:{self.name}}}"

    def get_cfn_attribute(self, attr):
        return f"{{pending:{self.name}.{attr}}}"


def plan(rmap, template, parameters=None):
    """The resource changes an update to `template` would make, without making them:
    [{"Action": Add|Modify|Remove, "LogicalResourceId", "ResourceType", "Replacement":
    "True"|"False"|"Conditional" (Modify), "Scope": [...]}]."""
    live_entries = _stash(rmap)
    live = {n: rmap._parsed_resources.get(n) for n in live_entries}
    live = {n: r for n, r in live.items() if r is not None}
    specs = template.get("Resources") or {}
    scratch = parsing.ResourceMap(rmap.stack_id, rmap["AWS::StackName"], parameters or rmap.input_parameters,
                                  rmap.tags, rmap._region_name, rmap._account_id, template,
                                  rmap.cross_stack_resources)
    scratch.load()
    active = [n for n in specs if _active(scratch, specs[n])]
    for n in active:
        scratch._parsed_resources[n] = live.get(n) or _Pending(n)
    changes = []
    for n in dependency_order(specs, active):
        if n not in live:
            changes.append({"Action": "Add", "LogicalResourceId": n, "ResourceType": specs[n].get("Type")})
            continue
        old = live_entries[n]
        new_props = _resolved(specs[n], scratch)
        changed = sorted(k for k in set(new_props) | set(old["Properties"])
                         if new_props.get(k) != old["Properties"].get(k))
        scope = (["Properties"] if changed else []) + [
            a for a in ATTRIBUTES if specs[n].get(a) != old["Json"].get(a)]
        if not scope:
            continue
        replacement = "False"
        if "Properties" in scope:
            if _replaceable(live[n]):
                replacement = "True" if live[n].requires_replacement(_resolved(specs[n], scratch)) else "False"
            else:
                replacement = "Conditional"
            if replacement == "True":
                scratch._parsed_resources[n] = _Pending(n)
        changes.append({"Action": "Modify", "LogicalResourceId": n, "ResourceType": specs[n].get("Type"),
                        "Replacement": replacement, "Scope": scope, "ChangedProperties": changed,
                        "PhysicalResourceId": _physical(live[n])})
    changes += [{"Action": "Remove", "LogicalResourceId": n, "ResourceType": live_entries[n]["Type"],
                 "PhysicalResourceId": _physical(live[n])}
                for n in live if n not in active]
    return changes


def plan_create(template, parameters, account_id, region_name, stack_name="plan"):
    """The resource changes a new stack of `template` would make: an Add for each resource
    whose Condition holds, in dependency order (nothing is created)."""
    specs = template.get("Resources") or {}
    stack_id = f"arn:aws:cloudformation:{region_name}:{account_id}:stack/{stack_name}/plan"
    scratch = parsing.ResourceMap(stack_id, stack_name, parameters or {}, {}, region_name, account_id, template, {})
    scratch.load()
    active = [n for n in specs if _active(scratch, specs[n])]
    return [{"Action": "Add", "LogicalResourceId": n, "ResourceType": specs[n].get("Type")}
            for n in dependency_order(specs, active)]


def build_resource_diff(self, other_template, parameters=None):
    out = {"Add": [], "Modify": [], "Remove": []}
    for c in plan(self, other_template, parameters):
        out[c["Action"]].append(c["LogicalResourceId"])
    return out


def _flat(parameters):
    return {k: (",".join(map(str, v)) if isinstance(v, list) else v) for k, v in (parameters or {}).items()} or None


# ------------------------------------------------------------------ install

def install():
    from moto.cloudformation.models import Change, ChangeSet, Stack
    if getattr(parsing.ResourceMap.update, "_vend", False):
        return
    update._vend = True
    parsing.ResourceMap.update = update
    parsing.ResourceMap.build_resource_diff = build_resource_diff
    parsing.ResourceMap.delete = delete

    orig_create_resource = parsing.parse_and_create_resource

    def parse_and_create_resource(logical_id, resource_json, resources_map, account_id, region_name):
        with _resource(logical_id):
            res = orig_create_resource(logical_id, resource_json, resources_map, account_id, region_name)
        if res is not None:
            _remember(resources_map, logical_id, resource_json)
        return res
    parsing.parse_and_create_resource = parse_and_create_resource

    orig_stack_create, orig_stack_update, orig_stack_delete = Stack.create_resources, Stack.update, Stack.delete

    def create_resources(self):
        with acting_as(self):
            return orig_stack_create(self)

    def stack_update(self, template, role_arn=None, parameters=None, tags=None):
        with acting_as(self, role_arn):
            return orig_stack_update(self, template, role_arn, parameters=parameters, tags=tags)

    def stack_delete(self):
        with acting_as(self):
            return orig_stack_delete(self)
    Stack.create_resources, Stack.update, Stack.delete = create_resources, stack_update, stack_delete

    def apply(self):
        with acting_as(self.stack, self.role_arn):
            self.stack.resource_map.update(self.template_dict, _flat(self.parameters))

    def diff(self):
        return [Change(action=c["Action"], logical_resource_id=c["LogicalResourceId"], resource_type=c["ResourceType"])
                for c in plan(self.stack.resource_map, self.template_dict, _flat(self.parameters))]
    ChangeSet.apply, ChangeSet.diff = apply, diff
