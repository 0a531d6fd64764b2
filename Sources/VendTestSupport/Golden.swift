import Foundation

/// Golden files: expected output kept under `Tests/Goldens/`, compared byte for byte.
/// Run the tests with `VEND_RECORD_GOLDENS=1` to re-record them, then review the diff.
public enum Golden {
    /// The repository root, found from this source file's location.
    public static func repositoryRoot(file: StaticString = #filePath) -> URL {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Compares `actual` with the golden file `name`; returns a failure message or nil.
    /// When recording, writes the file and returns nil.
    public static func check(_ actual: String, named name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let url = repositoryRoot().appendingPathComponent("Tests/Goldens/\(name)")
        if environment["VEND_RECORD_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                try Data(actual.utf8).write(to: url)
            } catch {
                return "could not record golden \(name): \(error)"
            }
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "golden file Tests/Goldens/\(name) is missing — run the tests with VEND_RECORD_GOLDENS=1 to record it"
        }
        guard expected != actual else { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let index = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expectedLines.count, actualLines.count)
        let want = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
        let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
        return "output differs from golden Tests/Goldens/\(name) at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)\n(re-record with VEND_RECORD_GOLDENS=1 if the change is intended)"
    }
}
