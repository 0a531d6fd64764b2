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
        let outcomes = Outcomes(count: products.count)
        DispatchQueue.concurrentPerform(iterations: products.count) { index in
            let definition = products[index].definition
            let name = BundleWriter.fileName(product: definition.name, version: definition.version.description)
            outcomes.set(index, Result {
                try BundleWriter.write(product: definition.name, version: definition.version.description, toolVersion: toolVersion,
                                       files: products[index].files, to: outDirectory.appendingPathComponent(name), mtime: mtime)
            })
        }
        return try products.indices.map { index in
            let result = try outcomes.get(index)
            progress("bundled \(products[index].definition.name) \(products[index].definition.version)")
            return result
        }
    }

    /// The bundles' results, each set by the thread that built it.
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<BundleWriter.Result, any Error>?]
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<BundleWriter.Result, any Error>) { lock.withLock { results[index] = result } }
        func get(_ index: Int) throws -> BundleWriter.Result {
            guard let result = lock.withLock({ results[index] }) else {
                throw ModelError("internal: bundle \(index) was not built — report this")
            }
            return try result.get()
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
