import ArgumentParser
import Foundation
import Testing
@testable import UpwardCLI
import Matching

@Suite("Command line")
struct CLITests {
    @Test func serve_takes_hostname_port_demo_and_database() throws {
        let command = try UpwardCommand.parseAsRoot(["serve", "--hostname", "0.0.0.0", "--port", "9000", "--demo", "--database", "x.sqlite"])
        let serve = try #require(command as? UpwardCommand.Serve)
        #expect(serve.hostname == "0.0.0.0")
        #expect(serve.port == 9000)
        #expect(serve.demo)
        #expect(serve.db.database == "x.sqlite")
    }

    @Test func serve_help_describes_the_demo_as_it_is() {
        let help = UpwardCommand.helpMessage(for: UpwardCommand.Serve.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("311 people in 11 departments"))
    }

    @Test func serve_is_the_default_command() throws {
        #expect(try UpwardCommand.parseAsRoot([]) is UpwardCommand.Serve)
    }

    @Test func import_people_takes_a_file_and_flags() throws {
        let command = try UpwardCommand.parseAsRoot(["import", "people", "hr.csv", "--dry-run", "--no-invite"])
        let importer = try #require(command as? UpwardCommand.ImportPeople)
        #expect(importer.file == "hr.csv")
        #expect(importer.dryRun)
        #expect(!importer.invite)
    }

    @Test func a_bad_port_is_refused_with_a_message() {
        #expect(throws: (any Error).self) { try UpwardCommand.parseAsRoot(["serve", "--port", "eighty"]) }
        let message = UpwardCommand.message(for: CLIError.example)
        #expect(!message.isEmpty)
    }

    enum CLIError: Error { case example }
}

/// Runs the real command on a temporary SQLite file. (With DATABASE_URL set the commands use that
/// server's own database, which a test must not write to; the PostgreSQL path is the app's, tested in UpwardTests.)
@Suite("Commands on a database", .enabled(if: (ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty))
struct CommandRunTests {
    func temporaryFile(_ name: String, _ contents: String = "") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upward-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func import_people_refuses_a_bad_file_and_imports_a_good_one() async throws {
        let database = try temporaryFile("upward.sqlite")
        try FileManager.default.removeItem(atPath: database)
        let bad = try temporaryFile("bad.csv", "employee_id,name,email,department,level\nE1,Ann,ann@example.org,Ops,senior\n")
        let badCommand = try UpwardCommand.ImportPeople.parse([bad, "--database", database])
        await #expect(throws: ExitCode(1)) { try await badCommand.run() }
        let good = try temporaryFile("good.csv", "employee_id,name,email,department,level\nE1,Ann,ann@example.org,Ops,3\n")
        try await UpwardCommand.ImportPeople.parse([good, "--database", database, "--no-invite"]).run()
        try await UpwardCommand.Migrate.parse(["--database", database]).run()
        await #expect(throws: (any Error).self) { try await UpwardCommand.ImportPeople.parse(["/no/such/file.csv"]).run() }
    }
}

@Suite("upward solve")
struct SolveCommandTests {
    @Test func solve_takes_its_options() throws {
        let command = try UpwardCommand.parseAsRoot(["solve", "--scores", "s.csv", "--capacity", "2", "--stats"])
        let solve = try #require(command as? UpwardCommand.SolveScores)
        #expect(solve.scores == "s.csv" && solve.capacity == 2 && solve.stats && !solve.stable)
        #expect(throws: (any Error).self) { try UpwardCommand.parseAsRoot(["solve", "--scores", "s.csv", "--capacity", "0"]) }
        #expect(throws: (any Error).self) { try UpwardCommand.parseAsRoot(["solve", "--scores", "s.csv", "--stable", "--proposers", "bosses"]) }
    }

    @Test func a_bad_score_file_exits_with_an_error() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scores-\(UUID().uuidString).csv").path
        try ",m1\na,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        let command = try UpwardCommand.SolveScores.parse(["--scores", path])
        #expect(throws: ExitCode(1)) { try command.run() }
    }
}

@Suite("upward match")
struct MatchCommandTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func profiles_file_runs_the_whole_pipeline() throws {
        let path = try write("""
            {"settings": {"format": "reverse"},
             "mentees": [{"id": "ceo", "name": "Grace Okafor", "level": 7, "department": "Executive",
                          "skillsSought": {"AI tools": 3}, "interests": ["accessibility"], "channels": ["video"]}],
             "mentors": [{"id": "sam", "name": "Sam Haddad", "level": 2, "department": "Engineering",
                          "skillsOffered": {"AI tools": 4}, "interests": ["accessibility"], "channels": ["video"]}]}
            """)
        let file = try JSONDecoder().decode(ProfileFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let result = try file.run()
        #expect(result.proposals.first?.menteeExplanation == "You both care about accessibility; Sam offers AI tools, which you asked for; you can both meet on video.")
        try UpwardCommand.MatchProfiles.parse(["--profiles", path]).run()
    }

    @Test func a_mistake_in_the_file_names_where_it_is() throws {
        let path = try write(#"{"mentees": [{"id": "a", "name": "A", "level": "senior", "department": "X"}], "mentors": []}"#)
        #expect(throws: ExitCode(1)) { try UpwardCommand.MatchProfiles.parse(["--profiles", path]).run() }
        do {
            _ = try JSONDecoder().decode(ProfileFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as DecodingError {
            #expect(describe(error) == "mentees[0].level: expected a whole number")
        }
    }
}
