import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor

/// Sets up an application: database, migrations, sessions, views, middleware and routes.
/// Migrations are not run here; `serve` and `migrate` run them, tests run them on their fresh database.
public func configure(_ app: Application, settings: UpwardSettings) async throws {
    if let problem = settings.mailProblem { throw SettingsError(description: problem) }
    app.upward = settings
    if settings.clockOffsetDays != 0 {
        let offset = Double(settings.clockOffsetDays) * 86_400
        app.clock = UpwardClock { Date().addingTimeInterval(offset) }
    }
    app.directory = DirectoryConfiguration(workingDirectory: resourceRoot())

    switch settings.database {
    case .sqliteFile(let path):
        app.databases.use(SQLiteWriterQueue.Configuration(base: DatabaseConfigurationFactory.sqlite(.file(path), sqlLogLevel: .trace).make()), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(SQLiteWriterQueue.Configuration(base: DatabaseConfigurationFactory.sqlite(.memory, sqlLogLevel: .trace).make()), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
    }
    app.migrations.add(Migrations.all)
    UpwardJobs.register(in: app)

    // Sessions live in the database so several instances behind a load balancer share them.
    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "upward_session"
    let secure = settings.secureCookies
    let lifetime = Int(settings.sessionLifetime)
    app.sessions.configuration.cookieFactory = { id in
        HTTPCookies.Value(string: id.string, maxAge: lifetime, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    app.views.use(.leaf)
    app.routes.defaultMaxBodySize = ByteCount(value: BodyLimit.standard)

    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware(https: settings.secureCookies))
    app.middleware.use(UpwardErrorMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(NulCharacterMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    try routes(app)
}

/// The folder holding `Resources/Views` and `Public`: the working folder when it has them
/// (`swift run` from the checkout, or an installed copy), else the checkout this file was built from.
func resourceRoot() -> String {
    let fm = FileManager.default
    let cwd = fm.currentDirectoryPath
    if fm.fileExists(atPath: cwd + "/Resources/Views") { return cwd + "/" }
    let source = URL(fileURLWithPath: #filePath)  // …/Sources/Upward/configure.swift
    return source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/"
}
