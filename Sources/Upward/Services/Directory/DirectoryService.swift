import Fluent
import SQLKit
import Vapor

/// What a role may see of the directory. The pages and the API both apply it, so neither shows more.
struct DirectoryAccess: Sendable, Equatable {
    let role: Role
    /// The day "has left" is judged on.
    let today: Day

    init(role: Role, today: Day) { (self.role, self.today) = (role, today) }

    /// Hire and leave dates, and people who have left: HR facts for coordinators and admins only.
    var seesEmployment: Bool { role == .admin || role == .coordinator }

    /// Whether this role may open the person's record at all: people who have left only for those who see employment.
    func maySee(_ person: Person) -> Bool {
        seesEmployment || !person.hasLeft(asOf: today.description)
    }
}

/// Searching the directory and walking reporting lines. Used by both the pages and the API.
struct DirectoryService {
    let database: any Database
    var clock: UpwardClock = .system
    var today: Day { clock.today }

    struct Query: Sendable {
        var text: String = ""
        var department: String?
        var level: Int?
        var includeLeavers = false
        var page = 1
        var per = 25
    }

    struct Results {
        var people: [Person]
        var total: Int
        var page: Int
        var per: Int
        var pageCount: Int { max(1, (total + per - 1) / per) }
    }

    static let maxPerPage = 200

    /// Every word must appear in the name, email, department or title; case does not matter.
    func search(_ query: Query) async throws -> Results {
        let per = min(max(query.per, 1), Self.maxPerPage)
        let page = min(max(query.page, 1), PageRequest.maxPage)
        var builder = Person.query(on: database)
        for word in Self.words(query.text) {
            builder = builder.filter(\.$searchText ~~ word)
        }
        if let department = query.department, !department.isEmpty {
            builder = builder.filter(\.$department == department)
        }
        if let level = query.level {
            builder = builder.filter(\.$level == level)
        }
        if !query.includeLeavers {
            builder = builder.currentStaff(on: today)
        }
        let total = try await builder.count()
        // Both factors are bounded above, so the offset cannot overflow; a page past the last is empty.
        let offset = (page - 1) * per
        let people = offset >= total ? [] : try await builder.sort(\.$name).sort(\.$externalID).range(offset..<(offset + per)).all()
        return Results(people: people, total: total, page: page, per: per)
    }

    /// The person's manager, if the directory has them.
    func manager(of person: Person) async throws -> Person? {
        guard let id = person.managerExternalID else { return nil }
        return try await Person.query(on: database).filter(\.$externalID == id).first()
    }

    /// Lower-cased search words; `%` and `_` are dropped because LIKE would read them as wildcards.
    static func words(_ text: String) -> [String] {
        text.lowercased()
            .replacingOccurrences(of: "%", with: "")
            .replacingOccurrences(of: "_", with: "")
            .split(whereSeparator: { $0.isWhitespace })
            .map(String.init)
    }

    struct ReportingLine {
        /// The managers above, nearest first.
        var managers: [Person]
        var directReports: [Person]
        /// Everybody below, at any depth.
        var organisationSize: Int
    }

    func reportingLine(of person: Person) async throws -> ReportingLine {
        var managers: [Person] = []
        var seen: Set<String> = [person.externalID]
        var next = person.managerExternalID
        while let id = next, !seen.contains(id),
              let manager = try await Person.query(on: database).filter(\.$externalID == id).first() {
            managers.append(manager)
            seen.insert(id)
            next = manager.managerExternalID
        }
        let reports = try await Person.query(on: database)
            .filter(\.$managerExternalID == person.externalID)
            .sort(\.$name).all()
        return ReportingLine(managers: managers, directReports: reports,
                             organisationSize: try await organisationSize(below: person.externalID))
    }

    /// Counts everybody below a person with one recursive query (portable: SQLite and PostgreSQL).
    func organisationSize(below externalID: String) async throws -> Int {
        let sql = try database.requireSQL()
        struct Count: Decodable { let n: Int }
        let row = try await sql.raw("""
            WITH RECURSIVE below(id) AS (
              SELECT external_id FROM people WHERE manager_external_id = \(bind: externalID)
              UNION SELECT p.external_id FROM people p JOIN below b ON p.manager_external_id = b.id
            ) SELECT COUNT(*) AS n FROM below
            """).first(decoding: Count.self)
        return row?.n ?? 0
    }

    struct DepartmentCount: Codable, Sendable {
        var name: String
        var people: Int
    }

    /// Departments with how many current people each has, by name.
    /// The person with this id if `access` may see them, else nil (a leaver is not there for a participant).
    func person(_ id: UUID?, for access: DirectoryAccess) async throws -> Person? {
        guard let id, let person = try await Person.find(id, on: database), access.maySee(person) else { return nil }
        return person
    }

    /// The latest directory import, for "last imported" lines.
    func lastImport() async throws -> DirectoryImportRecord? {
        try await DirectoryImportRecord.query(on: database).sort(\.$createdAt, .descending).first()
    }

    /// The directory entry an account belongs to, if any.
    func person(of user: User) async throws -> Person? {
        try await user.$person.get(on: database)
    }

    func departments() async throws -> [DepartmentCount] {
        try await database.requireSQL().raw("""
            SELECT department AS name, COUNT(*) AS people FROM people
            WHERE \(Person.currentStaffSQL(on: today))
            GROUP BY department ORDER BY department
            """).all(decoding: DepartmentCount.self)
    }

    /// The distinct levels in use, lowest first.
    func levels() async throws -> [Int] {
        struct Level: Decodable { let level: Int }
        return try await database.requireSQL().raw("SELECT DISTINCT level FROM people ORDER BY level").all(decoding: Level.self).map(\.level)
    }
}
