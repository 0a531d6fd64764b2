import Foundation
import VendBundle
import VendModel

/// Turns the workspace's products into bundles: `<product>-<version>.tar.gz` per product.
public enum ProductBundler {
    /// Builds one bundle per product into `outDirectory`, in name order.
    /// `mtime` stamps every entry (pass `SOURCE_DATE_EPOCH` when set); `progress` gets a line per product.
    public static func build(_ workspace: Workspace, into outDirectory: URL, toolVersion: String, mtime: Int = 0,
                             progress: (String) -> Void = { _ in }) throws -> [BundleWriter.Result] {
        try workspace.products.map { product in
            let definition = product.definition
            let name = BundleWriter.fileName(product: definition.name, version: definition.version.description)
            progress("bundling \(definition.name) \(definition.version)")
            return try BundleWriter.write(product: definition.name, version: definition.version.description, toolVersion: toolVersion,
                                          files: product.files, to: outDirectory.appendingPathComponent(name), mtime: mtime)
        }
    }

    /// The entry mtime from `SOURCE_DATE_EPOCH` in `environment`, or 0; a malformed value is an error.
    public static func mtime(environment: [String: String]) throws -> Int {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return 0 }
        guard let value = Int(text), value >= 0 else {
            throw ModelError("SOURCE_DATE_EPOCH is \"\(text)\": not a number of seconds since 1970 — unset it or set a whole number")
        }
        return value
    }
}
