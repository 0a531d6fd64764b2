"""A small SSM Automation runner, and the SSM Automation execution API moto lacks
(StartAutomationExecution, GetAutomationExecution, DescribeAutomationExecutions,
DescribeAutomationStepExecutions, StopAutomationExecution).

AWS behaviour assumed (SSM Automation documents, schemaVersion 0.3):
- The document is read from the owner account's SSM; another account may run it only when
  the owner shared it (ModifyDocumentPermission Share) — else InvalidDocument.
- Parameters: declared ones only; defaults fill missing ones; a missing required parameter or
  a value breaking allowedPattern/allowedValues fails the start
  (InvalidAutomationExecutionParametersException).
- The document's assumeRole (usually "{{ AutomationAssumeRole }}") is assumed (the role must
  exist); without one the caller's own credentials are used. Every step's API call goes back
  into the local cloud over loopback, signed with those credentials, so it is checked,
  scoped to that account and logged like any client call.
- Steps run in order; onFailure Abort (default) stops with status Failed, Continue goes on,
  step:<name> jumps; isEnd stops; nextStep jumps. Status values: Pending, InProgress,
  Success, Failed, TimedOut, Cancelled. Outputs: "Step.Output" -> [values].
- Supported actions: aws:executeAwsApi, aws:assertAwsResourceProperty,
  aws:waitForAwsResourceProperty, aws:sleep. Others fail the step (named in the message).
- {{ Param }} and {{ Step.Output }} substitution; a value that is exactly one placeholder keeps
  its type (StringList stays a list). {{ global:ACCOUNT_ID }}, {{ global:REGION }},
  {{ automation:EXECUTION_ID }} are known.
- waitForAwsResourceProperty polls every second up to timeoutSeconds, capped by
  LOCALCLOUD_WAIT_CAP_SECONDS (default 60) so tests cannot hang.
"""
import datetime
import json
import os
import re
import threading
import time
import uuid

from . import accounts
from .errors import AwsError

_lock = threading.Lock()
EXECUTIONS = {}  # (account, region) -> {id: execution}


def reset():
    with _lock:
        EXECUTIONS.clear()


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _load_document(account, region, owner, name, version):
    from moto.ssm.models import ssm_backends
    if name.startswith("arn:"):
        owner = name.split(":")[4]
        name = name.split("/")[-1]
    be = ssm_backends[owner][region]
    try:
        doc = be.get_document(name=name, document_version=version if version not in (None, "$DEFAULT") else None,
                              version_name=None, document_format="JSON")
    except Exception:
        raise AwsError("InvalidDocument", f"Document {name} does not exist in account {owner}.")
    if owner != account:
        try:
            perm = be.describe_document_permission(name=name)
            shared = perm.get("AccountIds", []) if isinstance(perm, dict) else perm
        except Exception:
            shared = []
        if account not in (shared or []) and "all" not in (shared or []):
            raise AwsError("InvalidDocument", f"Document {name} is not shared with account {account}.")
    content = doc.get("Content") if isinstance(doc, dict) else doc.content
    if isinstance(content, str):
        content = json.loads(content)
    dtype = doc.get("DocumentType") if isinstance(doc, dict) else None
    if dtype and dtype != "Automation":
        raise AwsError("InvalidDocument", f"Document {name} is not an Automation document.")
    return name, content, (doc.get("DocumentVersion") if isinstance(doc, dict) else "1")


def _check_params(content, given):
    decl = content.get("parameters") or {}
    out = {}
    for k in given:
        if k not in decl:
            raise AwsError("InvalidAutomationExecutionParametersException", f"Parameter {k} is not defined.")
    for k, spec in decl.items():
        if k in given:
            vals = given[k]
        elif "default" in spec:
            d = spec["default"]
            vals = d if isinstance(d, list) else [d]
        else:
            raise AwsError("InvalidAutomationExecutionParametersException", f"Parameter {k} is required.")
        vals = [v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v) for v in vals]
        for v in vals:
            if "allowedPattern" in spec and v != "" and not re.search(spec["allowedPattern"], v):
                raise AwsError("InvalidAutomationExecutionParametersException",
                               f"Parameter {k} value {v} does not match {spec['allowedPattern']}.")
            if "allowedPattern" in spec and v == "" and not re.search(spec["allowedPattern"], v):
                raise AwsError("InvalidAutomationExecutionParametersException",
                               f"Parameter {k} value '' does not match {spec['allowedPattern']}.")
            if "allowedValues" in spec and v not in [str(x) for x in spec["allowedValues"]]:
                raise AwsError("InvalidAutomationExecutionParametersException",
                               f"Parameter {k} value {v} is not one of {spec['allowedValues']}.")
        t = spec.get("type", "String")
        out[k] = vals if t in ("StringList", "MapList") else (vals[0] if vals else "")
    return out


