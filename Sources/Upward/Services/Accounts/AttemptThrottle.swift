import Fluent
import SQLKit
import Vapor

/// Brakes on guessing: failed sign-ins, password-reset requests and uses of unknown links, counted per account
/// and per client address in the database (so every instance shares them). Past a number of free attempts,
/// each further failure shuts the door for twice as long as the one before, up to a quarter of an hour;
/// a refused attempt answers 429 and says when to try again.
struct AttemptThrottle {
    let database: any Database
    let clock: UpwardClock

    /// What is being counted, and how many failures are free before the delays start.
    struct Key: Sendable, Hashable {
        var name: String
        var free: Int

        static func signIn(account email: String) -> Key { Key(name: "sign-in:account:" + Self.normalised(email), free: 5) }
        static func signIn(address: String) -> Key { Key(name: "sign-in:address:" + address, free: 30) }
        static func resetRequest(account email: String) -> Key { Key(name: "reset:account:" + Self.normalised(email), free: 3) }
        static func resetRequest(address: String) -> Key { Key(name: "reset:address:" + address, free: 20) }
        static func linkUse(address: String) -> Key { Key(name: "link:address:" + address, free: 20) }

        static func normalised(_ email: String) -> String { String(email.lowercased().trimmingCharacters(in: .whitespaces).prefix(320)) }
    }

    static let firstDelay: TimeInterval = 5
    static let longestDelay: TimeInterval = 15 * 60
    /// Failures older than this are forgotten.
    static let window: TimeInterval = 24 * 3600

    /// Too many attempts: a 429 that says when to try again.
    struct Refusal: AbortError {
        var retryAfter: Int
        var status: HTTPResponseStatus { .tooManyRequests }
        var reason: String {
            "Too many attempts. Wait \(Self.describe(retryAfter)) and try again."
        }
        var headers: HTTPHeaders { ["Retry-After": String(retryAfter)] }

        static func describe(_ seconds: Int) -> String {
            seconds < 90 ? "\(seconds) second\(seconds == 1 ? "" : "s")" : "\((seconds + 59) / 60) minutes"
        }
    }

    private struct Row: Decodable {
        var key: String
        var failures: Int
        var last_failure_at: Double
        var blocked_until: Double?
    }

    /// Throws `Refusal` while any of the keys is shut.
    func check(_ keys: [Key]) async throws {
        let now = clock.now()
        let sql = try database.requireSQL()
        let rows = try await sql.select().columns("*").from("attempt_throttles")
            .where("key", .in, keys.map(\.name)).all(decoding: Row.self)
        let until = rows.compactMap(\.blocked_until).max() ?? 0
        let wait = until - now.timeIntervalSince1970
        if wait > 0 { throw Refusal(retryAfter: max(1, Int(wait.rounded(.up)))) }
    }

    /// Counts a failure against each key; a key past its free failures is shut for a while.
    func fail(_ keys: [Key]) async throws {
        let now = clock.now()
        let sql = try database.requireSQL()
        let at = now.timeIntervalSince1970
        for key in keys {
            // One statement, so two instances counting at once both count.
            let row = try await sql.raw("""
                INSERT INTO attempt_throttles (key, failures, last_failure_at) VALUES (\(bind: key.name), 1, \(bind: at))
                ON CONFLICT (key) DO UPDATE SET
                  failures = CASE WHEN attempt_throttles.last_failure_at < \(bind: at - Self.window) THEN 1 ELSE attempt_throttles.failures + 1 END,
                  last_failure_at = \(bind: at)
                RETURNING key, failures, last_failure_at, blocked_until
                """).first(decoding: Row.self)
            guard let failures = row?.failures, failures > key.free else { continue }
            let doublings = Double(min(failures - key.free - 1, 20))
            let delay = min(Self.firstDelay * pow(2, doublings), Self.longestDelay)
            try await sql.update("attempt_throttles").set("blocked_until", to: at + delay).where("key", .equal, key.name).run()
        }
    }

    /// Forgets the failures of these keys (a successful sign-in, a completed password reset).
    func clear(_ keys: [Key]) async throws {
        try await database.requireSQL().delete(from: "attempt_throttles").where("key", .in, keys.map(\.name)).run()
    }
}

extension Request {
    /// The client's address for throttling. The peer of the connection: a forwarded-for header is not trusted,
    /// since anyone can send one.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
