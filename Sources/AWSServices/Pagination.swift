/// Follows a service's page tokens until the last page.
public enum Paginator {
    /// Calls `fetch` with nil, then with each returned token, and concatenates the items.
    /// Stops after `maxPages` (a guard against a service that never stops paging).
    public static func collect<Item: Sendable>(maxPages: Int = 1000, _ fetch: (String?) async throws -> (items: [Item], next: String?)) async throws -> [Item] {
        try await follow(pages: maxPages, fetch).items
    }

    /// As `collect`, but nil when the listing has more than `pageBudget` pages: for a caller
    /// with a cheaper way to the same answer once a listing runs long.
    public static func collect<Item: Sendable>(within pageBudget: Int, _ fetch: (String?) async throws -> (items: [Item], next: String?)) async throws -> [Item]? {
        let listing = try await follow(pages: pageBudget, fetch)
        return listing.complete ? listing.items : nil
    }

    /// Up to `pages` pages' items, and whether the last page was reached.
    static func follow<Item: Sendable>(pages: Int, _ fetch: (String?) async throws -> (items: [Item], next: String?)) async throws -> (items: [Item], complete: Bool) {
        var items: [Item] = []
        var token: String?
        for _ in 0..<pages {
            let page = try await fetch(token)
            items += page.items
            guard let next = page.next, !next.isEmpty, next != token else { return (items, true) }
            token = next
        }
        return (items, false)
    }
}
