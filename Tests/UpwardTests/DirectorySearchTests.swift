import Fluent
import Testing
import VaporTesting
@testable import Upward

@Suite("Directory search and reporting lines")
struct DirectorySearchTests {
    func loaded(_ app: Application) async throws -> DirectoryService {
        _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people.csv"), dryRun: false, invite: false)
        return DirectoryService(database: app.db)
    }

    @Test func every_word_must_match_name_email_department_or_title_in_any_case() async throws {
        try await withUpward { app in
            let directory = try await loaded(app)
            #expect(try await directory.search(.init(text: "PRIYA")).people.map(\.externalID) == ["E003"])
            #expect(try await directory.search(.init(text: "kofi.mensah@")).people.map(\.externalID) == ["E009"])
            #expect(try await directory.search(.init(text: "software ENGINEER")).people.map(\.externalID) == ["E004"])
            #expect(try await directory.search(.init(text: "finance")).total == 2)
            #expect(try await directory.search(.init(text: "graduate engineer")).people.map(\.externalID) == ["E005"])
            #expect(try await directory.search(.init(text: "nobody-like-this")).total == 0)
            #expect(try await directory.search(.init(text: "100%")).total == 0)
        }
    }

    @Test func filters_by_department_and_level_and_pages_by_name() async throws {
        try await withUpward { app in
            let directory = try await loaded(app)
            #expect(try await directory.search(.init(department: "Engineering")).total == 4)
            #expect(try await directory.search(.init(department: "Engineering", level: 1)).people.map(\.externalID) == ["E005"])
            let first = try await directory.search(.init(page: 1, per: 4))
            let third = try await directory.search(.init(page: 3, per: 4))
            #expect(first.total == 10 && first.pageCount == 3)
            #expect(first.people.map(\.name) == ["Grace Okafor", "Hugo Schmidt", "Kofi Mensah", "Liam Murphy"])
            #expect(third.people.count == 2)
        }
    }

    @Test func leavers_are_hidden_unless_asked_for() async throws {
        try await withUpward { app in
            let directory = try await loaded(app)
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people-update.csv"), dryRun: false, invite: false)
            #expect(try await directory.search(.init(text: "rosa")).total == 0)
            #expect(try await directory.search(.init(text: "rosa", includeLeavers: true)).total == 1)
        }
    }

    @Test func reporting_line_goes_up_to_the_top_and_down_the_whole_organisation() async throws {
        try await withUpward { app in
            let directory = try await loaded(app)
            let noor = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E005").first())
            let up = try await directory.reportingLine(of: noor)
            #expect(up.managers.map(\.externalID) == ["E003", "E002", "E001"])
            #expect(up.directReports.isEmpty)
            let hugo = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E002").first())
            let down = try await directory.reportingLine(of: hugo)
            #expect(down.directReports.map(\.externalID) == ["E009", "E003"])  // by name: Kofi, Priya
            #expect(down.organisationSize == 5)  // E003, E004, E005, E009, E010
            #expect(try await directory.organisationSize(below: "E001") == 9)
        }
    }

    @Test func departments_count_current_people() async throws {
        try await withUpward { app in
            let directory = try await loaded(app)
            let departments = try await directory.departments()
            #expect(departments.first { $0.name == "Engineering" }?.people == 4)
            #expect(departments.map(\.name) == departments.map(\.name).sorted())
            #expect(try await directory.levels() == [1, 2, 3, 4, 6, 7])
        }
    }
}
