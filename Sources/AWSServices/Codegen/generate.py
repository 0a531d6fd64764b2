#!/usr/bin/env python3
"""Generates vend's Codable shapes and service clients for the JSON-protocol services
(Service Catalog, SSM, Glue, Lake Formation) from botocore's model (pinned in
scripts/requirements.txt), so member names, optionality and types are exactly AWS's.

Only the operations vend calls are generated (OPERATIONS below). Rules:
- every shape becomes a struct nested in the service's namespace enum, member names as AWS
  spells them; members required by the model are non-optional in shapes reached only from
  inputs; everything reachable from an output is optional (services omit members);
- an operation is retried (idempotent) when it reads (Describe/List/Search/Get/Scan), sets
  state (Update/Put/Associate/Disassociate/Accept/Reject/Delete/Modify), or carries an
  idempotency token (then only when the token is set).

Run: source scripts/lib/venv.sh && python Sources/AWSServices/Codegen/generate.py
"""
import re
from pathlib import Path

import botocore.session

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = {
    "servicecatalog": ("ServiceCatalog", "serviceCatalog", """
        CreatePortfolio DescribePortfolio ListPortfolios UpdatePortfolio DeletePortfolio
        CreateProduct DescribeProductAsAdmin SearchProductsAsAdmin DescribeProduct SearchProducts UpdateProduct DeleteProduct
        CreateProvisioningArtifact DescribeProvisioningArtifact ListProvisioningArtifacts UpdateProvisioningArtifact DeleteProvisioningArtifact
        AssociateProductWithPortfolio DisassociateProductFromPortfolio ListPortfoliosForProduct
        CreateConstraint DescribeConstraint ListConstraintsForPortfolio UpdateConstraint DeleteConstraint
        CreateTagOption ListTagOptions AssociateTagOptionWithResource DisassociateTagOptionFromResource ListResourcesForTagOption
        CreatePortfolioShare UpdatePortfolioShare DeletePortfolioShare DescribePortfolioShareStatus DescribePortfolioShares ListPortfolioAccess
        AcceptPortfolioShare RejectPortfolioShare ListAcceptedPortfolioShares
        AssociatePrincipalWithPortfolio DisassociatePrincipalFromPortfolio ListPrincipalsForPortfolio
        ListLaunchPaths DescribeProvisioningParameters
        ProvisionProduct UpdateProvisionedProduct TerminateProvisionedProduct
        DescribeRecord ListRecordHistory SearchProvisionedProducts ScanProvisionedProducts DescribeProvisionedProduct GetProvisionedProductOutputs
        CreateServiceAction DescribeServiceAction ListServiceActions UpdateServiceAction DeleteServiceAction
        AssociateServiceActionWithProvisioningArtifact DisassociateServiceActionFromProvisioningArtifact ListServiceActionsForProvisioningArtifact
        ListProvisionedProductPlans ExecuteProvisionedProductServiceAction DescribeServiceActionExecutionParameters
    """),
    "ssm": ("SSM", "ssm", """
        CreateDocument UpdateDocument DescribeDocument GetDocument ListDocuments UpdateDocumentDefaultVersion DeleteDocument
        ModifyDocumentPermission DescribeDocumentPermission
        StartAutomationExecution GetAutomationExecution DescribeAutomationExecutions StopAutomationExecution
        GetParameter
    """),
    "glue": ("Glue", "glue", """
        GetDatabase GetDatabases GetTable GetTables GetCrawler GetCrawlers GetResourcePolicy
    """),
    "lakeformation": ("LakeFormation", "lakeFormation", """
        GetDataLakeSettings ListPermissions ListLFTags GetLFTag GetResourceLFTags ListResources DescribeResource
    """),
}
KEYWORDS = {"Type", "Protocol", "Self", "default", "internal", "operator", "public", "private", "static", "class",
            "struct", "enum", "func", "var", "let", "in", "is", "as", "if", "else", "for", "while", "return", "self",
            "init", "deinit", "subscript", "extension", "import", "true", "false", "nil", "where", "case", "switch", "repeat", "do"}
RENAMED_SHAPES = {"Type": "TypeValue", "Error": "ErrorDetail", "Date": "DateValue", "Data": "DataValue", "Result": "ResultValue",
                  "Protocol": "ProtocolValue", "Tag": "Tag"}
READ = re.compile(r"^(Describe|List|Search|Get|Scan)")
SETS = re.compile(r"^(Update|Put|Associate|Disassociate|Accept|Reject|Delete|Modify|Stop)")
TOKEN_NAMES = {"IdempotencyToken", "ProvisionToken", "UpdateToken", "TerminateToken", "ExecuteToken", "ClientToken", "ClientRequestToken"}


