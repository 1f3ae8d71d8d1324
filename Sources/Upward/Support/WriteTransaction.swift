import Fluent
import FluentSQLiteDriver
import PostgresNIO
import SQLKit
import Vapor

extension Database {
    /// Runs `body` in a transaction that writes, so that concurrent writers wait their turn instead of failing.
    ///
    /// - SQLite: `BEGIN IMMEDIATE` takes the write lock up front. A deferred transaction that reads and then
    ///   writes fails at once with "database is locked" when another connection wrote in between, and no busy
    ///   handler helps it; an immediate one waits (up to the busy timeout) and then sees the latest data.
    /// - PostgreSQL: a serialization failure or a deadlock rolls the transaction back; it runs again, a few times.
    ///
    /// Fluent's own `transaction` on SQLite always begins a deferred transaction, so this one drives the
    /// connection itself. A nested call joins the transaction it is in.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if WriteTransaction.isOpen || inTransaction { return try await body(self) }
        if let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" {
            // Writers of this process take turns in arrival order; SQLite's busy handler (which polls, and may let a
            // newcomer in before one that has waited long) then only arbitrates between processes.
            let writers = (context.configuration as? SQLiteWriterQueue.Configuration)?.writers
            let hasTurn = await writers?.enter(patience: WriteTransaction.queuePatience) ?? false
            do {
                let result = try await sqliteImmediateTransaction(body)
                if hasTurn { await writers?.leave() }
                return result
            } catch {
                if hasTurn { await writers?.leave() }
                throw error
            }
        }
        var attempt = 1
        while true {
            do {
                return try await transaction { db in try await WriteTransaction.$isOpen.withValue(true) { try await body(db) } }
            } catch where attempt < WriteTransaction.attempts && WriteTransaction.isRetryable(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...40) * attempt))
            }
        }
    }

    /// `BEGIN IMMEDIATE` … `COMMIT` on one connection, rolled back when `body` throws.
    private func sqliteImmediateTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await withConnection { connection in
            let sql = try connection.requireSQL()
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(WriteTransaction.sqliteBusyTimeoutMilliseconds))").run()
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await WriteTransaction.$isOpen.withValue(true) { try await body(connection) }
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

extension Database {
    /// This database as SQLKit sees it. Both drivers Upward runs on are SQL databases; a driver that is not
    /// fails the request with a message instead of skipping work.
    func requireSQL() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "Upward needs an SQL database (SQLite or PostgreSQL).")
        }
        return sql
    }
}

extension Database {
    /// Inside a write transaction: makes concurrent writers that touch the same programme (or other row) take
    /// turns, so a check such as "a place is free" stays true until this transaction commits. PostgreSQL locks the
    /// row (`SELECT … FOR UPDATE`); on SQLite `BEGIN IMMEDIATE` already lets one writer in at a time.
    func lockForWriting(_ schema: String, id: UUID) async throws {
        let sql = try requireSQL()
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("SELECT id FROM \(ident: schema) WHERE id = \(bind: id) FOR UPDATE").run()
    }
}

enum WriteTransaction {
    /// Set while a write transaction runs in this task, so a nested call joins it.
    @TaskLocal static var isOpen = false
    static let attempts = 5
    static let sqliteBusyTimeoutMilliseconds = 30_000
    /// How long a writer waits for its turn in this process before it goes on and lets SQLite's busy timeout decide:
    /// a transaction that waits on another one's write cannot then hang for ever.
    static let queuePatience: Duration = .seconds(30)

    /// PostgreSQL's serialization failure (40001) and deadlock (40P01): the transaction may simply run again.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, let code = psql.serverInfo?[.sqlState] else { return false }
        return code == "40001" || code == "40P01"
    }
}

extension Model where IDValue == UUID {
    /// The row with this id, or a 404 that says what is missing: never a trap when a row went away meanwhile.
    static func require(_ id: UUID?, on database: any Database, _ missing: String) async throws -> Self {
        guard let id, let row = try await find(id, on: database) else { throw Abort(.notFound, reason: missing) }
        return row
    }
}

/// The writers of one SQLite database in this process, served one at a time in the order they arrived.
///
/// Written here because neither SQLiteNIO nor the packages available provide a fair async lock. SQLite admits one
/// writer at a time anyway; queueing them here keeps a burst of concurrent requests from starving one of them past the
/// busy timeout (each waiter polls the lock, and the newest may win it).
actor SQLiteWriterQueue {
    /// A SQLite database configuration that carries its queue; `configure` registers the database with it.
    struct Configuration: DatabaseConfiguration {
        var base: any DatabaseConfiguration
        let writers = SQLiteWriterQueue()
        var middleware: [any AnyModelMiddleware] {
            get { base.middleware }
            set { base.middleware = newValue }
        }
        func makeDriver(for databases: Databases) -> any DatabaseDriver { base.makeDriver(for: databases) }
    }

    private var held = false
    private var order: [UInt64] = []
    private var waiting: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    private var timers: [UInt64: Task<Void, Never>] = [:]
    private var nextTicket: UInt64 = 0

    /// Waits for this caller's turn: true when it has the turn (and must `leave`), false when it waited `patience`
    /// and goes on without it.
    func enter(patience: Duration) async -> Bool {
        if !held {
            held = true
            return true
        }
        let ticket = nextTicket
        nextTicket += 1
        return await withCheckedContinuation { continuation in
            waiting[ticket] = continuation
            order.append(ticket)
            timers[ticket] = Task { [weak self] in
                try? await Task.sleep(for: patience)
                guard !Task.isCancelled else { return }
                await self?.giveUp(ticket)
            }
        }
    }

    /// Hands the turn to the longest waiting writer, or frees it.
    func leave() {
        while !order.isEmpty {
            let ticket = order.removeFirst()
            timers.removeValue(forKey: ticket)?.cancel()
            if let next = waiting.removeValue(forKey: ticket) {
                next.resume(returning: true)
                return
            }
        }
        held = false
    }

    private func giveUp(_ ticket: UInt64) {
        timers.removeValue(forKey: ticket)
        waiting.removeValue(forKey: ticket)?.resume(returning: false)
    }
}
