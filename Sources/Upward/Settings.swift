import Foundation
import SMTP
import Vapor

/// How one Upward instance is set up. Comes in through `configure`, never from globals,
/// so a test can build an app on its own database.
public struct UpwardSettings: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var database: Database
    /// The address people reach this instance at; links in messages and printed output start with it.
    public var publicURL: String
    /// Send the session cookie only over HTTPS. On when `publicURL` is `https://…`.
    public var secureCookies: Bool
    /// Bcrypt cost for password hashes. 12 in production; tests lower it to stay fast.
    public var bcryptCost: Int
    /// How long a sign-in lasts without signing in again.
    public var sessionLifetime: TimeInterval
    /// Days added to the real time (`UPWARD_CLOCK_OFFSET_DAYS`): for rehearsing a programme's later weeks, and for
    /// browser tests that need time to pass between two servers on one database. Zero in normal use.
    public var clockOffsetDays = 0
    public static let clockOffsetLimit = 3650
    /// Mail delivery (`UPWARD_SMTP_URL`, `UPWARD_MAIL_FROM`, `UPWARD_SMTP_CA_FILE`): nil keeps messages in the outbox.
    public var smtp: SMTPConfiguration?
    public var mailFrom: String?
    /// What is wrong with the mail settings, when something is: `serve` refuses to start with it.
    public var mailProblem: String?

    public init(database: Database, publicURL: String = "http://127.0.0.1:8080", bcryptCost: Int = 12,
                sessionLifetime: TimeInterval = 14 * 24 * 3600) {
        self.database = database
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.secureCookies = publicURL.lowercased().hasPrefix("https://")
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
    }

    /// The default file, unless moved by `--database` or `UPWARD_DATABASE`.
    public static let defaultSQLitePath = "upward.sqlite"

    /// Reads the environment: `DATABASE_URL` (postgres://…) switches to PostgreSQL; otherwise SQLite at
    /// `databasePath`, `UPWARD_DATABASE`, or `upward.sqlite`. `UPWARD_PUBLIC_URL` sets the link address.
    public static func fromEnvironment(databasePath: String? = nil, hostname: String = "127.0.0.1", port: Int = 8080,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> UpwardSettings {
        let database: Database
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            database = .postgres(url: url)
        } else {
            database = .sqliteFile(databasePath ?? environment["UPWARD_DATABASE"] ?? defaultSQLitePath)
        }
        let publicURL = environment["UPWARD_PUBLIC_URL"] ?? "http://\(hostname):\(port)"
        var settings = UpwardSettings(database: database, publicURL: publicURL)
        if let days = environment["UPWARD_CLOCK_OFFSET_DAYS"].flatMap(Int.init), abs(days) <= clockOffsetLimit {
            settings.clockOffsetDays = days
        }
        settings.readMail(environment)
        return settings
    }

    /// Reads the mail settings; a problem is kept in `mailProblem`, naming the variable to fix.
    mutating func readMail(_ environment: [String: String]) {
        guard let url = environment["UPWARD_SMTP_URL"], !url.isEmpty else {
            if environment["UPWARD_MAIL_FROM"].map({ !$0.isEmpty }) ?? false {
                mailProblem = "UPWARD_MAIL_FROM is set but UPWARD_SMTP_URL is not: set both to deliver mail, or neither to keep it in the outbox."
            }
            return
        }
        do {
            var config = try SMTPConfiguration.parse(url)
            config.caFile = environment["UPWARD_SMTP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            let host = URLComponents(string: publicURL)?.host ?? "localhost"
            // An address literal is written in brackets in EHLO (RFC 5321 §4.1.3).
            config.heloName = host.allSatisfy({ $0.isNumber || $0 == "." }) ? "[\(host)]" : host
            try config.validate()
            smtp = config
        } catch {
            mailProblem = String(describing: error)
            return
        }
        guard let from = environment["UPWARD_MAIL_FROM"], from.contains("@"), !from.contains(where: { $0.isNewline }) else {
            mailProblem = "UPWARD_MAIL_FROM must name the sender, e.g. \"Upward <upward@example.org>\" or upward@example.org."
            smtp = nil
            return
        }
        mailFrom = from
    }

    /// Says where the data lives, without a password.
    public var databaseDescription: String {
        switch database {
        case .sqliteFile(let path): return "SQLite at \(path)"
        case .sqliteMemory: return "SQLite in memory"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "PostgreSQL" }
            parts.password = nil
            return "PostgreSQL at \(parts.string ?? "?")"
        }
    }
}

/// A setting that cannot work, said the way the person who set it can fix it.
public struct SettingsError: Error, CustomStringConvertible {
    public let description: String
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = UpwardSettings }

    public var upward: UpwardSettings {
        // Set by `configure` before anything runs; an application made without it gets the default (SQLite file) settings.
        get { storage[SettingsKey.self] ?? UpwardSettings(database: .sqliteFile("upward.sqlite")) }
        set { storage[SettingsKey.self] = newValue }
    }
}