_PH = re.compile(r"{{\s*([A-Za-z0-9_:.\-]+)\s*}}")


def _subst(value, scope):
    if isinstance(value, str):
        m = _PH.fullmatch(value.strip())
        if m and m.group(1) in scope:
            return scope[m.group(1)]

        def rep(mt):
            v = scope.get(mt.group(1))
            if v is None:
                raise AwsError("InvalidAutomationExecutionParametersException",
                               f"Unresolved variable {{{{ {mt.group(1)} }}}}")
            return v if isinstance(v, str) else json.dumps(v)
        return _PH.sub(rep, value)
    if isinstance(value, list):
        return [_subst(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: _subst(v, scope) for k, v in value.items()}
    return value


def select(data, selector):
    """The JSONPath subset SSM selectors use: $.A.B[0].C"""
    cur = data
    for part in re.findall(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]", selector.lstrip("$")):
        key, idx = part
        if key:
            if not isinstance(cur, dict) or key not in cur:
                return None
            cur = cur[key]
        else:
            if not isinstance(cur, list) or int(idx) >= len(cur):
                return None
            cur = cur[int(idx)]
    return cur


def _jsonable(o):
    return json.loads(json.dumps(o, default=lambda x: x.isoformat() if hasattr(x, "isoformat") else str(x)))


class _Caller:
    def __init__(self, base_url, region, creds):
        self.base_url, self.region, self.creds = base_url, region, creds
        self.clients = {}

    def call(self, service, api, params):
        import boto3
        from botocore.config import Config
        from botocore import xform_name
        if service not in self.clients:
            key, secret, token = self.creds
            self.clients[service] = boto3.client(
                service, endpoint_url=self.base_url, region_name=self.region, aws_access_key_id=key,
                aws_secret_access_key=secret, aws_session_token=token,
                config=Config(retries={"max_attempts": 3, "mode": "standard"}, s3={"addressing_style": "path"}))
        client = self.clients[service]
        resp = getattr(client, xform_name(api))(**params)
        resp.pop("ResponseMetadata", None)
        return _jsonable(resp)


def _api_inputs(inputs):
    params = {k: v for k, v in inputs.items()
              if k not in ("Service", "Api", "PropertySelector", "DesiredValues")}
    return inputs["Service"], inputs["Api"], params


def _run(ex, content, scope, caller):
    steps = content.get("mainSteps") or []
    names = [s["name"] for s in steps]
    i = 0
    ex["AutomationExecutionStatus"] = "InProgress"
    failed = None
    while i < len(steps):
        if ex.get("_cancel"):
            ex["AutomationExecutionStatus"] = "Cancelled"
            break
        s = steps[i]
        se = {"StepName": s["name"], "Action": s["action"], "ExecutionStartTime": _now(), "StepStatus": "InProgress",
              "StepExecutionId": str(uuid.uuid4()), "OnFailure": s.get("onFailure", "Abort"), "Inputs": {},
              "Outputs": {}}
        ex["StepExecutions"].append(se)
        try:
            inputs = _subst(s.get("inputs") or {}, scope)
            se["Inputs"] = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in inputs.items()}
            action = s["action"]
            if action == "aws:executeAwsApi":
                svc, api, params = _api_inputs(inputs)
                resp = caller.call(svc, api, params)
                for o in s.get("outputs") or []:
                    v = select(resp, o["Selector"])
                    scope[f"{s['name']}.{o['Name']}"] = v if not isinstance(v, (int, float)) or isinstance(v, bool) \
                        else v
                    se["Outputs"][o["Name"]] = [v if isinstance(v, str) else json.dumps(v)]
            elif action in ("aws:assertAwsResourceProperty", "aws:waitForAwsResourceProperty"):
                svc, api, params = _api_inputs(inputs)
                desired = [str(x) for x in inputs.get("DesiredValues", [])]
                cap = float(os.environ.get("LOCALCLOUD_WAIT_CAP_SECONDS", "60"))
                deadline = time.time() + min(float(s.get("timeoutSeconds", 3600)), cap)
                while True:
                    val = select(caller.call(svc, api, params), inputs["PropertySelector"])
                    sval = val if isinstance(val, str) else json.dumps(val)
                    if sval in desired:
                        break
                    if action == "aws:assertAwsResourceProperty":
                        raise AwsError("Failed", f"Step {s['name']}: {inputs['PropertySelector']} is {sval}, "
                                                 f"expected one of {desired}")
                    if time.time() > deadline:
                        se["StepStatus"] = "TimedOut"
                        raise AwsError("TimedOut", f"Step {s['name']} timed out waiting for "
                                                   f"{inputs['PropertySelector']} in {desired} (last: {sval})")
                    time.sleep(1.0)
            elif action == "aws:sleep":
                time.sleep(min(float(_iso_seconds(inputs.get("Duration", "PT1S"))), 5))
            else:
                raise AwsError("Failed", f"Step {s['name']}: action {action} is not supported by the local runner")
            se["StepStatus"] = "Success"
        except Exception as e:
            msg = e.message if isinstance(e, AwsError) else f"{type(e).__name__}: {e}"
            if se["StepStatus"] != "TimedOut":
                se["StepStatus"] = "Failed"
            se["FailureMessage"] = msg
            se["ExecutionEndTime"] = _now()
            of = s.get("onFailure", "Abort")
            if of == "Continue":
                i += 1
                continue
            if of.startswith("step:") and of[5:] in names:
                i = names.index(of[5:])
                continue
            failed = (se["StepStatus"], f"Step {s['name']} failed: {msg}")
            break
        se["ExecutionEndTime"] = _now()
        if s.get("isEnd"):
            break
        if s.get("nextStep") in names:
            i = names.index(s["nextStep"])
        else:
            i += 1
    outs = {}
    for name in content.get("outputs") or []:
        if name in scope:
            v = scope[name]
            outs[name] = v if isinstance(v, list) else [v if isinstance(v, str) else json.dumps(v)]
    ex["Outputs"] = outs
    if failed:
        ex["AutomationExecutionStatus"] = "TimedOut" if failed[0] == "TimedOut" else "Failed"
        ex["FailureMessage"] = failed[1]
    elif ex["AutomationExecutionStatus"] == "InProgress":
        ex["AutomationExecutionStatus"] = "Success"
    ex["ExecutionEndTime"] = _now()


