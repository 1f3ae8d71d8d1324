import Fluent
import Foundation
import SQLKit
import Vapor

/// What an import did, or would do on a dry run.
public struct ImportSummary: Codable, Sendable {
    public struct Change: Codable, Sendable {
        public var employeeID: String
        public var name: String
        /// `new`, `updated` or `leaver`.
        public var kind: String
        /// For `updated`: the columns that change.
        public var columns: [String]
    }

    public var dryRun: Bool
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var leavers = 0
    public var invited = 0
    /// People in the directory who have not left, before this file.
    public var currentStaff = 0
    /// Set when the file would mark most of the directory as leavers (a partial export, a wrong file): it is
    /// applied only when the import is explicitly confirmed, and this says why it was not.
    public var leaverWarning: String?
    /// True when the import was not applied because `leaverWarning` needs a confirmation.
    public var needsConfirmation = false
    /// Every problem found. When there is any, nothing was changed.
    public var issues: [ImportIssue] = []
    /// The first changes, for a preview.
    public var changes: [Change] = []

    public var succeeded: Bool { issues.isEmpty }

    /// Most of the directory leaving at once: at least 5 people and more than half of the current staff.
    static func isMassLeaving(leavers: Int, currentStaff: Int) -> Bool { leavers >= 5 && leavers * 2 > currentStaff }
}

/// A step of a long import, for progress output.
public struct ImportProgress: Sendable {
    public var phase: String
    public var done: Int
    public var total: Int
}

/// Imports a staff directory CSV: validate everything, then upsert by `employee_id` in one
/// transaction, mark people missing from the file as leavers, and invite people without an account.
/// All or nothing: a file with any issue changes nothing.
struct DirectoryImporter {
    let database: any Database
    /// Where invitation links point, e.g. `http://127.0.0.1:8080`.
    let linkBase: String
    var progress: @Sendable (ImportProgress) -> Void = { _ in }
    var clock: UpwardClock = .system

    static let batchSize = 1000
    static let previewLimit = 200
    static let invitationLifetime: TimeInterval = 14 * 24 * 3600

    /// The columns of `people` as the import reads and writes them. Plain SQL (SQLKit) rather than
    /// Fluent models: a 100 000-person import spends most of its time in Fluent's per-model reflection.
    struct PersonRecord: Codable, Sendable {
        var id: UUID
        var external_id: String
        var name: String
        var email: String
        var department: String
        var title: String?
        var level: Int
        var manager_external_id: String?
        var location: String?
        var time_zone: String?
        var hire_date: String?
        var leave_date: String?
        var birth_year: Int?
        var diversity: String?

        func hasLeft(asOf today: String) -> Bool { Person.hasLeft(leaveDate: leave_date, asOf: today) }

        var searchText: String { Person.searchText(name: name, email: email, department: department, title: title) }
    }

