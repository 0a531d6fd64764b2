import Foundation

/// Checks an SSM Automation document against the format SSM accepts (schemaVersion 0.3):
/// typed parameters, known step actions with their required inputs, and `{{ }}` references
/// that resolve to a parameter, an earlier step's output or an automation variable.
public enum ActionDocumentCheck {
    /// Parameter types SSM Automation accepts.
    static let parameterTypes: Set<String> = ["String", "StringList", "Integer", "Boolean", "MapList", "StringMap"]
    /// Keys a parameter may have.
    static let parameterKeys: Set<String> = ["type", "description", "default", "allowedValues", "allowedPattern", "displayType", "minItems", "maxItems", "minChars", "maxChars"]
    /// Step actions SSM Automation defines.
    static let actions: Set<String> = [
        "aws:approve", "aws:assertAwsResourceProperty", "aws:branch", "aws:changeInstanceState", "aws:copyImage",
        "aws:createImage", "aws:createStack", "aws:createTags", "aws:deleteImage", "aws:deleteStack",
        "aws:executeAutomation", "aws:executeAwsApi", "aws:executeScript", "aws:executeStateMachine",
        "aws:invokeLambdaFunction", "aws:invokeWebhook", "aws:loop", "aws:pause", "aws:runCommand",
        "aws:runInstances", "aws:sleep", "aws:updateVariable", "aws:waitForAwsResourceProperty",
    ]
    /// Inputs each API-calling action requires.
    static let requiredInputs: [String: [String]] = [
        "aws:executeAwsApi": ["Service", "Api"],
        "aws:assertAwsResourceProperty": ["Service", "Api", "PropertySelector", "DesiredValues"],
        "aws:waitForAwsResourceProperty": ["Service", "Api", "PropertySelector", "DesiredValues"],
    ]
    /// Keys a step may have.
    static let stepKeys: Set<String> = ["name", "action", "inputs", "outputs", "description", "onFailure", "onCancel", "maxAttempts",
                                        "timeoutSeconds", "isEnd", "isCritical", "nextStep"]
    /// Variables every automation has.
    static let builtins: Set<String> = ["automation:EXECUTION_ID", "automation:AUTOMATION_EXECUTION_ID", "global:ACCOUNT_ID", "global:REGION",
                                        "global:DATE", "global:DATE_TIME", "global:AWS_PARTITION", "global:AWS_URL_SUFFIX"]
    /// Output types an `aws:executeAwsApi` output may declare.
    static let outputTypes: Set<String> = ["String", "Integer", "Boolean", "StringList", "StringMap", "MapList"]

    /// The names of the document's parameters, in order (used by the engine to build the service action).
    public static func parameterNames(_ document: YAMLNode) -> [String] {
        document["parameters"]?.pairs?.map(\.key) ?? []
    }

    /// IAM service prefixes the document's steps call (`Service: glue` → `glue`).
    public static func services(_ document: YAMLNode) -> Set<String> {
        Set((document["mainSteps"]?.items ?? []).compactMap { $0["inputs"]?["Service"]?.scalar?.lowercased() })
    }

    /// SSM reads documents as plain YAML: a CloudFormation tag such as `!Ref` is refused by
    /// CreateDocument at publish time, so it is reported here, where it is written.
    static func reportTags(_ node: YAMLNode, place: String, file: String, into collector: inout DiagnosticCollector) {
        if let tag = node.customTag {
            collector.error(file, place.isEmpty ? "(top level)" : place, "uses the CloudFormation tag \(tag), which SSM documents do not understand",
                            hint: "write a plain value, or {{ Parameter }} / {{ Step.Output }} to refer to one")
            return
        }
        switch node.kind {
        case .scalar: return
        case let .sequence(items):
            for (index, item) in items.enumerated() { reportTags(item, place: "\(place)[\(index)]", file: file, into: &collector) }
        case let .mapping(pairs):
            for pair in pairs { reportTags(pair.value, place: place.isEmpty ? pair.key : "\(place).\(pair.key)", file: file, into: &collector) }
        }
    }

