import Fluent
import Foundation
import SMTP
import Testing
import VaporTesting
@testable import Upward

/// What a fake mail server was handed, in order.
final class Handed: @unchecked Sendable {
    private let lock = NSLock()
    private var envelopes: [SMTPEnvelope] = []
    func add(_ e: SMTPEnvelope) { lock.withLock { envelopes.append(e) } }
    var all: [SMTPEnvelope] { lock.withLock { envelopes } }
}

@Suite("Mail delivery from the durable outbox")
struct MailDeliveryTests {
    let config = SMTPConfiguration(host: "127.0.0.1", port: 1, security: .none)

    func delivery(_ app: Application, worker: String = "w1", clock: UpwardClock? = nil, handed: Handed,
                  reply: @escaping @Sendable (SMTPEnvelope) throws -> SMTPReply) -> MailDelivery {
        var d = MailDelivery(database: app.db, clock: clock ?? app.clock, smtp: config, from: .init(name: "Upward", email: "upward@example.org"))
        d.worker = worker
        d.send = { envelope, _ in
            handed.add(envelope)
            return try reply(envelope)
        }
        return d
    }

    func write(_ app: Application, _ recipients: [String]) async throws -> [OutboxMessage] {
        var out: [OutboxMessage] = []
        for r in recipients {
            let m = OutboxMessage(recipient: r, subject: "Hello \(r)", body: "Text for \(r)")
            try await m.create(on: app.db)
            out.append(m)
        }
        return out
    }

    @Test func sent_retried_with_backoff_or_failed_with_the_reason() async throws {
        try await withUpward { app in
            let messages = try await write(app, ["ok@example.org", "busy@example.org", "gone@example.org"])
            let handed = Handed()
            let now = app.clock.now()
            let d = delivery(app, clock: .fixed(now), handed: handed) { e in
                switch e.to.first {
                case "busy@example.org": throw SMTPError.refused(command: "RCPT TO", reply: SMTPReply(code: 451, lines: ["4.7.1 Try again later"]))
                case "gone@example.org": throw SMTPError.refused(command: "RCPT TO", reply: SMTPReply(code: 550, lines: ["5.1.1 No such user"]))
                default: return SMTPReply(code: 250, lines: ["2.0.0 Ok: queued as ABC"])
                }
            }
            #expect(try await d.deliverDue() == .init(sent: 1, retrying: 1, failed: 1))
            let rows = Dictionary(uniqueKeysWithValues: try await OutboxMessage.query(on: app.db).all().map { ($0.recipient, $0) })
            #expect(rows["ok@example.org"]?.status == .sent && rows["ok@example.org"]?.reply == "250 2.0.0 Ok: queued as ABC")
            let busy = try #require(rows["busy@example.org"])
            #expect(busy.status == .pending && busy.attempts == 1 && busy.lastError?.contains("451") == true)
            #expect(abs((busy.nextAttemptAt ?? .distantPast).timeIntervalSince(now) - 60) < 1)
            #expect(rows["gone@example.org"]?.status == .failed && rows["gone@example.org"]?.lastError?.contains("No such user") == true)
            // Not due again until its backoff has passed; then sent, with the same Message-ID.
            #expect(try await d.deliverDue() == .init())
            var later = d
            later.clock = .fixed(now.addingTimeInterval(61))
            later.send = { e, _ in handed.add(e); return SMTPReply(code: 250, lines: ["ok"]) }
            #expect(try await later.deliverDue() == .init(sent: 1))
            let ids = handed.all.filter { $0.to == ["busy@example.org"] }.map { $0.message.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID:") } }
            #expect(ids.count == 2 && ids[0] == ids[1] && ids[0] == "Message-ID: \(messages[1].effectiveMessageID)")
            // Backoff doubles and is capped; after the last attempt a temporary failure fails for good.
            #expect(MailDelivery.backoff(afterAttempts: 1) == 60 && MailDelivery.backoff(afterAttempts: 3) == 240)
            #expect(MailDelivery.backoff(afterAttempts: 30) == 6 * 3600)
        }
    }

    @Test func a_server_that_is_down_or_refuses_us_pauses_delivery_without_failing_any_message() async throws {
        try await withUpward { app in
            _ = try await write(app, ["a@example.org", "b@example.org", "c@example.org"])
            let handed = Handed()
            for failure in [SMTPError.connection("refused"), .refused(command: "AUTH PLAIN", reply: SMTPReply(code: 535, lines: ["bad credentials"])),
                            .configuration("no STARTTLS")] {
                let d = delivery(app, handed: handed) { _ in throw failure }
                let round = try await d.deliverDue()
                #expect(round.paused && round.failed == 0 && round.sent == 0)
            }
            let rows = try await OutboxMessage.query(on: app.db).all()
            #expect(rows.allSatisfy { $0.status == .pending && $0.attempts == 0 })
            #expect(handed.all.count == 3)   // one try per round, not one per message
            #expect(rows.contains { $0.lastError?.contains("535") == true })
            // An address that cannot be mailed fails that message alone.
            #expect(SMTPError.refused(command: "the address", reply: SMTPReply(code: 553, lines: ["bad"])).isSessionFailure == false)
        }
    }

    @Test func two_workers_never_send_one_message_twice_and_a_stopped_worker_loses_nothing() async throws {
        try await withUpward { app in
            _ = try await write(app, (0..<30).map { "p\($0)@example.org" })
            let handed = Handed()
            let a = delivery(app, worker: "a", handed: handed) { _ in SMTPReply(code: 250, lines: ["ok"]) }
            let b = delivery(app, worker: "b", handed: handed) { _ in SMTPReply(code: 250, lines: ["ok"]) }
            async let first = a.deliverDue()
            async let second = b.deliverDue()
            let (x, y) = try await (first, second)
            #expect(x.sent + y.sent == 30 && handed.all.count == 30 && Set(handed.all.flatMap(\.to)).count == 30)
            // A worker that stopped mid-message: the claim is released after the timeout and the message goes again.
            let stuck = OutboxMessage(recipient: "stuck@example.org", subject: "s", body: "b")
            stuck.status = .sending
            stuck.claimedBy = "gone"
            stuck.claimedAt = app.clock.now().addingTimeInterval(-MailDelivery.claimTimeout - 1)
            try await stuck.create(on: app.db)
            #expect(try await a.deliverDue().sent == 1 && handed.all.last?.to == ["stuck@example.org"])
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$status != .sent).count() == 0)
        }
    }

    @Test func admins_retry_a_failed_message_and_cancel_a_waiting_one() async throws {
        try await withUpward { app in
            let messages = try await write(app, ["a@example.org", "b@example.org"])
            messages[0].status = .failed
            try await messages[0].save(on: app.db)
            let service = OutboxService(database: app.db, clock: app.clock)
            #expect(try await service.retry(messages[0].id).status == .pending)
            #expect(try await service.cancel(messages[1].id).status == .cancelled)
            await #expect(throws: Problem.self) { try await service.cancel(messages[1].id) }
            await #expect(throws: Problem.self) { try await service.retry(UUID()) }
            let (found, total) = try await service.page(.init(status: .cancelled, text: "b@ex"), page: 1, per: 10)
            #expect(total == 1 && found.first?.recipient == "b@example.org")
            #expect(try await service.counts()[.pending] == 1)
        }
    }
}
