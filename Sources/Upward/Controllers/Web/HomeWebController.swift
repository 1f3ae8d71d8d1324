import Fluent
import Vapor

/// The home page: what each role needs first.
struct HomeWebController {
    /// Groups smaller than this are never shown (DESIGN.md, Measuring).
    static let smallestGroup = 5

    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.home.components, use: home)
    }

    struct HomeView: Encodable {
        var role: String
        var firstName: String
        var people: Int
        var departmentCount: Int
        var departments: [DirectoryService.DepartmentCount]
        var hiddenDepartments: Int
        var lastImport: LastImport?
        var pendingInvitations: Int
        var accounts: Int
        var me: PersonRow?
        var myManager: PersonRow?
        var directoryEmpty: Bool
        var links: Links
    }

    struct Links: Encodable {
        var directory = WebRoute.directory.link()
        var importPeople = WebRoute.importPeople.link()
        var users = WebRoute.users.link()
        var outbox = WebRoute.outbox.link()
        var account = WebRoute.account.link()
        var tokens = WebRoute.tokens.link()
    }

    struct LastImport: Encodable {
        var when: String
        var by: String
        var summary: String
    }

    func home(req: Request) async throws -> Response {
        let user = try req.user()
        let directory = DirectoryService(database: req.db)
        let departments = try await directory.departments()
        let people = departments.reduce(0) { $0 + $1.people }
        let record = try await DirectoryImportRecord.query(on: req.db).sort(\.$createdAt, .descending).first()
        var me: PersonRow?
        var manager: PersonRow?
        if let person = try await user.$person.get(on: req.db) {
            let access = DirectoryAccess(role: user.role)
            me = PersonRow(person, access: access)
            if let boss = try await directory.manager(of: person), access.maySee(boss) {
                manager = PersonRow(boss, access: access)
            }
        }
        let shown = departments.filter { $0.people >= Self.smallestGroup }
        let view = HomeView(
            role: user.role.rawValue,
            firstName: String(user.name.split(separator: " ").first ?? Substring(user.name)),
            people: people,
            departmentCount: departments.count,
            departments: shown,
            hiddenDepartments: departments.count - shown.count,
            lastImport: record.map { LastImport(when: Formatting.dateTime($0.createdAt), by: $0.importedBy ?? "the command line",
                                                summary: "\($0.createdCount) new, \($0.updatedCount) updated, \($0.leaverCount) leavers") },
            pendingInvitations: user.role == .admin
                ? try await OneTimeToken.query(on: req.db).filter(\.$purpose == .invitation).filter(\.$usedAt == nil).count() : 0,
            accounts: user.role == .admin ? try await User.query(on: req.db).count() : 0,
            me: me, myManager: manager, directoryEmpty: people == 0, links: Links())
        return try await req.page("home", title: "Home", view)
    }
}

enum Formatting {
    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        return f.string(from: date)
    }
}

/// A person as a row in a list or a card.
struct PersonRow: Encodable {
    var link: String
    var employeeID: String
    var name: String
    var email: String
    var department: String
    var title: String
    var level: Int
    var location: String?
    var timeZone: String?
    var hireDate: String?
    var leaveDate: String?
    var hasLeft: Bool

    init(_ person: Person, access: DirectoryAccess, today: Day = .today) {
        link = WebRoute.person.link(person.id?.uuidString ?? "")
        employeeID = person.externalID
        name = person.name
        email = person.email
        department = person.department
        title = person.title ?? ""
        level = person.level
        location = person.location
        timeZone = person.timeZone
        hireDate = access.seesEmployment ? person.hireDate : nil
        leaveDate = access.seesEmployment ? person.leaveDate : nil
        hasLeft = person.hasLeft(asOf: today.description)
    }
}
