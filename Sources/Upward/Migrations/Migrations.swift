import Fluent
import SQLKit

/// Every migration in order. Append only: never edit or reorder a migration that has shipped.
enum Migrations {
    static var all: [any Migration] {
        [
            SessionRecord.migration,
            M001_CreatePeople(),
            M002_CreateUsers(),
            M003_CreateTokens(),
            M004_CreateOutboxAndImports(),
            M005_CreateProgrammes(),
            M006_CreateMatching(),
            M007_CreateAttemptThrottles(),
            M008_RunRevisions(),
            M009_CreateJobs(),
            M010_CreatePairingSpace(),
            M011_CreateCheckIns(),
            M012_CreateAlerts(),
            M013_EndingsAndRethinks(),
            M014_OutboxDelivery(),
            M015_Notifications(),
        ]
    }

    /// How many migrations have not run yet. Throws when the database does not answer; a database
    /// Fluent has never touched (no migrations table) counts as having all of them pending.
    static func pending(in database: any Database) async throws -> Int {
        let sql = try database.requireSQL()
        struct Count: Decodable { let n: Int }
        do {
            let applied = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first(decoding: Count.self)?.n ?? 0
            return max(0, all.count - applied)
        } catch {
            try await sql.raw("SELECT 1").run()  // the database answers: only the table is missing
            return all.count
        }
    }
}