    /// - Parameter confirmLeavers: apply the file even though it marks most of the directory as leavers.
    func run(csv: String, dryRun: Bool, invite: Bool = true, importedBy: String? = nil, source: String = "upload",
             confirmLeavers: Bool = false) async throws -> ImportSummary {
        var summary = ImportSummary(dryRun: dryRun)
        let now = clock.now()
        let today = Day(now)
        let file = DirectoryFile.parse(csv, today: today)
        progress(.init(phase: "checked", done: file.rows.count, total: file.rows.count))
        guard file.issues.isEmpty else {
            summary.issues = file.issues
            return summary
        }
        let sql = try database.requireSQL()

        let existing = try await sql.select().columns(PersonRecord.columns.map { SQLIdentifier($0) }).from(Person.schema)
            .all(decoding: PersonRecord.self)
        var byExternalID: [String: Int] = [:]
        var byEmail: [String: Int] = [:]
        for (k, person) in existing.enumerated() {
            byExternalID[person.external_id] = k
            byEmail[person.email] = k
        }
        let idsInFile = Set(file.rows.map(\.externalID))

        var newPeople: [PersonRecord] = []
        var changedPeople: [PersonRecord] = []
        for row in file.rows {
            if let k = byEmail[row.email], existing[k].external_id != row.externalID, !idsInFile.contains(existing[k].external_id) {
                summary.issues.append(.init(row: row.row, column: "email",
                    reason: "'\(row.email)' already belongs to \(existing[k].external_id) (\(existing[k].name)), who is no longer in the file"))
                continue
            }
            if let k = byExternalID[row.externalID] {
                var person = existing[k]
                let columns = Self.apply(row, to: &person, columns: file.columns)
                if columns.isEmpty {
                    summary.unchanged += 1
                } else {
                    summary.updated += 1
                    changedPeople.append(person)
                    summary.note(.init(employeeID: row.externalID, name: row.name, kind: "updated", columns: columns))
                }
            } else {
                newPeople.append(Self.record(row))
                summary.created += 1
                summary.note(.init(employeeID: row.externalID, name: row.name, kind: "new", columns: []))
            }
        }
        let todayText = today.description
        var leavers = existing.filter { !idsInFile.contains($0.external_id) && !$0.hasLeft(asOf: todayText) }
        for k in leavers.indices {
            leavers[k].leave_date = todayText
            summary.note(.init(employeeID: leavers[k].external_id, name: leavers[k].name, kind: "leaver", columns: ["leave_date"]))
        }
        summary.leavers = leavers.count
        guard summary.issues.isEmpty else { return summary }
        summary.currentStaff = existing.filter { !$0.hasLeft(asOf: todayText) }.count
        if ImportSummary.isMassLeaving(leavers: leavers.count, currentStaff: summary.currentStaff) {
            summary.leaverWarning = "This file would mark \(leavers.count) of the \(summary.currentStaff) current staff as leavers and end their accounts. "
                + "Is it the whole directory? A partial export or the wrong file does this."
            if !dryRun && !confirmLeavers {
                summary.needsConfirmation = true
                return summary
            }
        }

        struct Account: Decodable { let person_id: UUID?; let email: String }
        let accounts = try await sql.select().column("person_id").column("email").from(User.schema).all(decoding: Account.self)
        let linkedPeople = Set(accounts.compactMap(\.person_id))
        let accountEmails = Set(accounts.map(\.email))
        let inFile = existing.filter { idsInFile.contains($0.external_id) }.map { p in changedPeople.first { $0.id == p.id } ?? p }
        let toInvite = invite ? (inFile + newPeople).filter {
            !$0.hasLeft(asOf: todayText) && !linkedPeople.contains($0.id) && !accountEmails.contains($0.email)
        } : []
        summary.invited = toInvite.count
        if dryRun { return summary }

        let linkBase = self.linkBase
        let progress = self.progress
        let (added, changed, departed, finalSummary) = (newPeople, changedPeople, leavers, summary)
        try await database.writeTransaction { db in
            let sql = try db.requireSQL()
            if sql.dialect.name == "sqlite" {
                // A large import otherwise spills SQLite's 2 MB page cache and writes statement journals to temporary files.
                try await sql.raw("PRAGMA cache_size = -65536").run()
                try await sql.raw("PRAGMA temp_store = MEMORY").run()
            }
            for (n, batch) in added.chunks(of: Self.batchSize).enumerated() {
                try await sql.insert(into: Person.schema)
                    .columns((PersonRecord.columns + ["search_text", "created_at", "updated_at"]).map { SQLIdentifier($0) })
                    .rows(batch.map { $0.values + [SQLBind($0.searchText), SQLBind(now), SQLBind(now)] })
                    .run()
                progress(.init(phase: "adding people", done: min((n + 1) * Self.batchSize, added.count), total: added.count))
            }
            for (n, person) in (changed + departed).enumerated() {
                var update = sql.update(Person.schema)
                for (column, value) in zip(PersonRecord.columns.dropFirst(), person.values.dropFirst()) {
                    update = update.set(SQLIdentifier(column), to: value)
                }
                try await update.set("search_text", to: person.searchText).set("updated_at", to: now)
                    .where("id", .equal, person.id).run()
                if n % Self.batchSize == Self.batchSize - 1 {
                    progress(.init(phase: "updating people", done: n + 1, total: changed.count + departed.count))
                }
            }
            try await Self.syncAccounts(of: departed + changed, today: todayText, now: now, on: sql)
            try await Self.invite(toInvite, linkBase: linkBase, now: now, on: sql, progress: progress)
            let record = DirectoryImportRecord()
            record.importedBy = importedBy
            record.source = source
            record.createdCount = finalSummary.created
            record.updatedCount = finalSummary.updated
            record.unchangedCount = finalSummary.unchanged
            record.leaverCount = finalSummary.leavers
            record.invitedCount = finalSummary.invited
            try await record.create(on: db)
        }
        return summary
    }

    static func record(_ row: DirectoryRow) -> PersonRecord {
        PersonRecord(id: UUID(), external_id: row.externalID, name: row.name, email: row.email, department: row.department,
                     title: row.title, level: row.level, manager_external_id: row.managerID, location: row.location,
                     time_zone: row.timeZone, hire_date: row.hireDate, leave_date: row.leaveDate, birth_year: row.birthYear,
                     diversity: encode(row.diversity))
    }