def swift_name(shape_name):
    return RENAMED_SHAPES.get(shape_name, shape_name)


def lower_first(name):
    match = re.match(r"^[A-Z]+(?=[A-Z][a-z]|$)", name)
    if match and len(match.group(0)) > 1:
        return match.group(0).lower() + name[len(match.group(0)):]
    return name[0].lower() + name[1:]


def member_ident(name):
    return f"`{name}`" if name in KEYWORDS else name


class Generator:
    def __init__(self, model, namespace):
        self.model = model
        self.namespace = namespace
        self.structs = {}      # name -> shape
        self.output_reach = set()

    def walk(self, shape, from_output, stack=()):
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
        return op.name, lower_first(op.name), input_type, output_type, idempotent, op.http.get("method", "POST"), op.http.get("requestUri", "/")


def generate(service, namespace, info, names):
    model = botocore.session.get_session().get_service_model(service)
    gen = Generator(model, namespace)
    ops = [model.operation_model(n) for n in names.split()]
    for op in ops:
        if op.input_shape:
            gen.walk(op.input_shape, False)
    for op in ops:
        if op.output_shape:
            gen.walk(op.output_shape, True)
    header = f"// Generated by Sources/AWSServices/Codegen/generate.py from botocore {botocore.__version__}'s {service} model. Do not edit.\n"
    folder = ROOT / namespace
    folder.mkdir(exist_ok=True)
    for old in folder.glob(f"{namespace}Shapes*.swift"):
        old.unlink()
    # Files stay near 400 lines: shapes are written in alphabetical chunks.
    chunks, current, size = [], [], 0
    for name in sorted(gen.structs):
        text = gen.struct(gen.structs[name])
        lines = text.count("\n") + 2
        if current and size + lines > 380:
            chunks.append(current)
            current, size = [], 0
        current.append(text)
        size += lines
    if current:
        chunks.append(current)
    for index, chunk in enumerate(chunks, start=1):
        shapes = [header, "import Foundation", ""]
        if index == 1:
            shapes += [f"/// {namespace}'s request and response shapes, with AWS's member names.", f"public enum {namespace} {{}}", ""]
        shapes += [f"extension {namespace} {{", "\n\n".join(chunk), "}"]
        (folder / f"{namespace}Shapes{index}.swift").write_text("\n".join(shapes) + "\n")

    protocol = model.metadata["protocol"]
    rows = [gen.operation(op) for op in ops]
    client = [header, "import AWSCore", "import Foundation", "",
              f"/// The {model.metadata.get('serviceFullName', namespace)} calls vend makes.",
              f"public protocol {namespace}Client: Sendable {{"]
    for name, method, input_type, output_type, _, _, _ in rows:
        client.append(f"    /// {name}.")
        client.append(f"    func {method}(_ input: {input_type}) async throws -> {output_type}")
    client.append("}")
    (ROOT / namespace / f"{namespace}Client.swift").write_text("\n".join(client) + "\n")

    client = [header, "import AWSCore", "import Foundation", "",
               f"/// {namespace} over AWSCore.",
               f"public struct Live{namespace}Client: {namespace}Client {{",
               "    /// The service client.",
               "    public let service: AWSServiceClient", "",
               "    /// Creates the client for a session.",
               f"    public init(session: AWSSession) throws {{ service = try session.serviceClient(.{info}) }}",
               "    /// Creates the client over a service client.",
               "    public init(service: AWSServiceClient) { self.service = service }"]
    for name, method, input_type, output_type, idempotent, http_method, uri in rows:
        client.append("")
        client.append(f"    /// {name}.")
        client.append(f"    public func {method}(_ input: {input_type}) async throws -> {output_type} {{")
        if protocol == "json":
            client.append(f"        try await service.json(\"{name}\", input, idempotent: {idempotent})")
        else:
            client.append(f"        try await service.restJSON(\"{name}\", method: \"{http_method}\", path: \"{uri}\", body: input, idempotent: {idempotent})")
        client.append("    }")
    client.append("}")
    (ROOT / namespace / f"Live{namespace}Client.swift").write_text("\n".join(client) + "\n")
    print(f"{namespace}: {len(rows)} operations, {len(gen.structs)} shapes")


if __name__ == "__main__":
    for service, (namespace, info, names) in OPERATIONS.items():
        generate(service, namespace, info, names)
