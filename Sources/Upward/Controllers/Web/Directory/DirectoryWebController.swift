import Fluent
import Vapor

/// The directory: search, a person's page with their reporting line, and the CSV import.
struct DirectoryWebController {
    func register(on routes: any RoutesBuilder) {
        let readers = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        readers.get(WebRoute.directory.components, use: search)
        readers.get(WebRoute.person.components, use: person)
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(WebRoute.importPeople.components, use: importForm)
        BodyLimit.post(coordinators, WebRoute.importPeople.components, maxBytes: BodyLimit.directoryImport, for: [.admin, .coordinator], use: importPeople)
    }

    struct SearchParameters: Decodable {
        var q: String?
        var department: String?
        var level: String?
        var leavers: String?
        var page: Int?
    }

    func search(req: Request) async throws -> Response {
        let p = (try? req.query.decode(SearchParameters.self)) ?? SearchParameters()
        let service = req.people
        let access = try req.directoryAccess()
        let query = DirectoryService.Query(
            text: p.q ?? "", department: p.department.flatMap { $0.isEmpty ? nil : $0 },
            level: p.level.flatMap(Int.init), includeLeavers: p.leavers == "on" && access.seesEmployment, page: PageRequest(lenientPage: p.page, per: 25).page, per: 25)
        var results = try await service.search(query)
        if results.people.isEmpty && results.page > results.pageCount {
            // A page past the last (an old link, a typed number) shows the last page.
            var last = query
            last.page = results.pageCount
            results = try await service.search(last)
        }
        func link(page: Int) -> String {
            WebLink.path(WebRoute.directory.link(), query: [("q", p.q), ("department", p.department), ("level", p.level), ("leavers", p.leavers), ("page", String(page))]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } })
        }
        let departments = try await service.departments().map { SelectOption(value: $0.name, label: "\($0.name) (\($0.people))", selected: $0.name == query.department) }
        let levels = try await service.levels().map { SelectOption(value: String($0), label: "Level \($0)", selected: $0 == query.level) }
        let view = DirectoryView(
            q: query.text, includeLeavers: query.includeLeavers, canIncludeLeavers: access.seesEmployment,
            departments: departments, levels: levels,
            people: try results.people.map { try PersonRow($0, access: access) },
            total: results.total, page: results.page, pageCount: results.pageCount,
            previous: results.page > 1 ? link(page: results.page - 1) : nil,
            next: results.page < results.pageCount ? link(page: results.page + 1) : nil)
        return try await req.page("directory", title: "Directory", view)
    }

    func person(req: Request) async throws -> Response {
        let access = try req.directoryAccess()
        guard let person = try await req.people.person(req.parameters.get("personID", as: UUID.self), for: access) else {
            throw Abort(.notFound, reason: "There is nobody at this address in the directory. Search the directory for them.")
        }
        let line = try await req.people.reportingLine(of: person)
        let view = PersonView(person: try PersonRow(person, access: access), managers: try line.managers.reversed().filter { access.maySee($0) }.map { try PersonRow($0, access: access) },
                              directReports: try line.directReports.filter { access.maySee($0) }.map { try PersonRow($0, access: access) }, organisationSize: line.organisationSize,
                              showEmploymentDates: access.seesEmployment)
        return try await req.page("person", title: person.name, view)
    }

    func importForm(req: Request) async throws -> Response {
        try await req.page("import", title: "Import the staff directory", ImportView())
    }

    struct ImportForm: Decodable {
        var file: File?
        var mode: String?
        var invite: String?
        var confirmLeavers: String?
    }

    func importPeople(req: Request) async throws -> Response {
        let form = try req.content.decode(ImportForm.self)
        guard let file = form.file, file.data.readableBytes > 0 else {
            return try await req.page("import", title: "Import the staff directory",
                                      ImportView(error: "Choose a CSV file to import."), status: .unprocessableEntity)
        }
        guard let text = file.data.getString(at: file.data.readerIndex, length: file.data.readableBytes, encoding: .utf8) else {
            return try await req.page("import", title: "Import the staff directory",
                                      ImportView(fileName: file.filename, error: "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again."),
                                      status: .unprocessableEntity)
        }
        let summary = try await req.peopleImport
            .run(csv: text, dryRun: form.mode != "apply", invite: form.invite == "on",
                 importedBy: try req.user().email, source: file.filename, confirmLeavers: form.confirmLeavers == "on")
        return try await req.page("import", title: "Import the staff directory",
                                  ImportView(summary: summary, fileName: file.filename),
                                  status: summary.needsConfirmation ? .conflict : summary.succeeded ? .ok : .unprocessableEntity)
    }
}
