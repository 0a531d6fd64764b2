import CLibArchive

/// libarchive is loaded on first use (CLibArchive/vend_archive.c).
enum LibArchive {
    /// Loads it; throws a `BundleError` saying why and what to install when it cannot be loaded.
    static func load() throws {
        var buffer = [CChar](repeating: 0, count: 512)
        guard vend_archive_load(&buffer, buffer.count) == 0 else {
            throw BundleError(.archive, String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
}
