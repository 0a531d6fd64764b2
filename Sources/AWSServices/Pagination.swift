/// Follows a service's page tokens until the last page.
public enum Paginator {
    /// Calls `fetch` with nil, then with each returned token, and concatenates the items.
    /// Stops after `maxPages` (a guard against a service that never stops paging).
    public static func collect<Item: Sendable>(maxPages: Int = 1000, _ fetch: (String?) async throws -> (items: [Item], next: String?)) async throws -> [Item] {
        var items: [Item] = []
        var token: String?
        for _ in 0..<maxPages {
            let page = try await fetch(token)
            items += page.items
            guard let next = page.next, !next.isEmpty, next != token else { return items }
            token = next
        }
        return items
    }
}
