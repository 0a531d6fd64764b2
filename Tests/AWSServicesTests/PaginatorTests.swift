import AWSServices
import Testing

/// Following page tokens: to the last page, within a budget, and past a repeated token.
@Suite struct PaginatorTests {
    /// A listing of `count` items, `size` a page, with the page's start as its token.
    static func pages(_ count: Int, size: Int = 2) -> (String?) -> (items: [Int], next: String?) {
        { token in
            let start = Int(token ?? "0") ?? 0
            let end = min(start + size, count)
            return (Array(start..<end), end < count ? String(end) : nil)
        }
    }

    @Test("collect follows every token; collect(within:) answers nil when the listing has more pages than its budget")
    func budget() async throws {
        #expect(try await Paginator.collect(Self.pages(5)) == [0, 1, 2, 3, 4])
        #expect(try await Paginator.collect(within: 3, Self.pages(6)) == [0, 1, 2, 3, 4, 5])
        #expect(try await Paginator.collect(within: 2, Self.pages(6)) == nil)
        #expect(try await Paginator.collect(within: 1, Self.pages(0)) == [])
        #expect(try await Paginator.collect(maxPages: 2, Self.pages(6)) == [0, 1, 2, 3])
    }

    @Test("a token answered twice in a row ends the listing")
    func repeatedToken() async throws {
        #expect(try await Paginator.collect(within: 5) { _ in ([1], "same") } == [1, 1])
    }
}
