import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import Upward

/// Runs `body` with a real app on a fresh, migrated database and always shuts it down, also on error.
/// SQLite in a new temporary file (write-ahead logging, several connections: as in production) by default;
/// with `DATABASE_URL` set, a new PostgreSQL database per test, dropped after.
@discardableResult
func withUpward<T>(_ body: (Application) async throws -> T) async throws -> T {
    // On PostgreSQL, only so many test apps at once: each holds up to 4 connections per event loop, and the whole
    // suite at once would exceed the server's `max_connections` ("sorry, too many clients already").
    if testingOnPostgres { await TestApps.limit.enter() }
    defer { if testingOnPostgres { Task { await TestApps.limit.leave() } } }
    let scratch = try await ScratchDatabase.make()
    let app = try await Application.make(.testing)
    do {
        try await configure(app, settings: UpwardSettings(database: scratch.database, bcryptCost: 4))
        try await UpwardApp.migrate(app)
        let result = try await body(app)
        try await app.asyncShutdown()
        try await scratch.drop()
        return result
    } catch {
        try? await app.asyncShutdown()
        try? await scratch.drop()
        throw error
    }
}

/// A counting semaphore for test apps.
actor TestApps {
    /// About 200 connections in all, whatever the number of cores (event loops) of the machine running the tests.
    static let limit = TestApps(max(2, 200 / (4 * System.coreCount)))

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Whether this run's database tests use PostgreSQL.
var testingOnPostgres: Bool { !(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty }

struct ScratchDatabase {
    var database: UpwardSettings.Database
    var serverURL: String?
    var name: String?
    var file: String?

    static func make() async throws -> ScratchDatabase {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            let file = NSTemporaryDirectory() + "upward-test-\(UUID().uuidString).sqlite"
            return ScratchDatabase(database: .sqliteFile(file), file: file)
        }
        let name = "upward_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await admin(url, "CREATE DATABASE \(name)")
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return ScratchDatabase(database: .postgres(url: components.string!), serverURL: url, name: name)
    }

    func drop() async throws {
        if let file {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
        guard let serverURL, let name else { return }
        try await Self.admin(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one statement on the server's own database (CREATE/DROP DATABASE cannot run inside the test's).
    static func admin(_ url: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(try .postgres(url: url), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// Reads a file from `Tests/UpwardTests/Fixtures`.
func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8)
}

// MARK: Accounts

@discardableResult
func makeUser(_ app: Application, email: String, role: Role, password: String = "correct horse battery",
              personID: UUID? = nil) async throws -> User {
    let user = User(email: email, name: email.split(separator: "@").first.map(String.init) ?? email, role: role,
                    personID: personID, passwordHash: try Bcrypt.hash(password, cost: 4))
    try await user.create(on: app.db)
    return user
}

/// A personal API token for a new account with this role.
func apiToken(_ app: Application, role: Role, email: String? = nil) async throws -> String {
    let user = try await makeUser(app, email: email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6))@example.org", role: role)
    return try await AccountService(app).createAPIToken(for: user, name: "test").1
}

extension HTTPHeaders {
    static func bearer(_ token: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        return headers
    }
}

// MARK: A tiny browser for page flows

/// Keeps cookies between requests and fills in the CSRF field, as a browser with a form would.
final class WebSession: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var lastSetCookie: String?

    init(_ app: Application) { self.app = app }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path)
    }

    /// Fetches `formPage` for its CSRF token, then posts `fields` to `path`.
    func submit(_ path: String, from formPage: String? = nil, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        let page = try await get(formPage ?? path)
        var fields = fields
        if fields["csrf"] == nil { fields["csrf"] = Self.csrf(in: page.body.string) }
        return try await send(.POST, path, form: fields)
    }

    func send(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, multipart: (boundary: String, body: String)? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body = ByteBuffer()
        if let form {
            headers.contentType = .urlEncodedForm
            let encoded = form.map { key, value in
                "\(Self.escape(key))=\(Self.escape(value))"
            }.joined(separator: "&")
            body.writeString(encoded)
        } else if let multipart {
            headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": multipart.boundary])
            body.writeString(multipart.body)
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            lastSetCookie = header
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                if header.lowercased().contains("max-age=0") || header.contains("1970") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
            }
        }
        return response
    }

    /// Uploads a file in a multipart form, as the import page does.
    func upload(_ path: String, file: String, named: String, fields: [String: String]) async throws -> TestingHTTPResponse {
        let page = try await get(path)
        var fields = fields
        fields["csrf"] = Self.csrf(in: page.body.string)
        let boundary = "----upward\(UUID().uuidString.prefix(8))"
        var body = ""
        for (key, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(named)\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return try await send(.POST, path, multipart: (boundary, body))
    }

    func signIn(_ email: String, _ password: String = "correct horse battery") async throws -> TestingHTTPResponse {
        try await submit("/sign-in", ["email": email, "password": password])
    }

    static func csrf(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
