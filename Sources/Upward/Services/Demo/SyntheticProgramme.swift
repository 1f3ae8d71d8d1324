import Fluent
import Foundation
import Matching
import Vapor

/// A generated programme for sizing: `applicants` people (half juniors who mentor, half seniors who learn) with
/// varied skills, interests, channels and availability, all selected, in a programme ready for matching. Used by
/// `upward time-matching` to measure a run the way the product makes one — profiles from the database, scoring,
/// the exact solver and the stored result.
enum SyntheticProgramme {
    static let skills = ["AI tools", "Prompt writing", "Social media", "Data visualisation", "Accessibility", "Hybrid work",
                         "Gen Z expectations", "Inclusive language", "Spreadsheets", "Video editing", "Podcasting", "Security habits",
                         "Design tools", "No-code automation", "Remote facilitation", "Mobile apps"]

    /// Every generated person's email ends with this.
    static let emailDomain = "@synthetic.example"

    /// Refuses a database that holds anyone it did not generate: the generated directory is imported as the whole
    /// directory, which would mark every real person a leaver and lock their accounts.
    static func refuseRealDirectory(on db: any Database) async throws {
        let others = try await Person.query(on: db).filter(\.$email !~ emailDomain).count()
        guard others == 0 else {
            throw Abort(.conflict, reason: "This database holds \(others) people that time-matching did not generate; it would mark them all as leavers. "
                + "Run it on a scratch database instead: upward time-matching --database scratch.sqlite")
        }
    }

    static func build(on db: any Database, applicants: Int, seed: UInt64 = 7, linkBase: String, clock: UpwardClock) async throws -> Programme {
        try await refuseRealDirectory(on: db)
        var rng = SeededGenerator(seed: seed)
        let departments = ["Engineering", "Sales", "Finance", "Design", "Legal", "Marketing", "Product", "Operations", "People", "Data"]
        let zones = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Singapore", "Asia/Kolkata"]
        var lines = ["employee_id,name,email,department,level,time_zone,hire_date"]
        for k in 0..<applicants {
            let level = k % 2 == 0 ? Int.random(in: 1...3, using: &rng) : Int.random(in: 5...7, using: &rng)
            lines.append("S\(k),Person \(k),person\(k)\(emailDomain),\(departments.randomElement(using: &rng)!),\(level),\(zones.randomElement(using: &rng)!),2020-01-0\(1 + k % 9)")
        }
        let summary = try await DirectoryImporter(database: db, linkBase: linkBase, clock: clock)
            .run(csv: lines.joined(separator: "\n") + "\n", dryRun: false, invite: false, importedBy: "synthetic", source: "synthetic")
        guard summary.succeeded else { throw Abort(.internalServerError, reason: "The generated directory did not import: \(summary.issues.prefix(3))") }
        var input = ProgrammeInput.defaults(for: .reverse, name: "Synthetic programme of \(applicants)")
        input.capacity = max(1, applicants / 2)
        input.mentorEligibility = .anyone
        input.menteeEligibility = .anyone
        let programme = try await ProgrammeService(database: db, clock: clock).create(input, by: "synthetic")
        let people = try await Person.query(on: db).filter(\.$email ~~ emailDomain).all()
        let interests = ["climbing", "jazz", "cooking", "chess", "football", "photography", "gardening", "podcasts", "running", "games"]
        var made: [ProgrammeApplication] = []
        do {
            for person in people {
                let a = ProgrammeApplication()
                a.$programme.id = try programme.requireID()
                a.$person.id = try person.requireID()
                a.role = person.level <= 3 ? .mentor : .mentee
                a.status = .selected
                let pick = { (n: Int) in Array(Set((0..<n).map { _ in skills.randomElement(using: &rng)! })).sorted() }
                a.skillsOffered = a.role == .mentor ? pick(3).map { SkillLevel(name: $0, level: Int.random(in: 3...5, using: &rng)) } : []
                a.skillsSought = a.role == .mentee ? pick(2).map { SkillLevel(name: $0, level: Int.random(in: 1...2, using: &rng)) } : []
                a.topics = Array(Set((0..<2).map { _ in input.topics.randomElement(using: &rng)! })).sorted()
                a.interests = Array(Set((0..<2).map { _ in interests.randomElement(using: &rng)! })).sorted()
                a.values = []
                a.goals = "Learn"
                a.swot = SWOT()
                a.motivation = "Curiosity"
                a.communication = [.video, CommunicationChannel.allCases.randomElement(using: &rng)!]
                a.availability = Array(Set((0..<3).map { _ in ApplicationInput.availabilitySlots.randomElement(using: &rng)! })).sorted()
                a.timeZone = person.timeZone
                a.commitmentAcknowledged = true
                a.diversityConsent = false
                a.preferred = []
                a.avoided = []
                a.submittedAt = clock.now()
                made.append(a)
            }
        }
        let applications = made
        try await db.writeTransaction { db in
            for a in applications { try await a.create(on: db) }
        }
        programme.status = .matching
        try await programme.save(on: db)
        return programme
    }
}

extension UpwardApp {
    /// Generates a programme of `applicants` selected applicants in the app's database and times one matching run
    /// through the product's own path. Returns lines to print.
    public static func timeMatchingRun(_ app: Application, applicants: Int) async throws -> [String] {
        let setupStart = ContinuousClock.now
        let programme = try await SyntheticProgramme.build(on: app.db, applicants: applicants, linkBase: app.upward.publicURL, clock: app.clock)
        let setup = (ContinuousClock.now - setupStart).seconds
        let service = app.services.matching(app.serviceContext())
        let started = ContinuousClock.now
        let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "synthetic", background: false)
        let total = (ContinuousClock.now - started).seconds
        let result = service.result(of: run)
        return [
            "Generated \(applicants) selected applicants (\(result.mentees) mentees, \(result.mentors) mentors) in \(String(format: "%.1f", setup)) s.",
            "Matching run: \(String(format: "%.2f", total)) s in all (profiles from the database, scoring, exact solve, stored result); "
                + "the engine's part \(String(format: "%.2f", run.seconds ?? 0)) s.",
            "\(result.proposals.count) pairs, \(Int((result.matchedShare * 100).rounded()))% of mentees matched, total \(String(format: "%.1f", result.total)), "
                + "lowest \(String(format: "%.2f", result.lowest ?? 0)), \(result.method).",
        ]
    }
}
