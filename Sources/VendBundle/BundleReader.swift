import CLibArchive
import Foundation

/// Reads a bundle into memory and verifies it. Never writes anything: callers get bytes and
/// decide where they go, so a hostile bundle cannot reach outside a destination.
///
/// Refuses: formats other than gzip'd tar, absolute paths, `..`, links of any kind, device
/// files and FIFOs, duplicate names, non-UTF-8 names, entries or totals over the limits
/// (gzip bombs), and any disagreement with `manifest.json`.
public struct BundleReader: Sendable {
    /// Size bounds checked while reading.
    public struct Limits: Sendable {
        /// Largest single entry.
        public var maxEntryBytes: Int
        /// Largest sum of all entries (after decompression).
        public var maxTotalBytes: Int
        /// Most entries.
        public var maxEntries: Int

        /// Defaults: product files are small; CloudFormation's own template limit is 1 MB.
        public static let standard = Limits(maxEntryBytes: 4 << 20, maxTotalBytes: 16 << 20, maxEntries: 512)

        /// Creates limits.
        public init(maxEntryBytes: Int, maxTotalBytes: Int, maxEntries: Int) {
            self.maxEntryBytes = maxEntryBytes
            self.maxTotalBytes = maxTotalBytes
            self.maxEntries = maxEntries
        }
    }

    /// A bundle read and verified.
    public struct Bundle: Sendable {
        /// The verified manifest.
        public var manifest: BundleManifest
        /// Every file except the manifest, by path.
        public var files: [String: Data]
        /// Entry names in archive order (manifest included).
        public var entryOrder: [String]
    }

    /// The limits applied.
    public var limits: Limits

    /// Creates a reader with limits.
    public init(limits: Limits = .standard) { self.limits = limits }

    /// Reads and verifies the bundle at `path`.
    public func read(_ path: String) throws -> Bundle {
        let (entries, order) = try readEntries(path)
        return try verify(entries, order: order, name: path)
    }