def _iso_seconds(d):
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", d)
    if not m:
        return 1
    h, mi, s = (int(x or 0) for x in m.groups())
    return h * 3600 + mi * 60 + s


def start(account, region, doc_owner, name, version, params, assume_role, base_url, on_done=None, caller_key=None,
          sync=False):
    """Start an execution in `account`; returns its id. Raises AwsError for start failures."""
    name, content, docver = _load_document(account, region, doc_owner, name, version)
    decl = content.get("parameters") or {}
    given = {k: (v if isinstance(v, list) else [v]) for k, v in (params or {}).items()}
    if assume_role and "AutomationAssumeRole" in decl and "AutomationAssumeRole" not in given:
        given["AutomationAssumeRole"] = [assume_role]  # Service Catalog passes its role this way
    values = _check_params(content, given)
    exid = str(uuid.uuid4())
    scope = dict(values)
    scope.update({"global:ACCOUNT_ID": account, "global:REGION": region, "automation:EXECUTION_ID": exid,
                  "global:AWS_PARTITION": "aws"})
    role = _subst(content.get("assumeRole", ""), scope) if content.get("assumeRole") else assume_role
    if role:
        from moto.iam.models import iam_backends
        racct, rname = role.split(":")[4], role.split("/")[-1]
        if not any(r.name == rname for r in iam_backends[racct]["aws"].roles.values()):
            raise AwsError("InvalidAutomationExecutionParametersException",
                           f"The defined assume role is unable to be assumed: {role}")
        creds = accounts.session_credentials(role, "vend-automation")
    else:
        found = accounts.lookup(caller_key)
        creds = (caller_key, found[1], found[2])
    ex = {"AutomationExecutionId": exid, "DocumentName": name, "DocumentVersion": str(docver),
          "ExecutionStartTime": _now(), "AutomationExecutionStatus": "Pending", "StepExecutions": [],
          "Parameters": {k: (v if isinstance(v, list) else [v]) for k, v in values.items()}, "Outputs": {},
          "Mode": "Auto", "ExecutedBy": role or f"arn:aws:iam::{account}:root", "AutomationType": "Local",
          "_account": account}
    with _lock:
        EXECUTIONS.setdefault((account, region), {})[exid] = ex

    def work():
        try:
            _run(ex, content, scope, _Caller(base_url, region, creds))
        except Exception as e:  # the runner itself must never leave an execution InProgress
            ex["AutomationExecutionStatus"] = "Failed"
            ex["FailureMessage"] = f"{type(e).__name__}: {e}"
            ex["ExecutionEndTime"] = _now()
        if on_done:
            on_done(ex)

    if sync:
        work()
    else:
        threading.Thread(target=work, daemon=True, name=f"automation-{exid}").start()
    return exid


