"""How one botocore shape or operation becomes Swift.

Rules:
- every structure becomes a struct nested in the service's namespace enum, member names as
  AWS spells them; members required by the model are non-optional in shapes reached only from
  inputs; everything reachable from an output is optional (services omit members);
- an operation is retried (idempotent) when it reads (Describe/List/Search/Get/Scan), sets
  state (Update/Put/Associate/Disassociate/Accept/Reject/Delete/Modify/Stop), or carries an
  idempotency token (then only when the token is set).
"""
import re

KEYWORDS = {"Type", "Protocol", "Self", "default", "internal", "operator", "public", "private", "static", "class",
            "struct", "enum", "func", "var", "let", "in", "is", "as", "if", "else", "for", "while", "return", "self",
            "init", "deinit", "subscript", "extension", "import", "true", "false", "nil", "where", "case", "switch", "repeat", "do"}
RENAMED_SHAPES = {"Type": "TypeValue", "Error": "ErrorDetail", "Date": "DateValue", "Data": "DataValue", "Result": "ResultValue",
                  "Protocol": "ProtocolValue", "Tag": "Tag"}
READ = re.compile(r"^(Describe|List|Search|Get|Scan)")
SETS = re.compile(r"^(Update|Put|Associate|Disassociate|Accept|Reject|Delete|Modify|Stop)")
TOKEN_NAMES = {"IdempotencyToken", "ProvisionToken", "UpdateToken", "TerminateToken", "ExecuteToken", "ClientToken", "ClientRequestToken"}


def swift_name(shape_name):
    """The Swift type name of a shape (a few AWS names clash with Swift's)."""
    return RENAMED_SHAPES.get(shape_name, shape_name)


def lower_first(name):
    """`DescribePortfolio` -> `describePortfolio`, `LFTags` -> `lfTags`."""
    match = re.match(r"^[A-Z]+(?=[A-Z][a-z]|$)", name)
    if match and len(match.group(0)) > 1:
        return match.group(0).lower() + name[len(match.group(0)):]
    return name[0].lower() + name[1:]


def member_ident(name):
    """A member name, back-quoted when Swift reserves it."""
    return f"`{name}`" if name in KEYWORDS else name


class Operation:
    """What the Swift client needs of one operation."""

    def __init__(self, name, method, input_type, output_type, idempotent, http_method, uri):
        self.name, self.method = name, method
        self.input_type, self.output_type = input_type, output_type
        self.idempotent, self.http_method, self.uri = idempotent, http_method, uri


class Generator:
    """The structures reached from a service's operations, and their Swift text."""

    def __init__(self, model, namespace):
        self.model = model
        self.namespace = namespace
        self.structs = {}      # name -> shape
        self.output_reach = set()

    def walk(self, shape, from_output, stack=()):
        """Records every structure reachable from `shape` (and whether an output reaches it)."""
        if shape.type_name == "structure":
            if from_output:
                if shape.name in self.output_reach and shape.name in self.structs:
                    return
                self.output_reach.add(shape.name)
            elif shape.name in self.structs:
                return
            self.structs[shape.name] = shape
            for member in shape.members.values():
                if member.name in stack + (shape.name,):
                    continue
                self.walk(member, from_output, stack + (shape.name,))
        elif shape.type_name == "list":
            self.walk(shape.member, from_output, stack)
        elif shape.type_name == "map":
            self.walk(shape.value, from_output, stack)

    @staticmethod
    def closure(shape, found):
        """Adds to `found` the names of every structure reachable from `shape`."""
        if shape.type_name == "structure":
            if shape.name in found:
                return
            found.add(shape.name)
            for member in shape.members.values():
                Generator.closure(member, found)
        elif shape.type_name == "list":
            Generator.closure(shape.member, found)
        elif shape.type_name == "map":
            Generator.closure(shape.value, found)

    def reaches(self, start, target, seen=None):
        """Whether struct `start` contains struct `target` by value (not through a list or map)."""
        if start == target:
            return True
        seen = seen or set()
        if start in seen or start not in self.structs:
            return False
        seen.add(start)
        return any(m.type_name == "structure" and self.reaches(m.name, target, seen)
                   for m in self.structs[start].members.values())

    def swift_type(self, shape):
        """The Swift type of a member, or None when vend leaves it out (documents, unknown types)."""
        t = shape.type_name
        if t == "string":
            return "String"
        if t in ("integer", "long"):
            return "Int"
        if t in ("double", "float"):
            return "Double"
        if t == "boolean":
            return "Bool"
        if t == "timestamp":
            return "Date"
        if t == "blob":
            return "Data"
        if t == "list":
            inner = self.swift_type(shape.member)
            return None if inner is None else f"[{inner}]"
        if t == "map":
            inner = self.swift_type(shape.value)
            return None if inner is None else f"[String: {inner}]"
        if t == "structure":
            if shape.metadata.get("document"):
                return None
            return swift_name(shape.name)
        return None

    def struct(self, shape):
        """The Swift struct of one structure, indented for the namespace's extension."""
        name = swift_name(shape.name)
        optional_all = shape.name in self.output_reach
        lines = [f"    /// `{shape.name}`, as AWS names its members.",
                 f"    public struct {name}: Codable, Sendable, Equatable {{"]
        params, assigns = [], []
        for member_name, member in shape.members.items():
            if member.type_name == "structure" and self.reaches(member.name, shape.name):
                continue  # recursive by value (impossible in a Swift struct) and not used by vend
            swift = self.swift_type(member)
            if swift is None:
                continue
            required = member_name in shape.required_members and not optional_all
            type_text = swift if required else f"{swift}?"
            ident = member_ident(member_name)
            lines.append(f"        /// `{member_name}`.")
            lines.append(f"        public var {ident}: {type_text}")
            params.append(f"{ident}: {type_text}" + ("" if required else " = nil"))
            assigns.append(f"            self.{ident} = {ident}")
        lines.append("        /// Creates the shape; optional members default to nil.")
        if params:
            lines.append(f"        public init({', '.join(params)}) {{")
            lines += assigns
            lines.append("        }")
        else:
            lines.append("        public init() {}")
        lines.append("    }")
        return "\n".join(lines)

    def operation(self, op):
        """The client's view of one operation: Swift names and types, retry rule, HTTP binding."""
        input_type = f"{self.namespace}.{swift_name(op.input_shape.name)}" if op.input_shape else "EmptyShape"
        output_type = f"{self.namespace}.{swift_name(op.output_shape.name)}" if op.output_shape else "EmptyShape"
        tokens = [m for m, s in (op.input_shape.members.items() if op.input_shape else [])
                  if s.metadata.get("idempotencyToken") or m in TOKEN_NAMES]
        if READ.match(op.name) or SETS.match(op.name):
            idempotent = "true"
        elif tokens:
            idempotent = " || ".join(f"input.{t} != nil" for t in tokens)
            # a required token is always present
            if all(t in op.input_shape.required_members for t in tokens):
                idempotent = "true"
        else:
            idempotent = "false"
        return Operation(op.name, lower_first(op.name), input_type, output_type, idempotent,
                         op.http.get("method", "POST"), op.http.get("requestUri", "/"))
