import Fluent
import Foundation
import SMTP
import SQLKit
import Vapor

/// Delivers the outbox over SMTP (DESIGN.md, "Mail"). Each message was written in the same transaction as the change
/// that caused it; a delivery worker claims one at a time with a conditional update (`FOR UPDATE SKIP LOCKED` on
/// PostgreSQL), so two instances never send one twice; sends it; and records the server's reply. Temporary failures
/// (4xx, no connection, a timeout) are tried again with exponential backoff up to `maxAttempts`; permanent ones (5xx)
/// fail with the reason. A worker killed mid-message leaves it claimed; after `claimTimeout` it is pending again and
/// goes out once more with the same `Message-ID`, so at most that one message can arrive twice.
struct MailDelivery {
    let database: any Database
    var clock: UpwardClock = .system
    let smtp: SMTPConfiguration
    let from: MailMessage.Address
    /// Where Upward is reached: unsubscribe links are made absolute with it.
    var publicURL = ""
    /// Names this worker on the rows it claims: host, process and a random part, unique to this delivery round
    /// (two containers may share a host name and a process number).
    var worker = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    /// How the message is handed over; a test may replace it.
    var send: @Sendable (SMTPEnvelope, SMTPConfiguration) async throws -> SMTPReply = { try await SMTPClient.send($0, using: $1) }

    static let job = JobKind("mail.deliver")
    /// How often the worker looks for mail to send.
    static let interval: TimeInterval = 10
    /// Messages one round sends at most (the next round goes on): enough that a burst (a programme's invitations)
    /// does not wait many rounds, few enough that a round ends.
    static let batch = 500
    static let maxAttempts = 8
    /// A claim older than this is from a worker that stopped: the message is pending again.
    static let claimTimeout: TimeInterval = 600

    /// The pause before attempt `n + 1` after `n` temporary failures: 1, 2, 4 … minutes, at most six hours.
    static func backoff(afterAttempts n: Int) -> TimeInterval {
        min(60 * pow(2, Double(max(0, n - 1))), 6 * 3600)
    }

    struct Round: Equatable, Sendable {
        var sent = 0, retrying = 0, failed = 0
        /// The server or the connection failed (not the message): the round stopped, the message waits unharmed.
        var paused = false
    }

    /// After a failure of the server (not of a message), the message that met it waits this long.
    static let pauseAfterServerFailure: TimeInterval = 60

    /// One round: return stale claims, then claim, send and record due messages one at a time.
    @discardableResult
    func deliverDue() async throws -> Round {
        try await releaseStaleClaims()
        var round = Round()
        for _ in 0..<Self.batch {
            guard let message = try await claimNext() else { break }
            switch await deliver(message) {
            case .sent: round.sent += 1
            case .retrying: round.retrying += 1
            case .failed: round.failed += 1
            case .paused:
                // The server is down, refusing us or misconfigured: no point trying the next message now.
                round.paused = true
                return round
            }
        }
        return round
    }

    func releaseStaleClaims() async throws {
        let stale = clock.now().addingTimeInterval(-Self.claimTimeout)
        try await database.writeTransaction { db in
            try await OutboxMessage.query(on: db).filter(\.$status == .sending).filter(\.$claimedAt < stale)
                .set(\.$status, to: .pending).set(\.$claimedBy, to: nil).update()
        }
    }

    /// Claims the oldest due message for this worker, or nil when none is due.
    func claimNext() async throws -> OutboxMessage? {
        let now = clock.now()
        let sql = try database.requireSQL()
        let skipLocked: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        struct Claimed: Decodable { var id: UUID }
        let claimed = try await database.writeTransaction { db in
            try await db.requireSQL().raw("""
                UPDATE \(ident: OutboxMessage.schema) SET status = \(bind: OutboxStatus.sending.rawValue), claimed_by = \(bind: worker), \
                claimed_at = \(bind: now) WHERE id = (SELECT id FROM \(ident: OutboxMessage.schema) WHERE status = \(bind: OutboxStatus.pending.rawValue) \
                AND (next_attempt_at IS NULL OR next_attempt_at <= \(bind: now)) ORDER BY created_at LIMIT 1\(skipLocked)) \
                AND status = \(bind: OutboxStatus.pending.rawValue) RETURNING id
                """).first(decoding: Claimed.self)
        }
        guard let claimed else { return nil }
        return try await OutboxMessage.find(claimed.id, on: database)
    }

