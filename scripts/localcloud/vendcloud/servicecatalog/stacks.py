"""The CloudFormation side of provisioning: parameter and rule checks, and the real moto stack."""
import json
import re

from .common import invalid
from .constraints import constraints_for
from .templates import parse_template


def _effective_params(template, given):
    spec = template.get("Parameters") or {}
    out = {k: v.get("Default") for k, v in spec.items() if "Default" in v}
    out.update(given)
    for k, v in spec.items():  # list-typed parameters are lists for the rule functions
        if k in out and (str(v.get("Type", "")).startswith("List<") or v.get("Type") == "CommaDelimitedList"):
            if isinstance(out.get(k), str):
                out[k] = [x.strip() for x in out[k].split(",") if x.strip()]
    return out


def check_rules(ctx, st, pid, prod_id, template, params):
    """TEMPLATE constraints (and the template's own Rules): InvalidParametersException."""
    from .. import rules
    eff = _effective_params(template, params)
    all_rules = [template.get("Rules") or {}]
    for c in constraints_for(st, pid, prod_id):
        if c["Type"] == "TEMPLATE":
            all_rules.append(json.loads(c["Parameters"]).get("Rules") or {})
    for r in all_rules:
        try:
            rules.check(r, eff)
        except rules.RuleFailure as e:
            raise invalid(str(e))


def check_parameters(template, given):
    """CloudFormation's parameter checks (CreateStack answers ValidationError for these)."""
    spec = template.get("Parameters") or {}
    unknown = [k for k in given if k not in spec]
    if unknown:
        return f"Parameters: [{', '.join(unknown)}] do not exist in the template"
    missing = [k for k, v in spec.items() if k not in given and "Default" not in v]
    if missing:
        return f"Parameters: [{', '.join(missing)}] must have values"
    for k, v in spec.items():
        val = given.get(k, v.get("Default"))
        if val is None:
            continue
        val = str(val)
        desc = v.get("ConstraintDescription")
        if "AllowedValues" in v and val not in [str(x) for x in v["AllowedValues"]]:
            return desc or f"Parameter '{k}' must be one of AllowedValues"
        if "AllowedPattern" in v and not re.fullmatch(v["AllowedPattern"], val):
            return desc or f"Parameter '{k}' must match pattern {v['AllowedPattern']}"
        if "MaxLength" in v and len(val) > int(v["MaxLength"]):
            return desc or f"Parameter '{k}' must contain at most {v['MaxLength']} characters"
        if "MinLength" in v and len(val) < int(v["MinLength"]):
            return desc or f"Parameter '{k}' must contain at least {v['MinLength']} characters"
    return None


def cfn_backend(ctx):
    from moto.cloudformation.models import cloudformation_backends
    return cloudformation_backends[ctx.account][ctx.region]


def stack_outputs(stack):
    return [{"OutputKey": o["OutputKey"], "OutputValue": str(o["OutputValue"]),
             **({"Description": o["Description"]} if o.get("Description") else {})}
            for o in (stack.outputs or [])]


def create_stack(ctx, pp, art, params, role_arn, tags):
    """Create the real stack; returns (ok, outputs, error). On failure the stack is rolled
    back (resources deleted, status ROLLBACK_COMPLETE) as CloudFormation does."""
    template = parse_template(art["TemplateBody"])
    err = check_parameters(template, params)
    if err:
        return False, [], err
    be = cfn_backend(ctx)
    try:
        stack = be.create_stack(name=pp["StackName"], template=art["TemplateBody"],
                                parameters=params, tags={t["Key"]: t["Value"] for t in tags}, role_arn=role_arn)
    except Exception as e:  # template / parameter errors: CreateStack itself fails
        return False, [], f"{type(e).__name__}: {getattr(e, 'message', None) or e}"
    pp["PhysicalId"] = stack.stack_id
    if stack.status != "CREATE_COMPLETE":  # a resource failed: rolled back (cfn_types)
        pp["_rolled_back"] = True
        return False, [], f"Stack {stack.status}: {getattr(stack, 'vend_failure', '')}"
    return True, stack_outputs(stack), None
