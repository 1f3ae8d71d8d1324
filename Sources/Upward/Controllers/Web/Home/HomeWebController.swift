import Fluent
import Vapor

/// The home page: what each role needs first.
struct HomeWebController {
    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.home.components, use: home)
    }

    func home(req: Request) async throws -> Response {
        let user = try req.user()
        let directory = req.people
        let departments = try await directory.departments()
        let people = departments.reduce(0) { $0 + $1.people }
        let record = try await directory.lastImport()
        var me: PersonRow?
        var manager: PersonRow?
        var standing: [StandingLine] = []
        if let person = try await directory.person(of: user) {
            if user.role == .participant {
                standing = try await req.pairingSpace.participantStatus(of: person).map(StandingLine.init)
            }
            let access = try req.directoryAccess()
            me = try PersonRow(person, access: access)
            if let boss = try await directory.manager(of: person), access.maySee(boss) {
                manager = try PersonRow(boss, access: access)
            }
        }
        let (shown, hidden) = Privacy.shown(departments, size: \.people)
        var view = HomeView(
            role: user.role,
            firstName: String(user.name.split(separator: " ").first ?? Substring(user.name)),
            people: people,
            departmentCount: departments.count,
            departments: shown,
            hiddenDepartments: hidden,
            lastImport: record.map { HomeView.LastImport(when: Formatting.dateTime($0.createdAt), by: $0.importedBy ?? "the command line",
                                                         summary: "\($0.createdCount) new, \($0.updatedCount) updated, \($0.leaverCount) leavers") },
            pendingInvitations: user.role == .admin ? try await req.accounts.pendingInvitations() : 0,
            accounts: user.role == .admin ? try await req.accounts.count() : 0,
            me: me, myManager: manager, standing: standing)
        let overview = ProgrammeOverview(database: req.db, clock: req.clock)
        if user.role == .coordinator || user.role == .admin {
            view.programmesNext = try await overview.nextActions().map(HomeView.ProgrammeLine.init)
            view.urgentAlerts = try await overview.urgentAlerts().map(HomeView.AlertLine.init)
        }
        if user.role == .sponsor {
            view.programmeFigures = try await overview.aggregates().map(HomeView.ProgrammeFigures.init)
        }
        return try await req.page("home", title: "Home", view)
    }
}
