extension Array where Element: Sendable {
    /// Maps every element at once, keeping the order; the first error cancels the rest.
    ///
    /// No bound here on purpose: the AWS client bounds the requests on the wire
    /// (`RequestSlots`), and a task that is waiting (a poll, a backoff) holds no slot, so
    /// bounding tasks as well would only leave the wire idle.
    func concurrentMap<Output: Sendable>(_ transform: @escaping @Sendable (Element) async throws -> Output) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            for (index, item) in enumerated() {
                group.addTask { (index, try await transform(item)) }
            }
            var outputs = [Output?](repeating: nil, count: count)
            for try await (index, output) in group { outputs[index] = output }
            return outputs.compactMap { $0 }
        }
    }
}
