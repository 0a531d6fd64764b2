"""CloudFormation Rules, as Service Catalog evaluates them for TEMPLATE constraints (and as
CloudFormation evaluates a template's own Rules section) before a launch or update.

AWS behaviour assumed: each rule applies when its RuleCondition is true (or absent); every
Assertion must then hold, else the launch fails with the AssertDescription
(InvalidParametersException in Service Catalog, ValidationError in CloudFormation).
Functions: Ref (parameter values), Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains,
Fn::EachMemberEquals, Fn::EachMemberIn, Fn::RefAll is not supported (treated as failing).
"""


class RuleFailure(Exception):
    pass


def _eval(node, params):
    if isinstance(node, dict) and len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Ref":
            if arg not in params:
                raise RuleFailure(f"Rules reference unknown parameter {arg}")
            return params[arg]
        args = [_eval(a, params) for a in arg] if isinstance(arg, list) else _eval(arg, params)
        if fn == "Fn::Equals":
            return str(args[0]) == str(args[1])
        if fn == "Fn::Not":
            return not (args[0] if isinstance(args, list) else args)
        if fn == "Fn::And":
            return all(args)
        if fn == "Fn::Or":
            return any(args)
        if fn == "Fn::Contains":
            return str(args[1]) in [str(x) for x in args[0]]
        if fn == "Fn::EachMemberEquals":
            vals = args[0] if isinstance(args[0], list) else str(args[0]).split(",")
            return all(str(v) == str(args[1]) for v in vals)
        if fn == "Fn::EachMemberIn":
            vals = args[0] if isinstance(args[0], list) else str(args[0]).split(",")
            return all(str(v) in [str(x) for x in args[1]] for v in vals)
        raise RuleFailure(f"Rule function {fn} is not supported by the local cloud")
    if isinstance(node, list):
        return [_eval(n, params) for n in node]
    return node


def check(rules, params):
    """Raise RuleFailure with AWS's message when a rule's assertion does not hold."""
    for name, rule in (rules or {}).items():
        cond = rule.get("RuleCondition")
        if cond is not None and not _eval(cond, params):
            continue
        for a in rule.get("Assertions", []):
            if not _eval(a.get("Assert"), params):
                raise RuleFailure(a.get("AssertDescription") or f"Template constraint rule {name} failed")
