import CLibArchive
import Foundation

/// Writes deterministic `.tar.gz` bundles: the same files give the same bytes on every run.
///
/// Sorted entries (byte-wise UTF-8), pax_restricted format, fixed mtime, uid/gid 0, no owner
/// names, mode 0644, no directory entries, gzip level 9 without timestamp or name. Same bytes
/// need the same libarchive and zlib versions.
public enum BundleWriter {
    /// What was written.
    public struct Result: Sendable, Equatable {
        /// The manifest inside the bundle.
        public var manifest: BundleManifest
        /// Where it was written.
        public var path: String
        /// Size of the `.tar.gz` in bytes.
        public var size: Int
        /// SHA-256 (hex) of the `.tar.gz` bytes.
        public var archiveSHA256: String
    }

    /// The bundle file name for a product version.
    public static func fileName(product: String, version: String) -> String { "\(product)-\(version).tar.gz" }

    /// Writes `files` plus a generated `manifest.json` to `destination`, atomically (a temporary
    /// file renamed into place), so a crash never leaves a half-written bundle under the real name.
    /// `mtime` is the timestamp of every entry (e.g. `SOURCE_DATE_EPOCH`).
    public static func write(product: String, version: String, toolVersion: String, files: [String: Data],
                             to destination: URL, mtime: Int = 0) throws -> Result {
        for path in files.keys {
            if let problem = BundlePath.problem(path) {
                throw BundleError(.unsafePath, "cannot bundle \"\(path)\" of \(product): it has \(problem) — name files by plain relative paths")
            }
        }
        guard files[BundleManifest.entryName] == nil else {
            throw BundleError(.duplicate, "cannot bundle \(product): \"\(BundleManifest.entryName)\" is reserved for the manifest — rename that file")
        }
        let manifest = BundleManifest(product: product, version: version, toolVersion: toolVersion, files: files)
        var entries = files
        entries[BundleManifest.entryName] = try manifest.encoded()

        let directory = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BundleError(.io, "cannot create \(directory.path): \(error.localizedDescription) — check the --out folder")
        }
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try writeArchive(entries, to: temporary.path, mtime: mtime)
        let data: Data
        do {
            data = try Data(contentsOf: temporary)
        } catch {
            throw BundleError(.io, "cannot read back \(temporary.path): \(error.localizedDescription) — check the folder's permissions and free space")
        }
        // rename(2) replaces an existing bundle atomically (FileManager.replaceItemAt fails on Linux).
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw BundleError(.io, "cannot write \(destination.path): \(reason) — check the folder's permissions and free space")
        }
        return Result(manifest: manifest, path: destination.path, size: data.count,
                      archiveSHA256: BundleManifest.hex(SHA256Hasher.hash(data)))
    }

    private static func writeArchive(_ entries: [String: Data], to path: String, mtime: Int) throws {
        try LibArchive.load()
        guard let archive = archive_write_new() else { throw BundleError(.archive, "libarchive could not allocate a writer") }
        defer { archive_write_free(archive) }
        func check(_ status: Int32, _ step: String) throws {
            guard status == ARCHIVE_OK else {
                let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
                throw BundleError(.archive, "cannot write bundle \(path) (\(step)): \(reason)")
            }
        }
        try check(archive_write_set_format_pax_restricted(archive), "format")
        try check(archive_write_add_filter_gzip(archive), "gzip filter")
        try check(archive_write_set_options(archive, "gzip:!timestamp,gzip:compression-level=9"), "gzip options")
        try check(archive_write_open_filename(archive, path), "open")
        for name in entries.keys.sorted(by: BundlePath.precedes) {
            let data = entries[name] ?? Data()
            guard let entry = archive_entry_new() else { throw BundleError(.archive, "libarchive could not allocate an entry") }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname_utf8(entry, name)
            archive_entry_set_size(entry, la_int64_t(data.count))
            archive_entry_set_filetype(entry, VEND_AE_IFREG)
            archive_entry_set_perm(entry, 0o644)
            archive_entry_set_mtime(entry, time_t(mtime), 0)
            archive_entry_set_uid(entry, 0)
            archive_entry_set_gid(entry, 0)
            try check(archive_write_header(archive, entry), "header of \(name)")
            if !data.isEmpty {
                let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                guard written == data.count else { try check(ARCHIVE_FATAL, "data of \(name)"); return }
            }
        }
        try check(archive_write_close(archive), "close")
    }
}
