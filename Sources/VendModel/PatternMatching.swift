import Foundation

/// Compiled regular expressions, kept for reuse: compiling one per check was a visible part of
/// validating hundreds of products.
final class PatternCache: @unchecked Sendable {
    static let shared = PatternCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    /// The compiled pattern, or nil if it is not a valid regular expression.
    func expression(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let expression = compiled[pattern] { return expression }
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled[pattern] = expression
        return expression
    }
}

extension String {
    /// Whether the regular expression `pattern` matches somewhere in the string (anchor it with ^…$ to match all).
    func matches(_ pattern: String) -> Bool {
        guard let expression = PatternCache.shared.expression(pattern) else { return false }
        return expression.firstMatch(in: self, range: NSRange(startIndex..., in: self)) != nil
    }
}
