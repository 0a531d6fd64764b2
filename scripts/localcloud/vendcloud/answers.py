"""Checks the local cloud's answers (JSON and XML) against botocore's output shapes.

Requests are checked on the way in (validation.py); this is the other direction. An answer
with a member the model does not have, or a value of the wrong kind, is something no AWS
endpoint sends, and an SDK silently drops or misreads it. One such slip was ListTagOptions
answering its next page as NextPageToken (the model says PageToken): every SDK stopped after
the first page. Each checked answer sets `answer_ok` in the request log, with the first
problems in `answer_problem`; with the `strict_answers` setting (the default) such an answer is
replaced by a 500 InternalFailure that names the problem, so every client and test meets it.

Checked: structure members (by name; in XML by locationName), lists, maps, strings, integers,
booleans; for XML also the document (well-formed, the query protocol's <OpResponse> root and
<OpResult> wrapper). Timestamps, numbers that are not integers and blobs are left alone (they
have several valid spellings), as are EC2-protocol answers and blob or string payloads (an
object's bytes, a bucket policy).
"""


def _a(kind):
    """The kind with its article: "a string", "an integer"."""
    return ("an " if kind[0] in "aeiou" else "a ") + kind


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
            found.append(f"{path}: {type(value).__name__}, not {_a(kind)}")
    return found


def check(entry, op, answer):
    """Records in the log entry whether `answer` (a decoded JSON body) fits op's output shape,
    and returns that (True when there is no model to check against)."""
    model = op.operation_model
    if model is None:
        return True
    return _record(entry, problems(model.output_shape, answer))


def _record(entry, found):
    """Sets answer_ok (and answer_problem) in the log entry from the problems found."""
    entry["answer_ok"] = not found
    if found:
        entry["answer_problem"] = "; ".join(found)
    return not found


# --- XML answers (query and rest-xml protocols: STS, CloudFormation, IAM, S3) ---------------
# Read as botocore's XML parsers read them: a structure's children by the member's
# locationName (a flattened list's by its member's), a list's items as <member> (or the member's
# locationName), a map's as <entry><key/><value/></entry>; namespaces ignored; members bound
# to headers, the status code or attributes are not in the body.

_XML_SCALARS = {"integer", "long"}


def _tag(node):
    return node.tag.rsplit("}", 1)[-1]


def _xml_name(member, name):
    if member.type_name == "list" and member.serialization.get("flattened"):
        inner = member.member.serialization.get("name")
        if inner:
            return inner
    return member.serialization.get("name") or name


def xml_problems(shape, node, path="", found=None, limit=5):
    """Up to `limit` places where the element `node` does not fit `shape`, as text."""
    found = [] if found is None else found
    if shape is None or node is None or len(found) >= limit:
        return found
    kind = shape.type_name
    if kind == "structure":
        names = {}
        for name, member in shape.members.items():
            if "location" in member.serialization or member.serialization.get("xmlAttribute"):
                continue
            names[_xml_name(member, name)] = (name, member)
        for child in node:
            known = names.get(_tag(child))
            if known is None:
                found.append(f"{path}.{_tag(child)}: not a member of {shape.name}")
                continue
            name, member = known
            if member.type_name == "list" and member.serialization.get("flattened"):
                xml_problems(member.member, child, f"{path}.{name}[]", found, limit)
            else:
                xml_problems(member, child, f"{path}.{name}", found, limit)
    elif kind == "list":
        item_name = shape.member.serialization.get("name", "member")
        for index, child in enumerate(node):
            if _tag(child) != item_name:
                found.append(f"{path}[{index}]: <{_tag(child)}>, not <{item_name}>")
            else:
                xml_problems(shape.member, child, f"{path}[{index}]", found, limit)
    elif kind == "map":
        key_name = shape.key.serialization.get("name") or "key"
        value_name = shape.value.serialization.get("name") or "value"
        entries = [node] if shape.serialization.get("flattened") else list(node)
        for entry in entries:
            tags = {_tag(c): c for c in entry}
            if key_name not in tags or set(tags) - {key_name, value_name}:
                found.append(f"{path}: an entry with {sorted(tags)}, not <{key_name}>/<{value_name}>")
                continue
            xml_problems(shape.value, tags.get(value_name), f"{path}.{tags[key_name].text}", found, limit)
    elif len(node):
        found.append(f"{path}: an element with children, not {_a(kind)}")
    elif kind in _XML_SCALARS:
        try:
            int((node.text or "").strip())
        except ValueError:
            found.append(f"{path}: {node.text!r}, not {_a(kind)}")
    elif kind == "boolean" and (node.text or "").strip() not in ("true", "false"):
        found.append(f"{path}: {node.text!r}, not a boolean")
    return found


def xml_body(op, body):
    """The element of `body` that op's output shape describes, the shape, and a problem when
    the document itself is wrong; (None, None, None) when there is nothing to check."""
    import xml.etree.ElementTree as ET

    model = op.operation_model
    shape = model.output_shape if model is not None else None
    if shape is None or not body.strip():
        return None, None, None
    payload = shape.serialization.get("payload")
    if payload:
        shape = shape.members[payload]
        if shape.type_name != "structure":
            return None, None, None  # an object's bytes or a policy document, not XML to check
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        return None, None, f"not well-formed XML ({e})"
    if op.protocol == "query":
        wrapper = shape.serialization.get("resultWrapper")
        expected = f"{model.name}Response"
        if _tag(root) != expected:
            return None, None, f"root element <{_tag(root)}>, not <{expected}>"
        if wrapper:
            result = next((c for c in root if _tag(c) == wrapper), None)
            if result is None:
                return None, None, f"no <{wrapper}> in <{expected}>"
            return result, shape, None
    return root, shape, None


def check_xml(entry, op, body):
    """As check(), for an XML answer body (bytes)."""
    node, shape, problem = xml_body(op, body)
    if node is None and problem is None:
        return True
    return _record(entry, [problem] if problem else xml_problems(shape, node))
