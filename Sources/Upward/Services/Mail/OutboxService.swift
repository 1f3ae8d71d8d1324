import Fluent
import Foundation
import Vapor

/// The admins' view of the outbox: messages by state, searched and paged in the database; retry or cancel one.
struct OutboxService {
    let database: any Database
    var clock: UpwardClock = .system

    static let perPage = 50

    struct Filter: Sendable, Equatable {
        var status: OutboxStatus?
        /// Part of the recipient or the subject (as written: PostgreSQL compares letter case, SQLite does not).
        var text: String?
    }

    /// A page of messages, newest first, and how many match.
    func page(_ filter: Filter, page: Int, per: Int) async throws -> (messages: [OutboxMessage], total: Int) {
        var query = OutboxMessage.query(on: database)
        if let status = filter.status { query = query.filter(\.$status == status) }
        // `%` and `_` are dropped, as in the directory's search, because LIKE would read them as wildcards.
        if let text = filter.text?.trimmed.filter({ $0 != "%" && $0 != "_" }), !text.isEmpty {
            query = query.group(.or) { $0.filter(\.$recipient ~~ text).filter(\.$subject ~~ text) }
        }
        let total = try await query.copy().count()
        let messages = try await query.sort(\.$createdAt, .descending).range(((page - 1) * per)..<(page * per)).all()
        return (messages, total)
    }

    /// How many messages are in each state: one grouped query.
    func counts() async throws -> [OutboxStatus: Int] {
        var out: [OutboxStatus: Int] = [:]
        for status in OutboxStatus.allCases { out[status] = 0 }
        struct Row: Decodable { var status: String; var n: Int }
        let rows = try await database.requireSQL().raw("SELECT status, COUNT(*) AS n FROM \(ident: OutboxMessage.schema) GROUP BY status")
            .all(decoding: Row.self)
        for row in rows { if let status = OutboxStatus(rawValue: row.status) { out[status] = row.n } }
        return out
    }

    /// A failed or cancelled message goes back in the queue, to be sent at the next round.
    @discardableResult
    func retry(_ id: UUID?) async throws -> OutboxMessage {
        let message = try await find(id)
        guard [.failed, .cancelled].contains(message.status) else {
            throw Problem(.conflict, "Only a failed or cancelled message can be sent again; this one is \(message.status.rawValue).")
        }
        message.status = .pending
        message.nextAttemptAt = nil
        message.attempts = 0
        try await database.writeTransaction { db in try await message.save(on: db) }
        return message
    }

    /// A message waiting to go is cancelled: it will not be sent.
    @discardableResult
    func cancel(_ id: UUID?) async throws -> OutboxMessage {
        let message = try await find(id)
        let refusal = Problem(.conflict, "Only a message still waiting can be cancelled; this one is \(message.status.rawValue).")
        guard message.status == .pending else { throw refusal }
        // Conditional: a worker that claimed it a moment ago is not overridden.
        try await database.writeTransaction { db in
            try await OutboxMessage.query(on: db).filter(\.$id == message.id ?? UUID()).filter(\.$status == .pending)
                .set(\.$status, to: .cancelled).update()
        }
        guard let fresh = try await OutboxMessage.find(message.id, on: database), fresh.status == .cancelled else {
            throw Problem(.conflict, "The message was being sent a moment ago, so it can no longer be cancelled.")
        }
        return fresh
    }

    func find(_ id: UUID?) async throws -> OutboxMessage {
        guard let id, let message = try await OutboxMessage.find(id, on: database) else {
            throw Problem(.notFound, "The outbox has no message with that id.")
        }
        return message
    }
}
