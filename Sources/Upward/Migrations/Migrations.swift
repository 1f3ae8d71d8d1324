import Fluent

/// Every migration in order. Append only: never edit or reorder a migration that has shipped.
enum Migrations {
    static var all: [any Migration] {
        [
            SessionRecord.migration,
            M001_CreatePeople(),
            M002_CreateUsers(),
            M003_CreateTokens(),
            M004_CreateOutboxAndImports(),
        ]
    }
}
