import Foundation
import Testing
import VendModel

@Suite("Parallel.map")
struct ParallelTests {
    /// Uneven work (less for later indexes, so they often finish first), with a checkable answer.
    @Sendable static func work(_ index: Int) -> String {
        var sum = 0
        for step in 0..<((200 - index) * 500) { sum &+= step }
        return "\(index):\(sum % 7)"
    }

    @Test("answers every index's result in index order, however long each takes")
    func indexOrder() {
        #expect(Parallel.map(200, Self.work) == (0..<200).map(Self.work))
        #expect(Parallel.map(0) { $0 }.isEmpty)
        #expect(Parallel.map(1) { $0 + 41 } == [41])
    }
}