# --------------------------------------------------------------------------------- SSM API

def _view(ex, meta=False):
    v = {k: val for k, val in ex.items() if not k.startswith("_")}
    if meta:
        v.pop("StepExecutions", None)
        v.pop("Parameters", None)
        v["AutomationExecutionStatus"] = ex["AutomationExecutionStatus"]
    else:
        v.pop("AutomationType", None)  # a member of AutomationExecutionMetadata only
    return v


def _get(ctx, exid):
    ex = EXECUTIONS.get((ctx.account, ctx.region), {}).get(exid)
    if ex is None:
        raise AwsError("AutomationExecutionNotFoundException", f"Automation execution {exid} not found.")
    return ex


def start_automation_execution(ctx, p):
    exid = start(ctx.account, ctx.region, ctx.account, p["DocumentName"], p.get("DocumentVersion"),
                 p.get("Parameters") or {}, None, ctx.base_url, caller_key=ctx.key_id)
    return {"AutomationExecutionId": exid}


def get_automation_execution(ctx, p):
    return {"AutomationExecution": _view(_get(ctx, p["AutomationExecutionId"]))}


def describe_automation_executions(ctx, p):
    exs = list(EXECUTIONS.get((ctx.account, ctx.region), {}).values())
    for f in p.get("Filters") or []:
        key, vals = f["Key"], f["Values"]
        field = {"DocumentNamePrefix": "DocumentName", "ExecutionStatus": "AutomationExecutionStatus",
                 "ExecutionId": "AutomationExecutionId"}.get(key)
        if field == "DocumentName":
            exs = [e for e in exs if any(e["DocumentName"].startswith(v) for v in vals)]
        elif field:
            exs = [e for e in exs if e[field] in vals]
    return {"AutomationExecutionMetadataList": [_view(e, meta=True) for e in exs]}


def describe_automation_step_executions(ctx, p):
    return {"StepExecutions": _get(ctx, p["AutomationExecutionId"])["StepExecutions"]}


def stop_automation_execution(ctx, p):
    _get(ctx, p["AutomationExecutionId"])["_cancel"] = True
    return {}


_OPS = {"StartAutomationExecution": start_automation_execution, "GetAutomationExecution": get_automation_execution,
        "DescribeAutomationExecutions": describe_automation_executions,
        "DescribeAutomationStepExecutions": describe_automation_step_executions,
        "StopAutomationExecution": stop_automation_execution}


def handler_for(op):
    if op.service == "ssm":
        return _OPS.get(op.name)
    return None
