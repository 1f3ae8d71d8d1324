import Fluent

/// The outbox becomes a durable delivery queue: each message's state, attempts, when to try next, who claimed it,
/// the server's last reply, and a Message-ID fixed at creation.
struct M014_OutboxDelivery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        let columns: [(String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
            ("status", .string, [.required, .sql(unsafeRaw: "DEFAULT 'pending'")]),
            ("attempts", .int, [.required, .sql(unsafeRaw: "DEFAULT 0")]),
            ("next_attempt_at", .datetime, []),
            ("claimed_by", .string, []),
            ("claimed_at", .datetime, []),
            ("last_error", .string, []),
            ("reply", .string, []),
            ("sent_at", .datetime, []),
            ("message_id", .string, []),
        ]
        for (name, type, constraints) in columns {
            var schema = database.schema(OutboxMessage.schema)
            schema.schema.createFields.append(.definition(name: .key(FieldKey(stringLiteral: name)), dataType: type, constraints: constraints))
            try await schema.update()
        }
        try await Indexes.create("outbox_due", on: OutboxMessage.schema, columns: ["status", "next_attempt_at"], in: database)
        // What is already in the outbox was read and forwarded by hand (invitations, reset links long expired):
        // delivery starts with what is written from now on.
        try await OutboxMessage.query(on: database).set(\.$status, to: .cancelled)
            .set(\.$lastError, to: "Written before mail delivery existed; forwarded by hand from the outbox.").update()
    }

    func revert(on database: any Database) async throws {
        try await database.requireSQL().drop(index: "outbox_due").run()
        for name in ["message_id", "sent_at", "reply", "last_error", "claimed_at", "claimed_by", "next_attempt_at", "attempts", "status"] {
            try await database.schema(OutboxMessage.schema).deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