    /// Records every problem of `document` (file `file`) into the collector.
    public static func check(_ document: YAMLNode, file: String, into collector: inout DiagnosticCollector) {
        guard document.pairs != nil else {
            collector.error(file, "", "is \(document.kindName), expected an SSM Automation document", hint: "start with schemaVersion: \"0.3\"")
            return
        }
        reportTags(document, place: "", file: file, into: &collector)
        let topKeys: Set<String> = ["schemaVersion", "description", "assumeRole", "parameters", "mainSteps", "outputs", "files"]
        for pair in document.pairs ?? [] where !topKeys.contains(pair.key) {
            collector.error(file, pair.key, "is not a field of an Automation document", hint: "remove it; allowed are \(topKeys.sorted().joined(separator: ", "))")
        }
        if document["schemaVersion"]?.scalar != "0.3" {
            collector.error(file, "schemaVersion", "is \(document["schemaVersion"]?.scalar.map { "\"\($0)\"" } ?? "missing"), Automation documents need \"0.3\"", hint: "write schemaVersion: \"0.3\"")
        }
        var known = builtins
        for pair in document["parameters"]?.pairs ?? [] {
            known.insert(pair.key)
            let place = "parameters.\(pair.key)"
            guard pair.value.pairs != nil else {
                collector.error(file, place, "is \(pair.value.kindName), expected a mapping with a type", hint: "write `type: String` under it")
                continue
            }
            if let type = pair.value["type"]?.scalar {
                if !parameterTypes.contains(type) {
                    collector.error(file, "\(place).type", "\"\(type)\" is not an Automation parameter type", hint: "use one of \(parameterTypes.sorted().joined(separator: ", "))")
                }
            } else {
                collector.error(file, "\(place).type", "is missing", hint: "give the parameter a type such as String")
            }
            for key in pair.value.pairs ?? [] where !parameterKeys.contains(key.key) {
                collector.error(file, "\(place).\(key.key)", "is not a parameter field", hint: "remove it")
            }
        }
        if document["parameters"] != nil && document["parameters"]?.pairs == nil {
            collector.error(file, "parameters", "is \(document["parameters"]?.kindName ?? "missing"), expected a mapping", hint: "write one entry per parameter name")
        }
        if let assumeRole = document["assumeRole"] { checkReferences(in: assumeRole, place: "assumeRole", known: known, file: file, into: &collector) }

        let steps = document["mainSteps"]?.items ?? []
        if steps.isEmpty {
            collector.error(file, "mainSteps", "is missing or empty", hint: "add at least one step")
        }
        var names: Set<String> = []
        for (index, step) in steps.enumerated() {
            let place = "mainSteps[\(index)]"
            let name = step["name"]?.scalar ?? ""
            if !name.matches(#"^[a-zA-Z0-9_]{1,128}$"#) {
                collector.error(file, "\(place).name", "\"\(name)\" is not a valid step name", hint: "use letters, digits and underscores")
            } else if !names.insert(name).inserted {
                collector.error(file, "\(place).name", "\"\(name)\" is used by two steps", hint: "give each step its own name")
            }
            for key in step.pairs ?? [] where !stepKeys.contains(key.key) {
                collector.error(file, "\(place).\(key.key)", "is not a step field", hint: "remove it")
            }
            let action = step["action"]?.scalar ?? ""
            if !actions.contains(action) {
                collector.error(file, "\(place).action", "\"\(action)\" is not an Automation action", hint: "use an action such as aws:executeAwsApi")
            }
            let inputs = step["inputs"]
            for required in requiredInputs[action] ?? [] where inputs?[required] == nil {
                collector.error(file, "\(place).inputs.\(required)", "is missing for \(action)", hint: "add \(required)")
            }
            if let inputs { checkReferences(in: inputs, place: "\(place).inputs", known: known, file: file, into: &collector) }
            for (outputIndex, output) in (step["outputs"]?.items ?? []).enumerated() {
                let outputPlace = "\(place).outputs[\(outputIndex)]"
                guard let outputName = output["Name"]?.scalar, output["Selector"]?.scalar != nil else {
                    collector.error(file, outputPlace, "needs Name and Selector", hint: "write Name, Selector ($.Path) and Type")
                    continue
                }
                if let type = output["Type"]?.scalar, !outputTypes.contains(type) {
                    collector.error(file, "\(outputPlace).Type", "\"\(type)\" is not an output type", hint: "use one of \(outputTypes.sorted().joined(separator: ", "))")
                }
                known.insert("\(name).\(outputName)")
            }
        }
        for (index, output) in (document["outputs"]?.items ?? []).enumerated() {
            if let reference = output.scalar, !known.contains(reference) {
                collector.error(file, "outputs[\(index)]", "\"\(reference)\" is not a step output", hint: "name an output declared by a step as Step.Output")
            }
        }
    }

    /// Every `{{ name }}` inside `node` must be known at that point.
    private static func checkReferences(in node: YAMLNode, place: String, known: Set<String>, file: String, into collector: inout DiagnosticCollector) {
        switch node.kind {
        case let .scalar(text):
            for reference in references(in: text) where !known.contains(reference) {
                collector.error(file, place, "{{ \(reference) }} is neither a parameter nor an earlier step's output", hint: "declare it under parameters or fix the name")
            }
        case let .sequence(items):
            for (index, item) in items.enumerated() { checkReferences(in: item, place: "\(place)[\(index)]", known: known, file: file, into: &collector) }
        case let .mapping(pairs):
            for pair in pairs { checkReferences(in: pair.value, place: "\(place).\(pair.key)", known: known, file: file, into: &collector) }
        }
    }

    /// The names referenced as `{{ name }}` in a string.
    static func references(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return result
    }
}
