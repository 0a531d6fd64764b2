import AWSServices
import Foundation
import VendBundle

/// `vend verify s3://…`: a published bundle is the provenance record of its version. It is
/// downloaded, verified like a local bundle, and its digest compared with the live version's.
public enum RemoteBundle {
    /// Splits `s3://bucket/key`; nil for anything else.
    public static func parse(_ url: String) -> (bucket: String, key: String)? {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex else { return nil }
        return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
    }

    /// Downloads the object, verifies it as a bundle, and checks its digest against the live
    /// version of the same product and version. Returns the manifest and the live version id.
    public static func verify(_ url: String, environment: PublishEnvironment) async throws -> (manifest: BundleManifest, versionId: String) {
        guard let (bucket, key) = parse(url) else {
            throw PublishError.notAnS3URL(url)
        }
        let body = try await environment.s3.getObject(bucket: bucket, key: key, versionId: nil).body
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vend-verify-\(UUID().uuidString).tar.gz")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try body.write(to: file)
        } catch {
            throw PublishError.cannotStage(path: file.path, url: url, why: error.localizedDescription)
        }
        let manifest = try BundleReader().read(file.path).manifest
        let catalog = environment.serviceCatalog
        guard let productId = try await catalog.allProductsAsAdmin(portfolioId: nil)
            .first(where: { $0.ProductViewSummary?.Name == manifest.product })?.ProductViewSummary?.ProductId else {
            throw PublishError.notPublished(url: url, product: manifest.product, version: manifest.version, productExists: false)
        }
        let versions = try await catalog.listProvisioningArtifacts(.init(ProductId: productId)).ProvisioningArtifactDetails ?? []
        guard let version = versions.first(where: { $0.Name == manifest.version }), let versionId = version.Id else {
            throw PublishError.notPublished(url: url, product: manifest.product, version: manifest.version, productExists: true)
        }
        let live = CatalogReader.digest(in: version.Description)
        guard live == manifest.bundleDigest else {
            throw PublishError.digestMismatch(url: url, product: manifest.product, version: manifest.version, versionId: versionId, bundle: manifest.bundleDigest, live: live)
        }
        return (manifest, versionId)
    }
}
