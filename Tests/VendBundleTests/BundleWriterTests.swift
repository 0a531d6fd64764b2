import Foundation
import Testing
import VendBundle
import VendEngine
import VendModel
import VendTestSupport

@Suite("Deterministic bundles")
struct BundleWriterTests {
    @Test("building twice, in different folders at different times, gives identical bytes")
    func byteIdentical() throws {
        let first = try TemporaryDirectory(), second = try TemporaryDirectory()
        defer { first.remove(); second.remove() }
        let workspace = try Workspace.load(root: Golden.repositoryRoot())
        let a = try ProductBundler.build(workspace, into: first.url, toolVersion: "0.0.0-test")
        Thread.sleep(forTimeInterval: 1.1) // a second apart, so any timestamp leak would change the bytes
        let b = try ProductBundler.build(workspace, into: second.url.appendingPathComponent("nested"), toolVersion: "0.0.0-test")
        #expect(a.count == workspace.products.count)
        for (left, right) in zip(a, b) {
            #expect(left.archiveSHA256 == right.archiveSHA256, "\(left.manifest.product) differs between builds")
            #expect(try Data(contentsOf: URL(fileURLWithPath: left.path)) == Data(contentsOf: URL(fileURLWithPath: right.path)))
        }
    }

    @Test("entries are sorted, owned by 0/0, mode 0644, stamped with the given mtime, and the manifest lists every file")
    func listingAndManifestGolden() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let workspace = try Workspace.load(root: Golden.repositoryRoot(), only: ["producer-registration"])
        let result = try #require(try ProductBundler.build(workspace, into: directory.url, toolVersion: "0.0.0-test").first)
        let listing = try TarListing.list(result.path)
        #expect(listing.map(\.path) == listing.map(\.path).sorted { BundlePath.precedes($0, $1) })
        #expect(listing.allSatisfy { $0.uid == 0 && $0.gid == 0 && $0.mode == 0o644 && $0.mtime == 0 && $0.uname.isEmpty })
        let text = listing.map { "\(String($0.mode, radix: 8)) \($0.uid)/\($0.gid) \($0.mtime) \($0.size) \($0.path)" }.joined(separator: "\n") + "\n"
        if let failure = Golden.check(text, named: "bundle-listing.txt") { Issue.record(Comment(rawValue: failure)) }
        let manifest = String(decoding: try result.manifest.encoded(), as: UTF8.self)
        if let failure = Golden.check(manifest, named: "bundle-manifest.json") { Issue.record(Comment(rawValue: failure)) }
    }

    @Test("the digest names the content: tool version does not change it, one byte of content does")
    func digestCoversContentOnly() throws {
        let files = ["product.yaml": Data("name: x\n".utf8), "template.yaml": Data("Resources: {}\n".utf8)]
        let a = BundleManifest(product: "x", version: "1.0.0", toolVersion: "1.0.0", files: files)
        let b = BundleManifest(product: "x", version: "1.0.0", toolVersion: "9.9.9", files: files)
        var changed = files
        changed["template.yaml"] = Data("Resources: {} \n".utf8)
        let c = BundleManifest(product: "x", version: "1.0.0", toolVersion: "1.0.0", files: changed)
        #expect(a.bundleDigest == b.bundleDigest)
        #expect(a.bundleDigest != c.bundleDigest)
        #expect(a.bundleDigest.hasPrefix("sha256:") && a.bundleDigest.count == 71)
    }

    @Test("a non-ASCII file name round-trips (libarchive needs a UTF-8 locale)")
    func unicodeNames() throws {
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("u.tar.gz")
        _ = try BundleWriter.write(product: "u", version: "1.0.0", toolVersion: "t", files: ["données/café.csv": Data("a\n".utf8)], to: target)
        let bundle = try BundleReader().read(target.path)
        #expect(bundle.files["données/café.csv"] == Data("a\n".utf8))
    }

    @Test("unsafe names are refused before anything is written")
    func writerRefusesUnsafeNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("bad.tar.gz")
        for name in ["../x", "/etc/passwd", "a//b", "manifest.json"] {
            #expect(throws: BundleError.self) {
                _ = try BundleWriter.write(product: "bad", version: "1.0.0", toolVersion: "t", files: [name: Data()], to: target)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }
}

@Suite("Rebuilding over existing bundles")
struct RebuildTests {
    @Test("a second build into the same folder replaces the bundles in place")
    func rebuildSameFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("demo-1.0.0.tar.gz")
        let first = try BundleWriter.write(product: "demo", version: "1.0.0", toolVersion: "t", files: ["a.txt": Data("one".utf8)], to: target)
        let second = try BundleWriter.write(product: "demo", version: "1.0.0", toolVersion: "t", files: ["a.txt": Data("two".utf8)], to: target)
        #expect(first.manifest.bundleDigest != second.manifest.bundleDigest)
        #expect(try BundleReader().read(target.path).files["a.txt"] == Data("two".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers == ["demo-1.0.0.tar.gz"], "no temporary file is left behind")
    }
}
