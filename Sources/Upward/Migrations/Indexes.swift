import Fluent
import SQLKit

/// Fluent's schema builder has no index support; SQLKit's `create index` is portable across SQLite and PostgreSQL.
enum Indexes {
    static func create(_ name: String, on table: String, columns: [String], in database: any Database) async throws {
        var builder = try database.requireSQL().create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
