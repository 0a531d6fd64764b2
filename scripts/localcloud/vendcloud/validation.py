"""Request validation against botocore's service model.

AWS behaviour assumed: the service front end rejects, before the operation runs, any request
whose members break the model: required, types and min (what botocore's ParamValidator
checks) and also max, enum and pattern (which botocore leaves to the server). The answer is
400 with the protocol's validation code and a message in AWS's style:
"1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: …".
Unknown members are rejected by default here (a strictness setting, see control API),
because an unknown member in vend's requests is always a client bug.
"""
import re

from botocore.validate import ParamValidator

_pattern_cache = {}


def _compile(p):
    if p not in _pattern_cache:
        try:
            # botocore models use Java regex syntax; \p{…} classes are not supported by re.
            # AWS matches the whole value (Java String.matches), hence fullmatch below.
            _pattern_cache[p] = re.compile(p) if "\\p{" not in p else None
        except re.error:
            _pattern_cache[p] = None
    return _pattern_cache[p]


def _walk(value, shape, path, out):
    t = shape.type_name
    meta = shape.metadata
    if value is None:
        return
    if t == "structure" and isinstance(value, dict):
        for k, v in value.items():
            if k in shape.members:
                _walk(v, shape.members[k], f"{path}.{k}" if path else k, out)
    elif t == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"Value '{value}' at '{path}' failed to satisfy constraint: "
                       f"Member must have length less than or equal to {meta['max']}")
        for i, v in enumerate(value):
            _walk(v, shape.member, f"{path}.{i + 1}.member", out)
    elif t == "map" and isinstance(value, dict):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"Value '{value}' at '{path}' failed to satisfy constraint: "
                       f"Member must have length less than or equal to {meta['max']}")
        for k, v in value.items():
            _walk(k, shape.key, f"{path}.key", out)
            _walk(v, shape.value, f"{path}.{k}.member", out)
    elif t == "string" and isinstance(value, str):
        shown = "***" if meta.get("sensitive") else value
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"Value '{shown}' at '{path}' failed to satisfy constraint: "
                       f"Member must have length less than or equal to {meta['max']}")
        if shape.enum and value not in shape.enum:
            out.append(f"Value '{shown}' at '{path}' failed to satisfy constraint: "
                       f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
        if "pattern" in meta:
            rx = _compile(meta["pattern"])
            if rx is not None and not rx.fullmatch(value):
                out.append(f"Value '{shown}' at '{path}' failed to satisfy constraint: "
                           f"Member must satisfy regular expression pattern: {meta['pattern']}")
    elif t in ("integer", "long", "float", "double") and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        if "max" in meta and value > meta["max"]:
            out.append(f"Value '{value}' at '{path}' failed to satisfy constraint: "
                       f"Member must have value less than or equal to {meta['max']}")


def _lower_first(s):
    return s[:1].lower() + s[1:] if s else s


def _value_at(params, name):
    cur = params
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", name):
        try:
            cur = cur[int(part[1:-1])] if part.startswith("[") else cur[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return cur


def _aws_path(name):
    """botocore's 'A.B[0].C' -> AWS's 'a.b.1.member.c' style is overkill; AWS shows the
    member path with lower-case first letters, e.g. 'roleSessionName'."""
    return ".".join(_lower_first(p) for p in name.strip(".").split("."))


def validate(op, params, unknown, skip, reject_unknown=True):
    """Return None if valid, else the AWS-style message."""
    shape = op.operation_model.input_shape
    if shape is None or op.protocol in ("cbor", "ec2"):
        return None  # CBOR bodies are not decoded; EC2's query dialect is not parsed
    errors = []
    report = ParamValidator().validate(params, shape)
    for error_type, name, additional in report._errors:
        name = name.strip(".")
        full = name
        if error_type == "missing required field":
            full = f"{name}.{additional['required_name']}" if name else additional["required_name"]
        if any(full == s or full.startswith(s + ".") or full.startswith(s + "[") for s in skip):
            continue
        if error_type == "unknown field" and not reject_unknown:
            continue
        name = name.strip(".")
        full = full.strip(".")
        if error_type == "missing required field":
            errors.append(f"Value null at '{_aws_path(full)}' failed to satisfy constraint: "
                          f"Member must not be null")
        elif error_type == "unknown field":
            errors.append(f"Unknown parameter '{additional['unknown_param']}' at "
                          f"'{name or 'input'}', must be one of: {', '.join(additional['valid_names'])}")
        elif error_type == "invalid length":
            errors.append(f"Value '{_value_at(params, name)}' at '{_aws_path(name)}' failed to satisfy "
                          f"constraint: Member must have length greater than or equal to "
                          f"{additional['min_allowed']}")
        elif error_type == "invalid range":
            errors.append(f"Value '{additional['param']}' at '{_aws_path(name)}' failed to satisfy "
                          f"constraint: Member must have value greater than or equal to "
                          f"{additional['min_allowed']}")
        else:
            errors.append(ValidationErrorsFormatter.format((error_type, name, additional)))
    if reject_unknown:
        for k in unknown:
            errors.append(f"Unknown parameter '{k}'")
    extra = []
    _walk(params, shape, "", extra)
    errors += [e for e in extra if not any(f"at '{s}" in e for s in skip)]
    if not errors:
        return None
    n = len(errors)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(errors)


class ValidationErrorsFormatter:
    @staticmethod
    def format(error):
        from botocore.validate import ValidationErrors
        return ValidationErrors()._format_error(error)
