import Foundation

/// Timestamps as AWS writes them: ISO 8601 (with or without fractional seconds) in XML
/// and JSON, RFC 7231 in S3 headers.
public enum AWSTimestamp {
    /// Parses any of AWS's formats; nil when none matches.
    public static func parse(_ text: String) -> Date? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return Date(timeIntervalSince1970: seconds) }
        // Python services write microseconds and `+00:00`; ISO8601DateFormatter wants at most milliseconds.
        let characters = Array(trimmed)
        let isISO = characters.count >= 19 && characters[10] == "T" && characters[0].isNumber
        if isISO, let dot = trimmed.firstIndex(of: ".") {
            let digits = trimmed[trimmed.index(after: dot)...].prefix { $0.isNumber }
            let rest = trimmed[trimmed.index(after: dot)...].dropFirst(digits.count)
            trimmed = String(trimmed[..<dot]) + "." + String(digits.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0) + rest
        }
        if isISO, !trimmed.hasSuffix("Z"), !trimmed.dropFirst(10).contains("+"), !trimmed.dropFirst(10).contains("-") {
            trimmed += "Z"  // a naive ISO time is UTC in AWS's answers
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: trimmed) { return date }
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: trimmed) { return date }
        let http = DateFormatter()
        http.locale = Locale(identifier: "en_US_POSIX")
        http.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ssZZZZZ"] {
            http.dateFormat = format
            if let date = http.date(from: trimmed) { return date }
        }
        return nil
    }

    /// `2026-01-02T03:04:05Z`.
    public static func iso8601(_ date: Date) -> String {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        return iso.string(from: date)
    }
}
