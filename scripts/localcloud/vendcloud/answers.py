"""Checks the local cloud's JSON answers against botocore's output shapes.

Requests are checked on the way in (validation.py); this is the other direction. An answer
with a member the model does not have, or a value of the wrong kind, is something no AWS
endpoint sends, and an SDK silently drops or misreads it. One such slip was ListTagOptions
answering its next page as NextPageToken (the model says PageToken): every SDK stopped after
the first page. Each checked answer sets `answer_ok` in the request log, with the first
problems in `answer_problem`; with the `strict_answers` setting (the default) such an answer is
replaced by a 500 InternalFailure that names the problem, so every client and test meets it.

Checked: structure members (by name), lists, maps, strings, integers, booleans. Timestamps,
numbers that are not integers and blobs are left alone (they have several valid spellings).
"""

_KINDS = {"string": (str,), "integer": (int,), "long": (int,), "boolean": (bool,)}


def problems(shape, value, path="", found=None, limit=5):
    """Up to `limit` places where `value` does not fit `shape` (a botocore Shape), as text."""
    found = [] if found is None else found
    if shape is None or value is None or len(found) >= limit:
        return found
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            found.append(f"{path or '.'}: {type(value).__name__}, not an object ({shape.name})")
            return found
        for key, member in value.items():
            if key not in shape.members:
                found.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems(shape.members[key], member, f"{path}.{key}", found, limit)
    elif kind == "list":
        if not isinstance(value, list):
            found.append(f"{path}: {type(value).__name__}, not a list")
            return found
        for index, item in enumerate(value):
            problems(shape.member, item, f"{path}[{index}]", found, limit)
    elif kind == "map":
        if not isinstance(value, dict):
            found.append(f"{path}: {type(value).__name__}, not a map")
            return found
        for key, item in value.items():
            problems(shape.value, item, f"{path}.{key}", found, limit)
    elif kind in _KINDS:
        wanted = _KINDS[kind]
        # bool is an int in Python: an integer member holding true/false is still wrong.
        if not isinstance(value, wanted) or (kind != "boolean" and isinstance(value, bool)):
            found.append(f"{path}: {type(value).__name__}, not a {kind}")
    return found


def check(entry, op, answer):
    """Records in the log entry whether `answer` (a decoded JSON body) fits op's output shape,
    and returns that (True when there is no model to check against)."""
    model = op.operation_model
    if model is None:
        return True
    found = problems(model.output_shape, answer)
    entry["answer_ok"] = not found
    if found:
        entry["answer_problem"] = "; ".join(found)
    return not found