    enum Outcome { case sent, retrying, failed, paused }

    /// Sends one claimed message and records what happened, only while the claim is still this worker's.
    func deliver(_ message: OutboxMessage) async -> Outcome {
        let now = clock.now()
        let outcome: Outcome
        let record: @Sendable (QueryBuilder<OutboxMessage>) -> QueryBuilder<OutboxMessage>
        do {
            let reply = try await send(try envelope(for: message), smtp)
            let text = String(reply.description.prefix(500))
            record = { $0.set(\.$status, to: .sent).set(\.$sentAt, to: now).set(\.$reply, to: text).set(\.$lastError, to: nil) }
            outcome = .sent
        } catch {
            let smtpError = error as? SMTPError
            let attempts = message.attempts + 1
            let reason = String((smtpError.map(\.description) ?? String(describing: error)).prefix(500))
            if smtpError?.isSessionFailure ?? true {
                // Not this message's fault (and anything unexpected is treated the same way): it keeps its attempts
                // and waits a minute; the admins see why on the outbox page.
                let next = now.addingTimeInterval(Self.pauseAfterServerFailure)
                record = { $0.set(\.$status, to: .pending).set(\.$nextAttemptAt, to: next).set(\.$lastError, to: reason) }
                outcome = .paused
            } else if smtpError?.isTemporary == true, attempts < Self.maxAttempts {
                let next = now.addingTimeInterval(Self.backoff(afterAttempts: attempts))
                record = { $0.set(\.$status, to: .pending).set(\.$nextAttemptAt, to: next).set(\.$attempts, to: attempts).set(\.$lastError, to: reason) }
                outcome = .retrying
            } else {
                record = { $0.set(\.$status, to: .failed).set(\.$attempts, to: attempts).set(\.$lastError, to: reason) }
                outcome = .failed
            }
        }
        let id = message.id ?? UUID()
        let worker = self.worker
        do {
            try await database.writeTransaction { db in
                try await record(OutboxMessage.query(on: db)).set(\.$claimedBy, to: nil)
                    .filter(\.$id == id).filter(\.$status == .sending).filter(\.$claimedBy == worker).update()
            }
        } catch {
            // The claim stays; it is released after `claimTimeout` and the message tried again (same Message-ID).
        }
        return outcome
    }

    /// The envelope and the rendered message.
    func envelope(for message: OutboxMessage) throws -> SMTPEnvelope {
        let unsubscribe = message.unsubscribePath.flatMap { URL(string: publicURL + $0) }
        var text = message.body
        if let unsubscribe {
            text += "\n\n--\nStop these messages with one click: \(unsubscribe.absoluteString)\n"
                + "With an account, choose how Upward writes to you on your account page."
        }
        var calendar: MailMessage.Calendar?
        if let method = message.calendarMethod, let ics = message.calendarICS { calendar = .init(method: method, ics: ics) }
        let rendered = MailMessage(
            from: from, to: .init(email: message.recipient), subject: message.subject, text: text,
            date: message.createdAt ?? clock.now(), messageID: message.effectiveMessageID,
            unsubscribe: unsubscribe, calendar: calendar).rendered()
        return SMTPEnvelope(from: from.email, to: [message.recipient], message: rendered)
    }

    /// "Upward <upward@example.org>" or a bare address.
    static func address(_ text: String) -> MailMessage.Address {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close {
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            return .init(name: name.isEmpty ? nil : name, email: String(trimmed[trimmed.index(after: open)..<close]))
        }
        return .init(email: trimmed)
    }
}
