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
        routes.grouped(RequireRole(.admin, .coordinator))
            .on(.POST, APIRoute.importPeople.components, body: .collect(maxSize: "64mb"), use: importPeople)
    }

    func me(req: Request) async throws -> UserDTO {
        UserDTO(try req.user())
    }

    struct SearchParameters: Decodable {
        var q: String?
        var department: String?
        var level: Int?
        var includeLeavers: Bool?
        var page: Int?
        var per: Int?
    }

    func search(req: Request) async throws -> PageDTO<PersonDTO> {
        let p: SearchParameters
        do { p = try req.query.decode(SearchParameters.self) } catch {
            throw Problem(.badRequest, "The query is not valid: level, page and per are whole numbers and includeLeavers is true or false.")
        }
        if let per = p.per, !(1...DirectoryService.maxPerPage).contains(per) {
            throw Problem(.badRequest, "per must be between 1 and \(DirectoryService.maxPerPage).")
        }
        let results = try await DirectoryService(database: req.db).search(.init(
            text: p.q ?? "", department: p.department, level: p.level,
            includeLeavers: p.includeLeavers ?? false, page: p.page ?? 1, per: p.per ?? 25))
        return PageDTO(items: results.people.map { PersonDTO($0) }, page: results.page, per: results.per,
                       total: results.total, pageCount: results.pageCount)
    }

    func detail(req: Request) async throws -> PersonDetailDTO {
        guard let id = req.parameters.get("personID", as: UUID.self),
              let person = try await Person.find(id, on: req.db) else {
            throw Problem(.notFound, "No person has that id. Search /api/v1/people to find their id.")
        }
        let line = try await DirectoryService(database: req.db).reportingLine(of: person)
        return PersonDetailDTO(person: PersonDTO(person), managers: line.managers.map { PersonDTO($0) },
                               directReports: line.directReports.map { PersonDTO($0) },
                               organisationSize: line.organisationSize)
    }

    func departments(req: Request) async throws -> [DirectoryService.DepartmentCount] {
        try await DirectoryService(database: req.db).departments()
    }

    struct ImportParameters: Decodable {
        var dryRun: Bool?
        var invite: Bool?
    }

    /// The body is the CSV itself (`text/csv`). A file with problems answers 422 with every row's problem.
    func importPeople(req: Request) async throws -> Response {
        let p = (try? req.query.decode(ImportParameters.self)) ?? ImportParameters()
        guard let body = req.body.string, !body.isEmpty else {
            throw Problem(.badRequest, "Send the directory CSV as the request body (Content-Type: text/csv).")
        }
        let user = try req.user()
        let summary = try await DirectoryImporter(database: req.db, linkBase: req.application.upward.publicURL)
            .run(csv: body, dryRun: p.dryRun ?? false, invite: p.invite ?? true, importedBy: user.email, source: "api")
        guard summary.succeeded else {
            throw Problem(.unprocessableEntity,
                          "The file has \(summary.issues.count) problem(s); nothing was imported. Fix the rows listed in errors and send it again.",
                          errors: summary.issues)
        }
        return try await summary.encodeResponse(status: summary.dryRun ? .ok : .created, for: req)
    }
}
