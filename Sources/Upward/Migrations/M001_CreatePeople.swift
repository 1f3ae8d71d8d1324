import Fluent

struct M001_CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .id()
            .field("external_id", .string, .required)
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("department", .string, .required)
            .field("title", .string)
            .field("level", .int, .required)
            .field("manager_external_id", .string)
            .field("location", .string)
            .field("time_zone", .string)
            .field("hire_date", .string)
            .field("leave_date", .string)
            .field("birth_year", .int)
            .field("diversity", .string)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "external_id")
            .unique(on: "email")
            .create()
        try await Indexes.create("people_manager_idx", on: Person.schema, columns: ["manager_external_id"], in: database)
        try await Indexes.create("people_department_idx", on: Person.schema, columns: ["department", "level"], in: database)
        try await Indexes.create("people_name_idx", on: Person.schema, columns: ["name"], in: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
    }
}
