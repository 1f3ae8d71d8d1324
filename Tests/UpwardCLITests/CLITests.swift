import Testing
@testable import UpwardCLI

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
