import CLibArchive
import Foundation

/// Writes tar.gz files with arbitrary entries — links, devices, `..`, duplicates, lies — so the
/// reader's refusals can be tested against bundles vend itself would never write.
enum HostileArchive {
    enum Kind { case file, symlink(String), hardlink(String), directory, characterDevice, fifo }

    struct Entry {
        var path: String
        var kind: Kind = .file
        var data = Data()
        /// Declared size when it should differ from the data (a header that lies).
        var declaredSize: Int?
        /// The name as raw bytes, written as they are (not UTF-8, say); overrides `path`.
        var rawPath: [UInt8]?
    }

    struct Failure: Error { var message: String }

    static func write(_ entries: [Entry], to path: String, compressionLevel: Int = 6) throws {
        guard let archive = archive_write_new() else { throw Failure(message: "alloc") }
        defer { archive_write_free(archive) }
        archive_write_set_format_pax_restricted(archive)
        archive_write_add_filter_gzip(archive)
        archive_write_set_options(archive, "gzip:compression-level=\(compressionLevel)")
        guard archive_write_open_filename(archive, path) == ARCHIVE_OK else { throw Failure(message: "open") }
        for item in entries {
            guard let entry = archive_entry_new() else { throw Failure(message: "entry") }
            defer { archive_entry_free(entry) }
            if let raw = item.rawPath {
                (raw.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { archive_entry_copy_pathname(entry, $0.baseAddress) }
            } else {
                archive_entry_set_pathname_utf8(entry, item.path)
            }
            archive_entry_set_perm(entry, 0o644)
            switch item.kind {
            case .file:
                archive_entry_set_filetype(entry, VEND_AE_IFREG)
                archive_entry_set_size(entry, la_int64_t(item.declaredSize ?? item.data.count))
            case let .symlink(target):
                archive_entry_set_filetype(entry, VEND_AE_IFLNK)
                archive_entry_set_symlink(entry, target)
            case let .hardlink(target):
                archive_entry_set_filetype(entry, VEND_AE_IFREG)
                archive_entry_set_hardlink(entry, target)
            case .directory:
                archive_entry_set_filetype(entry, VEND_AE_IFDIR)
            case .characterDevice:
                archive_entry_set_filetype(entry, VEND_AE_IFCHR)
                archive_entry_set_rdev(entry, 0x0103)
            case .fifo:
                archive_entry_set_filetype(entry, VEND_AE_IFIFO)
            }
            // A name that is not UTF-8 is written with a warning (pax `hdrcharset=BINARY`): that is the point.
            let status = archive_write_header(archive, entry)
            guard status == ARCHIVE_OK || (status == ARCHIVE_WARN && item.rawPath != nil) else { throw Failure(message: "header \(item.path)") }
            if case .file = item.kind, !item.data.isEmpty {
                _ = item.data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else { throw Failure(message: "close") }
    }
}

/// Reads back a tar.gz's headers (for checking what the writer produced).
enum TarListing {
    struct Item { var path: String; var mode: Int; var uid: Int; var gid: Int; var mtime: Int; var size: Int; var uname: String }

    static func list(_ path: String) throws -> [Item] {
        guard let archive = archive_read_new() else { throw HostileArchive.Failure(message: "alloc") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_tar(archive)
        guard archive_read_open_filename(archive, path, 10240) == ARCHIVE_OK else { throw HostileArchive.Failure(message: "open") }
        var items: [Item] = []
        var entry: OpaquePointer?
        while archive_read_next_header(archive, &entry) == ARCHIVE_OK, let entry {
            items.append(Item(
                path: String(cString: archive_entry_pathname_utf8(entry)),
                mode: Int(archive_entry_perm(entry)),
                uid: Int(archive_entry_uid(entry)),
                gid: Int(archive_entry_gid(entry)),
                mtime: Int(archive_entry_mtime(entry)),
                size: Int(archive_entry_size(entry)),
                uname: archive_entry_uname(entry).map { String(cString: $0) } ?? ""
            ))
            archive_read_data_skip(archive)
        }
        return items
    }
}
