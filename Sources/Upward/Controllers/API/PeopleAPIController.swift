import Fluent
import Vapor

/// `/api/v1/people`, `/api/v1/departments`, `/api/v1/me`.
struct PeopleAPIController {
    func register(on routes: any RoutesBuilder) {
        routes.get(APIRoute.me.components, use: me)
        let readers = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        readers.get(APIRoute.people.components, use: search)
        readers.get(APIRoute.person.components, use: detail)
        readers.get(APIRoute.departments.components, use: departments)
        BodyLimit.post(routes.grouped(RequireRole(.admin, .coordinator)), APIRoute.importPeople.components,
                       maxBytes: BodyLimit.directoryImport, for: [.admin, .coordinator], use: importPeople)
    }

    func me(req: Request) async throws -> UserDTO {
        UserDTO(try req.user())
    }

    func search(req: Request) async throws -> PageDTO<PersonDTO> {
        let p = try req.strictQuery(PeopleSearchParameters.self)
        let access = try req.directoryAccess()
        _ = try BoundedInt.check(p.level, "level", in: Person.levelRange)
        let paging = try PageRequest(page: p.page, per: p.per, maxPer: DirectoryService.maxPerPage)
        let results = try await req.people.search(.init(
            text: p.q ?? "", department: p.department, level: p.level,
            includeLeavers: (p.includeLeavers ?? false) && access.seesEmployment, page: paging.page, per: paging.per))
        return PageDTO(items: results.people.map { PersonDTO($0, access: access) }, page: results.page, per: results.per,
                       total: results.total, pageCount: results.pageCount)
    }

    func detail(req: Request) async throws -> PersonDetailDTO {
        let access = try req.directoryAccess()
        guard let person = try await req.people.person(req.parameters.get("personID", as: UUID.self), for: access) else {
            throw Problem(.notFound, "No person has that id. Search /api/v1/people to find their id.")
        }
        let line = try await req.people.reportingLine(of: person)
        return PersonDetailDTO(person: PersonDTO(person, access: access), managers: line.managers.filter { access.maySee($0) }.map { PersonDTO($0, access: access) },
                               directReports: line.directReports.filter { access.maySee($0) }.map { PersonDTO($0, access: access) },
                               organisationSize: line.organisationSize)
    }

    func departments(req: Request) async throws -> [DirectoryService.DepartmentCount] {
        try await req.people.departments()
    }

    /// The body is the CSV itself (`text/csv`). A file with problems answers 422 with every row's problem.
    func importPeople(req: Request) async throws -> Response {
        let p = try req.strictQuery(PeopleImportParameters.self)
        guard let body = req.body.string, !body.isEmpty else {
            throw Problem(.badRequest, "Send the directory CSV as the request body (Content-Type: text/csv).")
        }
        let user = try req.user()
        let summary = try await req.peopleImport
            .run(csv: body, dryRun: p.dryRun ?? false, invite: p.invite ?? true, importedBy: user.email, source: "api",
                 confirmLeavers: p.confirmLeavers ?? false)
        if summary.needsConfirmation, let warning = summary.leaverWarning {
            throw Problem(.conflict, warning + " Nothing was imported; if the file is right, send it again with ?confirmLeavers=true.")
        }
        guard summary.succeeded else {
            throw Problem(.unprocessableEntity,
                          "The file has \(summary.issues.count) problem(s); nothing was imported. Fix the rows listed in errors and send it again.",
                          errors: summary.issues)
        }
        return try await summary.encodeResponse(status: summary.dryRun ? .ok : .created, for: req)
    }
}
