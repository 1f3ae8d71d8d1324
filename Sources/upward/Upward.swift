import ArgumentParser
import Foundation
import Matching
import Upward

/// `upward`: run Upward and work with its data from the command line. Each command is thin:
/// it parses options and calls a plain function in the Upward module.
@main
struct UpwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upward",
        abstract: "Upward runs reverse mentoring programmes.",
        discussion: """
            Data lives in SQLite (upward.sqlite in the working folder) unless DATABASE_URL names a \
            PostgreSQL database (postgres://user:password@host:5432/name).
            """,
        subcommands: [Serve.self, Worker.self, Migrate.self, Import.self, Demo.self, SolveScores.self, MatchProfiles.self, TimeMatching.self],
        defaultSubcommand: Serve.self)
}

/// Where the data lives; shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite file to use (default: $UPWARD_DATABASE or upward.sqlite). Ignored when DATABASE_URL is set.", valueName: "path"))
    var database: String?

    func settings(hostname: String = "127.0.0.1", port: Int = 8080) -> UpwardSettings {
        UpwardSettings.fromEnvironment(databasePath: database, hostname: hostname, port: port)
    }
}

/// Writes a line at once (not buffered), so sign-in details reach a pipe or a log before the server blocks.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension UpwardCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the web app and API: migrate the database, then listen.",
            discussion: "On an empty database it prints a one-time link to create the first admin.")

        @Option(help: "Address to listen on.") var hostname = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8080
        @Flag(help: "Load a demo organisation (\(UpwardApp.demoSummary)) into an empty database and print its sign-ins.")
        var demo = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let env = try UpwardApp.environment(["upward", "serve", "--hostname", hostname, "--port", String(port)], logLevel: "info")
            let app = try await UpwardApp.make(settings: db.settings(hostname: hostname, port: port), environment: env)
            do {
                for line in try await UpwardApp.prepare(app, demo: demo) { say(line) }
                say("Upward listens on http://\(hostname):\(port) — press Ctrl-C to stop.")
                UpwardApp.runJobs(in: app)
                try await app.execute()
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
    }

    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run background jobs (matching runs, consent deadlines, mail delivery, reminders, digests) without serving pages.",
            discussion: """
                `serve` already runs them; start workers when background work should have processes of its own. \
                Any number of workers and servers can share one database: each job runs once.
                """)

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let env = try UpwardApp.environment(["upward"], logLevel: "info")
            try await UpwardApp.with(settings: db.settings(), environment: env) { app in
                try await UpwardApp.migrate(app)
                say("Upward's job worker runs on \(app.upward.databaseDescription) — press Ctrl-C to stop.")
                try await UpwardApp.work(app)
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

        @Flag(help: "Revert every migration instead (deletes all data).") var revertAll = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let env = try UpwardApp.environment(["upward"])
            try await UpwardApp.with(settings: db.settings(), environment: env) { app in
                if revertAll {
                    try await UpwardApp.revertAll(app)
                    print("Reverted every migration: \(app.upward.databaseDescription) is empty.")
                } else {
                    let ran = try await UpwardApp.migrate(app)
                    print("\(app.upward.databaseDescription): \(ran == 0 ? "already up to date" : "\(ran) migrations applied").")
                }
            }
        }
    }

    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load the demo organisation into an empty database and print its sign-ins.")

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let env = try UpwardApp.environment(["upward"])
            try await UpwardApp.with(settings: db.settings(), environment: env) { app in
                try await UpwardApp.migrate(app)
                for line in try await UpwardApp.loadDemo(app) { print(line) }
            }
        }
    }

    struct TimeMatching: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "time-matching",
            abstract: "Time a matching run on a generated programme, to size a server.",
            discussion: """
                Generates APPLICANTS people (half juniors who mentor, half seniors who learn) with varied profiles, all                 selected in one programme, and times one run the way the product makes it. Use a scratch database:                 the generated people and programme stay in it.
                """)

        @Option(help: "How many applicants to generate.") var applicants = 5000
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard (2...100_000).contains(applicants) else { throw ValidationError("--applicants must be between 2 and 100000.") }
        }

        func run() async throws {
            let env = try UpwardApp.environment(["upward"])
            try await UpwardApp.with(settings: db.settings(), environment: env) { app in
                try await UpwardApp.migrate(app)
                for line in try await UpwardApp.timeMatchingRun(app, applicants: applicants) { print(line) }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import data from files.",
            subcommands: [ImportPeople.self])
    }

    struct ImportPeople: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "people",
            abstract: "Import the staff directory from an HR system's CSV export.",
            discussion: """
                Columns (header names, any order): employee_id, name, email, department, level (required); \
                title, manager_id, location, time_zone, hire_date, leave_date, birth_year, and diversity_<attribute> (optional). \
                Re-importing updates people by employee_id and marks people missing from the file as leavers. \
                A file with any problem changes nothing: every problem is listed with its row and column.
                """)

        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Show what would change without saving anything.") var dryRun = false
        @Flag(inversion: .prefixedNo, help: "Invite people who have no account yet (invitations go to the outbox).") var invite = true
        @Flag(help: "Apply the file even though it marks more than half of the current staff as leavers.") var confirmLeavers = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read \(file): check the path.")
            }
            guard let csv = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(file) is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
            }
            let env = try UpwardApp.environment(["upward"])
            let file = self.file
            let summary = try await UpwardApp.with(settings: db.settings(), environment: env) { app in
                try await UpwardApp.migrate(app)
                let started = Date()
                let summary = try await UpwardApp.importPeople(app, csv: csv, source: (file as NSString).lastPathComponent,
                                                               dryRun: dryRun, invite: invite, confirmLeavers: confirmLeavers) { step in
                    FileHandle.standardError.write(Data("  \(step.phase): \(step.done)/\(step.total)\n".utf8))
                }
                if let warning = summary.leaverWarning {
                    FileHandle.standardError.write(Data("WARNING: \(warning)\n".utf8))
                }
                if summary.needsConfirmation {
                    FileHandle.standardError.write(Data("Nothing was imported. If the file is right, run again with --confirm-leavers.\n".utf8))
                } else if summary.succeeded {
                    let verb = summary.dryRun ? "Dry run, nothing saved — would make" : "Imported"
                    print("\(verb): \(summary.created) new, \(summary.updated) updated, \(summary.unchanged) unchanged, \(summary.leavers) leavers, \(summary.invited) invited (\(String(format: "%.2f", Date().timeIntervalSince(started))) s).")
                }
                return summary
            }
            if summary.needsConfirmation { throw ExitCode(1) }
            if !summary.succeeded {
                for issue in summary.issues {
                    FileHandle.standardError.write(Data("\(file): \(issue)\n".utf8))
                }
                FileHandle.standardError.write(Data("\(summary.issues.count) problem(s); nothing was imported.\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

extension UpwardCommand {
    struct SolveScores: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "solve",
            abstract: "Find the best mentee–mentor pairs for a score matrix, exactly.",
            discussion: """
                The CSV's header row holds mentor ids (first cell empty); each following row a mentee id, then one \
                score per mentor (higher is better; an empty cell forbids the pair). Writes mentee,mentor,score rows \
                of the optimal assignment to standard output: first the most pairs, then the highest total.
                """)

        @Option(name: .long, help: ArgumentHelp("The score matrix CSV.", valueName: "file")) var scores: String
        @Option(help: "Mentees each mentor may take.") var capacity = 1
        @Option(help: "Mentors each mentee gets (an advisory board).") var board = 1
        @Flag(help: "Deferred acceptance: a stable matching (no pair would both rather be together) instead of the highest total.")
        var stable = false
        @Option(help: ArgumentHelp("With --stable, who proposes: mentees or mentors.", valueName: "side")) var proposers = "mentees"
        @Flag(help: "Print one JSON line of statistics (pairs, total, solve_seconds) on standard error.") var stats = false

        func validate() throws {
            guard capacity >= 1 else { throw ValidationError("--capacity must be at least 1.") }
            guard board >= 1 else { throw ValidationError("--board must be at least 1.") }
            guard ["mentees", "mentors"].contains(proposers) else { throw ValidationError("--proposers is mentees or mentors.") }
        }

        func run() throws {
            guard let data = FileManager.default.contents(atPath: scores) else {
                throw ValidationError("Cannot read \(scores): check the path.")
            }
            let file: ScoreFile
            do {
                file = try ScoreFile.parse([UInt8](data))
            } catch let problem as ScoreFile.Problem {
                FileHandle.standardError.write(Data("\(scores): \(problem)\n".utf8))
                throw ExitCode(1)
            }
            let output = Solve.run(file, .init(capacity: capacity, board: board, stable: stable,
                                               proposers: proposers == "mentors" ? .columns : .rows))
            FileHandle.standardOutput.write(Data(output.csv(file).utf8))
            if stats { FileHandle.standardError.write(Data((output.statsJSON(file) + "\n").utf8)) }
        }
    }
}

extension UpwardCommand {
    struct MatchProfiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "match",
            abstract: "Propose explained pairs from participant profiles: scores, hard rules, the exact solver.",
            discussion: """
                The JSON file holds "mentees" and "mentors" (each: id, name, level, department, and optionally managers, \
                skillsOffered, skillsSought, interests, values, topics, channels, availability, utcOffset, diversity, \
                shortlist, blocks, earlierPartners), optional "settings" (format, weights, rules, capacities) and \
                optional "pinned" and "forbidden" [mentee id, mentor id] pairs. Writes the proposals, each with its \
                score, per-criterion breakdown and explanations, and every unmatched mentee with the reason, as JSON.
                """)

        @Option(name: .long, help: ArgumentHelp("The profile file (JSON).", valueName: "file")) var profiles: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: profiles) else {
                throw ValidationError("Cannot read \(profiles): check the path.")
            }
            do {
                let file = try JSONDecoder().decode(ProfileFile.self, from: data)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write(try encoder.encode(file.run()))
                FileHandle.standardOutput.write(Data("\n".utf8))
            } catch let error as DecodingError {
                FileHandle.standardError.write(Data("\(profiles): \(describe(error))\n".utf8))
                throw ExitCode(1)
            } catch let problem as MatchingPipeline.InputProblem {
                FileHandle.standardError.write(Data("\(profiles): \(problem)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// A decoding error as "mentees[2].level: expected a whole number", so a person can find the spot.
func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        keys.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }
    switch error {
    case .keyNotFound(let key, let context):
        let at = path(context.codingPath)
        return "\(at.isEmpty ? "" : at + ": ")missing \"\(key.stringValue)\""
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
        let expected = type == Int.self ? "a whole number" : type == String.self ? "text" : type == Double.self ? "a number" : "\(type)"
        return "\(path(context.codingPath)): expected \(expected)"
    case .dataCorrupted(let context):
        let at = path(context.codingPath)
        return "\(at.isEmpty ? "" : at + ": ")\(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
