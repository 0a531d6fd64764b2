import Crypto
import Foundation

/// Body checksums S3 asks for.
public enum Checksums {
    /// Base64 MD5 (`Content-MD5`).
    public static func md5Base64(_ data: Data) -> String { Data(Insecure.MD5.hash(data: data)).base64EncodedString() }
    /// Base64 SHA-256 (`x-amz-checksum-sha256`).
    public static func sha256Base64(_ data: Data) -> String { Data(SHA256.hash(data: data)).base64EncodedString() }
}

/// Escapes text for an XML element body.
public enum XMLEscape {
    /// `&`, `<`, `>`, `"` and `'` as entities.
    public static func text(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }
}
