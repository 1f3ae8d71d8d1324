import Fluent
import Foundation
import SQLKit
import Testing
@testable import Upward

/// Concurrent writers on SQLite take turns in the order they came, so a burst of requests never starves one of them
/// past the busy timeout (CI once saw "database is locked" on a loaded machine).
@Suite("Write transactions")
struct WriteTransactionTests {
    /// Records the order in which transactions committed.
    final class Order: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func append(_ value: Int) { lock.withLock { values.append(value) } }
        var all: [Int] { lock.withLock { values } }
    }

    @Test func sqlite_writers_commit_in_the_order_they_asked() async throws {
        guard !testingOnPostgres else { return }   // PostgreSQL locks rows, not the whole database
        try await withUpward { app in
            let order = Order()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for k in 0..<12 {
                    group.addTask {
                        // Each asks a little after the one before, while the first holds the database.
                        try await Task.sleep(for: .milliseconds(60 * k))
                        try await app.db.writeTransaction { db in
                            try await (db as! any SQLDatabase).raw("CREATE TABLE IF NOT EXISTS turns (k INTEGER)").run()
                            try await (db as! any SQLDatabase).raw("INSERT INTO turns (k) VALUES (\(bind: k))").run()
                            order.append(k)
                            if k == 0 { try await Task.sleep(for: .milliseconds(900)) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(order.all == Array(0..<12))
        }
    }

    @Test func a_writer_that_waits_too_long_goes_on_without_its_turn() async throws {
        let queue = SQLiteWriterQueue()
        #expect(await queue.enter(patience: .seconds(5)))
        // Nobody leaves meanwhile, so only its patience running out lets this one go on (without the turn).
        #expect(await queue.enter(patience: .milliseconds(50)) == false)
        await queue.leave()
        // The turn is free again once its holder leaves, and a waiter gets it when the holder leaves.
        #expect(await queue.enter(patience: .seconds(5)))
        async let waiter = queue.enter(patience: .seconds(5))
        try await Task.sleep(for: .milliseconds(20))
        await queue.leave()
        #expect(await waiter)
    }

    @Test func every_migration_reverts_and_applies_again() async throws {
        try await withUpward { app in
            try await UpwardApp.revertAll(app)
            #expect(try await Migrations.pending(in: app.db) == Migrations.all.count)
            #expect(try await UpwardApp.migrate(app) == Migrations.all.count)
            #expect(try await Migrations.pending(in: app.db) == 0)
        }
    }
}
