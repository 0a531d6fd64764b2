import Foundation
import VendBundle
import VendModel

/// Turns the workspace's products into bundles: `<product>-<version>.tar.gz` per product.
public enum ProductBundler {
    /// Builds one bundle per product into `outDirectory`, answered in name order; products are
    /// compressed on every core at once (each bundle is its own file and libarchive handle).
    /// `mtime` stamps every entry (pass `SOURCE_DATE_EPOCH` when set); `progress` gets a line
    /// per product, in name order, once all are built. The first failure in name order is thrown.
    public static func build(_ workspace: Workspace, into outDirectory: URL, toolVersion: String, mtime: Int = 0,
                             progress: (String) -> Void = { _ in }) throws -> [BundleWriter.Result] {
        let products = workspace.products
        let outcomes = Parallel.map(products.count) { index in
            let definition = products[index].definition
            let name = BundleWriter.fileName(product: definition.name, version: definition.version.description)
            return Result {
                try BundleWriter.write(product: definition.name, version: definition.version.description, toolVersion: toolVersion,
                                       files: products[index].files, to: outDirectory.appendingPathComponent(name), mtime: mtime)
            }
        }
        return try products.indices.map { index in
            let result = try outcomes[index].get()
            progress("bundled \(products[index].definition.name) \(products[index].definition.version)")
            return result
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