    /// Reads the raw entries, enforcing every path, type and size rule.
    func readEntries(_ path: String) throws -> ([String: Data], [String]) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw BundleError(.io, "cannot read bundle \(path): no such readable file — check the path")
        }
        try LibArchive.load()
        guard let archive = archive_read_new() else { throw BundleError(.archive, "libarchive could not allocate a reader") }
        defer { archive_read_free(archive) }
        // Only gzip and tar: `support_*_all` would also accept zip, 7z, xz and others.
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_tar(archive)
        func failure(_ step: String) -> BundleError {
            let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
            return BundleError(.archive, "cannot read bundle \(path) (\(step)): \(reason) — the file is damaged or not a vend bundle; rebuild it with `vend build`")
        }
        guard archive_read_open_filename(archive, path, 64 * 1024) == ARCHIVE_OK else { throw failure("open") }

        var entries: [String: Data] = [:]
        var order: [String] = []
        var total = 0
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK, let entry else { throw failure("header") }
            guard let rawName = archive_entry_pathname_utf8(entry) else {
                throw BundleError(.encoding, "bundle \(path) holds an entry whose name is not UTF-8 — it was not written by vend; rebuild it")
            }
            let name = String(cString: rawName)
            let type = UInt32(archive_entry_filetype(entry))
            if archive_entry_hardlink(entry) != nil || type == VEND_AE_IFLNK {
                throw BundleError(.link, "bundle \(path) holds a link \"\(name)\": bundles hold regular files only — rebuild it with `vend build`")
            }
            if type == VEND_AE_IFDIR {
                if let problem = BundlePath.problem(String(name.dropLast(name.hasSuffix("/") ? 1 : 0))) {
                    throw BundleError(.unsafePath, "bundle \(path) holds a folder \"\(name)\" with \(problem) — refusing it")
                }
                continue
            }
            guard type == VEND_AE_IFREG else {
                throw BundleError(.notRegularFile, "bundle \(path) holds \"\(name)\", which is not a regular file (a device, FIFO or socket) — refusing it")
            }
            if let problem = BundlePath.problem(name) {
                throw BundleError(.unsafePath, "bundle \(path) holds \"\(name)\" with \(problem) — refusing it; bundles hold plain relative paths")
            }
            guard entries[name] == nil else {
                throw BundleError(.duplicate, "bundle \(path) holds \"\(name)\" twice — refusing it, since either copy could be the one used")
            }
            guard order.count < limits.maxEntries else {
                throw BundleError(.tooLarge, "bundle \(path) holds more than \(limits.maxEntries) entries — refusing it")
            }
            let declared = Int(archive_entry_size(entry))
            guard declared <= limits.maxEntryBytes else {
                throw BundleError(.tooLarge, "bundle \(path): \"\(name)\" is \(declared) bytes, over the \(limits.maxEntryBytes)-byte limit — refusing it")
            }
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                if count == 0 { break }
                guard count > 0 else { throw failure("data of \(name)") }
                data.append(contentsOf: buffer[0..<count])
                total += count
                // Counted on decompressed bytes as they arrive, so a gzip bomb stops at the bound.
                guard data.count <= limits.maxEntryBytes, total <= limits.maxTotalBytes else {
                    throw BundleError(.tooLarge, "bundle \(path) expands past its size bound (\(limits.maxTotalBytes) bytes in all, \(limits.maxEntryBytes) per file) — refusing it")
                }
            }
            entries[name] = data
            order.append(name)
        }
        return (entries, order)
    }

    /// Checks the manifest against the entries: every file listed, nothing extra, every hash and size, the digest.
    func verify(_ entries: [String: Data], order: [String], name: String) throws -> Bundle {
        guard let manifestData = entries[BundleManifest.entryName] else {
            throw BundleError(.manifest, "bundle \(name) has no \(BundleManifest.entryName) — it was not written by vend; rebuild it with `vend build`")
        }
        let manifest: BundleManifest
        do {
            manifest = try JSONDecoder().decode(BundleManifest.self, from: manifestData)
        } catch {
            throw BundleError(.manifest, "bundle \(name): \(BundleManifest.entryName) is not a valid manifest (\(error)) — rebuild the bundle")
        }
        guard manifest.format == BundleManifest.currentFormat else {
            throw BundleError(.manifest, "bundle \(name) has manifest format \(manifest.format); this vend reads format \(BundleManifest.currentFormat) — use a matching vend version")
        }
        var files = entries
        files[BundleManifest.entryName] = nil
        let listed = Set(manifest.files.map(\.path))
        if listed.count != manifest.files.count {
            throw BundleError(.manifest, "bundle \(name): the manifest lists a file twice — rebuild the bundle")
        }
        for extra in files.keys.sorted() where !listed.contains(extra) {
            throw BundleError(.mismatch, "bundle \(name) holds \"\(extra)\", which its manifest does not list — the bundle was altered; rebuild it")
        }
        for file in manifest.files {
            guard let data = files[file.path] else {
                throw BundleError(.mismatch, "bundle \(name): the manifest lists \"\(file.path)\", which the bundle does not hold — the bundle was altered; rebuild it")
            }
            let actual = SHA256Hasher.hex(data)
            guard actual == file.sha256, data.count == file.size else {
                throw BundleError(.mismatch, "bundle \(name): \"\(file.path)\" has SHA-256 \(actual) (\(data.count) bytes) but the manifest says \(file.sha256) (\(file.size) bytes) — the bundle was altered; rebuild it")
            }
        }
        let digest = BundleManifest.digest(of: manifest.files)
        guard digest == manifest.bundleDigest else {
            throw BundleError(.mismatch, "bundle \(name): its digest is \(digest) but the manifest says \(manifest.bundleDigest) — the manifest was altered; rebuild the bundle")
        }
        return Bundle(manifest: manifest, files: files, entryOrder: order)
    }
}
