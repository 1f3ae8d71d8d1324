import Fluent
import Foundation

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
    /// Every problem found. When there is any, nothing was changed.
    public var issues: [ImportIssue] = []
    /// The first changes, for a preview.
    public var changes: [Change] = []

    public var succeeded: Bool { issues.isEmpty }
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

    static let batchSize = 1000
    static let previewLimit = 200
    static let invitationLifetime: TimeInterval = 14 * 24 * 3600

    func run(csv: String, dryRun: Bool, invite: Bool = true, importedBy: String? = nil, source: String = "upload") async throws -> ImportSummary {
        var summary = ImportSummary(dryRun: dryRun)
        let today = Day.today
        let file = DirectoryFile.parse(csv, today: today)
        progress(.init(phase: "checked", done: file.rows.count, total: file.rows.count))
        guard file.issues.isEmpty else {
            summary.issues = file.issues
            return summary
        }

        let existing = try await Person.query(on: database).all()
        var byExternalID: [String: Person] = [:]
        var byEmail: [String: Person] = [:]
        for person in existing {
            byExternalID[person.externalID] = person
            byEmail[person.email] = person
        }
        let idsInFile = Set(file.rows.map(\.externalID))

        var newPeople: [Person] = []
        var changedPeople: [Person] = []
        for row in file.rows {
            if let other = byEmail[row.email], other.externalID != row.externalID, !idsInFile.contains(other.externalID) {
                summary.issues.append(.init(row: row.row, column: "email",
                    reason: "'\(row.email)' already belongs to \(other.externalID) (\(other.name)), who is no longer in the file"))
                continue
            }
            if let person = byExternalID[row.externalID] {
                let columns = Self.apply(row, to: person, columns: file.columns)
                if columns.isEmpty {
                    summary.unchanged += 1
                } else {
                    summary.updated += 1
                    changedPeople.append(person)
                    summary.note(.init(employeeID: row.externalID, name: row.name, kind: "updated", columns: columns))
                }
            } else {
                let person = Person()
                _ = Self.apply(row, to: person, columns: file.columns)
                newPeople.append(person)
                summary.created += 1
                summary.note(.init(employeeID: row.externalID, name: row.name, kind: "new", columns: []))
            }
        }
        let todayText = today.description
        let leavers = existing.filter { !idsInFile.contains($0.externalID) && !$0.hasLeft(asOf: todayText) }
        for person in leavers {
            person.leaveDate = todayText
            summary.note(.init(employeeID: person.externalID, name: person.name, kind: "leaver", columns: ["leave_date"]))
        }
        summary.leavers = leavers.count
        guard summary.issues.isEmpty else { return summary }

        let usersByPerson = try await User.query(on: database).all()
        let linkedPeople = Set(usersByPerson.compactMap { $0.$person.id })
        let userEmails = Set(usersByPerson.map(\.email))
        let everyone = existing.filter { idsInFile.contains($0.externalID) } + newPeople
        let toInvite = invite ? everyone.filter { !$0.hasLeft(asOf: todayText) && !linkedPeople.contains($0.id ?? UUID()) && !userEmails.contains($0.email) } : []
        // Preview counts the people who will get an invitation, including new ones (no id yet).
        summary.invited = invite ? everyone.filter { person in
            !person.hasLeft(asOf: todayText) && (person.id.map { !linkedPeople.contains($0) } ?? true) && !userEmails.contains(person.email)
        }.count : 0
        if dryRun { return summary }

        let linkBase = self.linkBase
        let progress = self.progress
        let (added, changed, finalSummary) = (newPeople, changedPeople, summary)
        try await database.transaction { db in
            let (newPeople, changedPeople) = (added, changed)
            for (n, batch) in newPeople.chunks(of: Self.batchSize).enumerated() {
                try await Array(batch).create(on: db)
                progress(.init(phase: "adding people", done: min((n + 1) * Self.batchSize, newPeople.count), total: newPeople.count))
            }
            for (n, person) in (changedPeople + leavers).enumerated() {
                try await person.save(on: db)
                if n % Self.batchSize == Self.batchSize - 1 {
                    progress(.init(phase: "updating people", done: n + 1, total: changedPeople.count + leavers.count))
                }
            }
            try await Self.syncAccounts(of: leavers + changedPeople, today: todayText, on: db)
            try await Self.invite(toInvite, linkBase: linkBase, on: db, progress: progress)
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

    /// Copies a row onto a person; returns the columns that changed. Columns missing from the
    /// file leave an existing person's field as it was (an export that drops a column wipes nothing).
    static func apply(_ row: DirectoryRow, to person: Person, columns: Set<String>) -> [String] {
        guard person.id != nil else {
            // A new person: assign directly (a key-path write through Fluent's wrappers reads the unset field first).
            person.externalID = row.externalID
            person.name = row.name
            person.email = row.email
            person.department = row.department
            person.title = row.title
            person.level = row.level
            person.managerExternalID = row.managerID
            person.location = row.location
            person.timeZone = row.timeZone
            person.hireDate = row.hireDate
            person.leaveDate = row.leaveDate
            person.birthYear = row.birthYear
            person.diversity = Self.encode(row.diversity)
            person.searchText = Person.searchText(name: row.name, email: row.email, department: row.department, title: row.title)
            return []
        }
        var changed: [String] = []
        let hasDiversity = columns.contains { $0.hasPrefix(DirectoryColumns.diversityPrefix) }
        func set<T: Equatable>(_ keyPath: ReferenceWritableKeyPath<Person, T>, _ value: T, _ column: String) {
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
        set(\.managerExternalID, row.managerID, "manager_id")
        set(\.location, row.location, "location")
        set(\.timeZone, row.timeZone, "time_zone")
        set(\.hireDate, row.hireDate, "hire_date")
        set(\.leaveDate, row.leaveDate, "leave_date")
        set(\.birthYear, row.birthYear, "birth_year")
        set(\.diversity, Self.encode(row.diversity), "diversity")
        person.searchText = Person.searchText(name: person.name, email: person.email, department: person.department, title: person.title)
        return changed
    }

    static func encode(_ diversity: [String: String]) -> String? {
        guard !diversity.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(diversity)) ?? Data(), as: UTF8.self)
    }

    /// Leavers' accounts stop working; people who are back (leave date cleared) get theirs again.
    static func syncAccounts(of people: [Person], today: String, on db: any Database) async throws {
        let left = people.filter { $0.hasLeft(asOf: today) }.compactMap(\.id)
        let present = people.filter { !$0.hasLeft(asOf: today) }.compactMap(\.id)
        for batch in left.chunks(of: batchSize) {
            for user in try await User.query(on: db).filter(\.$person.$id ~~ Array(batch)).filter(\.$deactivatedAt == nil).all() {
                user.deactivatedAt = Date()
                user.authVersion += 1
                try await user.save(on: db)
            }
        }
        for batch in present.chunks(of: batchSize) {
            try await User.query(on: db).filter(\.$person.$id ~~ Array(batch)).filter(\.$deactivatedAt != nil)
                .set(\.$deactivatedAt, to: nil).update()
        }
    }

    /// Creates a participant account, a single-use invitation and an outbox message for each person.
    static func invite(_ people: [Person], linkBase: String, on db: any Database, progress: @Sendable (ImportProgress) -> Void) async throws {
        let expires = Date().addingTimeInterval(invitationLifetime)
        for (n, batch) in people.chunks(of: batchSize).enumerated() {
            var users: [User] = []
            var tokens: [OneTimeToken] = []
            var messages: [OutboxMessage] = []
            for person in batch {
                let user = User(email: person.email, name: person.name, role: .participant, personID: person.id)
                user.id = UUID()
                let token = Secrets.newToken()
                users.append(user)
                tokens.append(OneTimeToken(purpose: .invitation, tokenHash: Secrets.digest(token), userID: user.id, expiresAt: expires))
                messages.append(Mail.invitation(to: person.email, name: person.name, link: linkBase + WebRoute.invitation.link(token), expires: expires))
            }
            try await users.create(on: db)
            try await tokens.create(on: db)
            try await messages.create(on: db)
            progress(.init(phase: "inviting", done: min((n + 1) * batchSize, people.count), total: people.count))
        }
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
