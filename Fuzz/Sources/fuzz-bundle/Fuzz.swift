import Foundation
import FuzzSupport
import VendBundle

// Input: the bytes of a bundle, read and verified with `BundleReader().read`, the call
// behind `vend inspect` and `vend verify` (libarchive's gzip and tar readers, every path,
// type and size rule, the manifest, every hash and the digest). Plain tar is accepted
// too (libarchive's uncompressed filter is always on), which lets mutations reach the tar
// headers and the manifest instead of breaking the gzip checksum; seeds include both.
// Small limits make size-bound refusals reachable with small inputs.

private let path = fuzzDirectory("bundle").appendingPathComponent("input.tar.gz").path
private let reader = BundleReader(limits: BundleReader.Limits(maxEntryBytes: 64 << 10, maxTotalBytes: 256 << 10, maxEntries: 64))

/// libFuzzer's callback for one input: errors are expected, a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let pointer else { return 0 }
    writeScratch(FuzzInput.data(pointer, size), to: path)
    do {
        let bundle = try reader.read(path)
        _ = bundle.manifest.bundleDigest
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// Hands the process to libFuzzer (see `runFuzzer`).
@main
struct Main {
    static func main() { runFuzzer(fuzzOne) }
}
