import Foundation
import FuzzSupport
import VendModel

// Input: six files separated by `%%%` lines — vend.yaml, product.yaml, template.yaml,
// launch-role-policy.json, actions/add-data-source.yaml, CHANGELOG.md — written into a
// scratch workspace and loaded with `Workspace.inspect`, the call behind `vend validate`
// (YAML, schema, files, template parameters, security gate, launch-role policy, TagOptions,
// action documents, changelog). The loader reads a folder, so the input becomes one.

private let workspace = fuzzDirectory("product")
private let productFiles = ["product.yaml", "template.yaml", "launch-role-policy.json", "actions/add-data-source.yaml", "CHANGELOG.md"]

/// The product's folder is named after its `name:` line when that is a plain name, so seeds
/// copied from products/ load as far as a real product does.
private func folderName(_ productYAML: Data) -> String {
    for line in String(decoding: productYAML.prefix(4096), as: UTF8.self).split(separator: "\n") where line.hasPrefix("name:") {
        let name = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
        if !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) { return name }
    }
    return "fuzz"
}

/// libFuzzer's callback for one input: errors are expected, a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let pointer else { return 0 }
    let parts = FuzzInput.split(FuzzInput.data(pointer, size), into: 6)
    let products = workspace.appendingPathComponent("products", isDirectory: true)
    try? FileManager.default.removeItem(at: products)
    let folder = products.appendingPathComponent(folderName(parts[1]), isDirectory: true)
    try? FileManager.default.createDirectory(at: folder.appendingPathComponent("actions"), withIntermediateDirectories: true)
    writeScratch(parts[0], to: workspace.appendingPathComponent("vend.yaml").path)
    for (name, data) in zip(productFiles, parts.dropFirst()) {
        writeScratch(data, to: folder.appendingPathComponent(name).path)
    }
    let (loaded, diagnostics) = Workspace.inspect(root: workspace)
    _ = diagnostics.map(\.description)
    _ = loaded?.products.count
    return 0
}

/// Hands the process to libFuzzer (see `runFuzzer`).
@main
struct Main {
    static func main() { runFuzzer(fuzzOne) }
}
