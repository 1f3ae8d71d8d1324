import Fluent
import Vapor

/// The home page: what each role needs first.
struct HomeWebController {
    /// Groups smaller than this are never shown (DESIGN.md, Measuring).
    static let smallestGroup = 5

    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.home.components, use: home)
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
            role: user.role,
            firstName: String(user.name.split(separator: " ").first ?? Substring(user.name)),
            people: people,
            departmentCount: departments.count,
            departments: shown,
            hiddenDepartments: departments.count - shown.count,
            lastImport: record.map { HomeView.LastImport(when: Formatting.dateTime($0.createdAt), by: $0.importedBy ?? "the command line",
                                                         summary: "\($0.createdCount) new, \($0.updatedCount) updated, \($0.leaverCount) leavers") },
            pendingInvitations: user.role == .admin
                ? try await OneTimeToken.query(on: req.db).filter(\.$purpose == .invitation).filter(\.$usedAt == nil).count() : 0,
            accounts: user.role == .admin ? try await User.query(on: req.db).count() : 0,
            me: me, myManager: manager)
        return try await req.page("home", title: "Home", view)
    }
}