    /// Copies a row onto an existing person; returns the columns that changed. Columns missing from
    /// the file leave the person's field as it was (an export that drops a column wipes nothing).
    static func apply(_ row: DirectoryRow, to person: inout PersonRecord, columns: Set<String>) -> [String] {
        var changed: [String] = []
        let hasDiversity = columns.contains { $0.hasPrefix(DirectoryColumns.diversityPrefix) }
        func set<T: Equatable>(_ keyPath: WritableKeyPath<PersonRecord, T>, _ value: T, _ column: String) {
            let present = column == "diversity" ? hasDiversity : columns.contains(column)
            guard present, person[keyPath: keyPath] != value else { return }
            changed.append(column)
            person[keyPath: keyPath] = value
        }
        set(\.name, row.name, "name")
        set(\.email, row.email, "email")
        set(\.department, row.department, "department")
        set(\.title, row.title, "title")
        set(\.level, row.level, "level")
        set(\.manager_external_id, row.managerID, "manager_id")
        set(\.location, row.location, "location")
        set(\.time_zone, row.timeZone, "time_zone")
        set(\.hire_date, row.hireDate, "hire_date")
        set(\.leave_date, row.leaveDate, "leave_date")
        set(\.birth_year, row.birthYear, "birth_year")
        set(\.diversity, encode(row.diversity), "diversity")
        return changed
    }

    static func encode(_ diversity: [String: String]) -> String? {
        guard !diversity.isEmpty else { return nil }
        // Sorted keys, hand-joined: a JSONEncoder per row costs more than the rest of the row.
        let body = diversity.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",")
        return "{" + body + "}"
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Leavers' accounts stop working; people who are back (leave date cleared) get theirs again.
    static func syncAccounts(of people: [PersonRecord], today: String, now: Date, on sql: any SQLDatabase) async throws {
        let left = people.filter { $0.hasLeft(asOf: today) }.map(\.id)
        let present = people.filter { !$0.hasLeft(asOf: today) }.map(\.id)
        for batch in left.chunks(of: batchSize) {
            try await sql.update(User.schema)
                .set("deactivated_at", to: now)
                .set("auth_version", to: SQLRaw("auth_version + 1"))
                .where("person_id", .in, Array(batch))
                .where("deactivated_at", .is, SQLLiteral.null)
                .run()
        }
        for batch in present.chunks(of: batchSize) {
            try await sql.update(User.schema)
                .set("deactivated_at", to: SQLLiteral.null)
                .where("person_id", .in, Array(batch))
                .where("deactivated_at", .isNot, SQLLiteral.null)
                .run()
        }
    }

    /// Creates a participant account, a single-use invitation and an outbox message for each person.
    static func invite(_ people: [PersonRecord], linkBase: String, now: Date, on sql: any SQLDatabase, progress: @Sendable (ImportProgress) -> Void) async throws {
        let expires = now.addingTimeInterval(invitationLifetime)
        let expiryDay = Day(expires)
        for (n, batch) in people.chunks(of: batchSize).enumerated() {
            var users: [[any SQLExpression]] = []
            var tokens: [[any SQLExpression]] = []
            var messages: [[any SQLExpression]] = []
            for person in batch {
                let userID = UUID()
                let token = Secrets.newToken()
                users.append([SQLBind(userID), SQLBind(person.email), SQLBind(person.name), SQLBind(Role.participant.rawValue),
                              SQLBind(person.id), SQLBind(1), SQLBind(now)])
                tokens.append([SQLBind(UUID()), SQLBind(OneTimeToken.Purpose.invitation.rawValue), SQLBind(Secrets.digest(token)),
                               SQLBind(userID), SQLBind(expires), SQLBind(now)])
                // Essential, and the person has no account to choose for yet: straight to the outbox, in bulk.
                let message = Mail.invitation(name: person.name, link: linkBase + WebRoute.invitation.link(token), expiresOn: expiryDay)
                messages.append([SQLBind(UUID()), SQLBind(person.email), SQLBind(message.subject), SQLBind(message.body), SQLBind(now),
                                 SQLBind(message.kind.rawValue)])
            }
            try await sql.insert(into: User.schema)
                .columns("id", "email", "name", "role", "person_id", "auth_version", "created_at").rows(users).run()
            try await sql.insert(into: OneTimeToken.schema)
                .columns("id", "purpose", "token_hash", "user_id", "expires_at", "created_at").rows(tokens).run()
            try await sql.insert(into: OutboxMessage.schema)
                .columns("id", "recipient", "subject", "body", "created_at", "kind").rows(messages).run()
            progress(.init(phase: "inviting", done: min((n + 1) * batchSize, people.count), total: people.count))
        }
    }
}

extension DirectoryImporter.PersonRecord {
    static let columns = ["id", "external_id", "name", "email", "department", "title", "level", "manager_external_id",
                          "location", "time_zone", "hire_date", "leave_date", "birth_year", "diversity"]

    /// The values in `columns` order.
    var values: [any SQLExpression] {
        [SQLBind(id), SQLBind(external_id), SQLBind(name), SQLBind(email), SQLBind(department), SQLBind(title), SQLBind(level),
         SQLBind(manager_external_id), SQLBind(location), SQLBind(time_zone), SQLBind(hire_date), SQLBind(leave_date),
         SQLBind(birth_year), SQLBind(diversity)]
    }
}

extension ImportSummary {
    mutating func note(_ change: Change) {
        if changes.count < DirectoryImporter.previewLimit { changes.append(change) }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
