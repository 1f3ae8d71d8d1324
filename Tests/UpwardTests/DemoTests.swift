import Fluent
import Testing
import VaporTesting
@testable import Upward

@Suite("Demo organisation and settings")
struct DemoTests {
    @Test func demo_is_a_realistic_organisation_with_a_login_per_role() async throws {
        try await withUpward { app in
            let result = try await DemoOrganisation.load(into: app.db, settings: app.upward, clock: app.clock) { try Bcrypt.hash($0, cost: 4) }
            #expect(result.loaded)
            let people = try await Person.query(on: app.db).all()
            #expect(people.count >= 300)
            #expect(Set(people.map(\.department)).count >= 8)
            #expect(Set(people.map(\.level)).count >= 5)
            #expect(Set(people.compactMap(\.timeZone)).count >= 5)
            #expect(people.filter { $0.managerExternalID == nil }.count == 1)  // one tree
            #expect(Set(result.logins.map(\.role)) == Set(Role.allCases))
            let web = WebSession(app)
            #expect(try await web.signIn(result.logins[0].email, DemoOrganisation.password).status == .seeOther)
            // Loading again changes nothing.
            let again = try await DemoOrganisation.load(into: app.db, settings: app.upward, clock: app.clock) { try Bcrypt.hash($0, cost: 4) }
            #expect(!again.loaded)
            #expect(again.logins.count == result.logins.count)
            #expect(try await Person.query(on: app.db).count() == people.count)
        }
    }

    @Test func the_running_programme_has_pairs_at_different_points_and_the_demo_participants_in_it() async throws {
        try await withUpward { app in
            let result = try await DemoOrganisation.load(into: app.db, settings: app.upward, clock: app.clock) { try Bcrypt.hash($0, cost: 4) }
            let running = try #require(try await Programme.query(on: app.db).filter(\.$status == .running).first())
            let service = PairingSpaceService(database: app.db, clock: app.clock)
            var steps: [PairingSpaceService.NextStep.Kind] = []
            for login in result.logins where login.role == .participant {
                let user = try #require(try await User.query(on: app.db).filter(\.$email == login.email).first())
                let personID = try #require(user.$person.id)
                let pairings = try await service.pairings(of: personID)
                let pairing = try #require(pairings.first { $0.$programme.id == running.id })
                let space = try await service.space(pairing.id, for: user)
                steps.append(try await service.nextStep(space).kind)
            }
            #expect(steps.count == 5 && steps.contains(.sign) && steps.contains(.meet))
            // The running-pairing junior and senior share the pair that is well under way, with notes each way.
            let lab = result.logins.filter { $0.note.contains("running pairing") }
            #expect(lab.count == 2)
            let summaries = try await service.summaries(of: running)
            #expect(summaries.values.contains { $0.signedAt != nil && $0.meetings.held >= 2 && $0.meetings.cancelledByMentee == 1 && $0.goalsOpen == 2 })
            #expect(summaries.values.contains { $0.signedAt == nil && $0.meetings.unlogged > 0 })
            #expect(summaries.values.contains { $0.meetings.missed == 1 })
            #expect(try await GoalRevision.query(on: app.db).count() > (try await Goal.query(on: app.db).count()))
        }
    }

    @Test func demo_programmes_fill_every_programme_page() async throws {
        try await withUpward { app in
            let result = try await DemoOrganisation.load(into: app.db, settings: app.upward, clock: app.clock) { try Bcrypt.hash($0, cost: 4) }
            let programmes = try await Programme.query(on: app.db).all()
            #expect(Set(programmes.map(\.status)) == [.closed, .enrolling, .selecting, .matching, .running, .draft])
            let enrolling = try #require(programmes.first { $0.status == .enrolling })
            let balance = try await ApplicationService(database: app.db).balance(of: enrolling)
            #expect(balance.mentors > 0 && balance.mentees > 0 && !balance.warnings.isEmpty)
            #expect(enrolling.$previous.id != nil)  // a second round, with the first round's stories
            #expect(try await ProgrammeService(database: app.db).stories(for: enrolling).count >= 2)
            let selecting = try #require(programmes.first { $0.status == .selecting })
            let applications = try await ProgrammeApplication.query(on: app.db).filter(\.$programme.$id == selecting.requireID()).all()
            #expect(applications.filter { $0.status == .selected }.count == 2 * selecting.capacity)
            #expect(applications.contains { $0.status == .waitlisted })
            // The demo sign-ins have not applied to the enrolling round, so they can try the form themselves;
            // the participants are in the programme being matched, so they can answer a proposal.
            let loginPeople = try await User.query(on: app.db).all().compactMap { $0.$person.id }
            #expect(try await ProgrammeApplication.query(on: app.db).filter(\.$person.$id ~~ loginPeople)
                        .filter(\.$programme.$id == enrolling.requireID()).count() == 0)
            #expect(result.logins.filter { $0.role == .participant }.count == 5)
            let matching = try #require(programmes.first { $0.status == .matching })
            let runs = try await MatchingService(database: app.db).runs(of: matching)
            #expect(runs.count == 1 && runs[0].status == .done && runs[0].publishedAt == nil)
            #expect(try await ProgrammeApplication.query(on: app.db).filter(\.$person.$id ~~ loginPeople)
                        .filter(\.$programme.$id == matching.requireID()).count() == 3)
            let running = try #require(programmes.first { $0.status == .running })
            let pairings = try await Pairing.query(on: app.db).filter(\.$programme.$id == running.requireID()).all()
            // Every pair is active but one, which ended early to show the re-match offer.
            #expect(pairings.count == 12 && pairings.filter { $0.status == .active }.count == 11 && pairings.filter { $0.status == .endedEarly }.count == 1)
        }
    }

    @Test func demo_csv_is_the_same_every_time() {
        #expect(DemoOrganisation.csv() == DemoOrganisation.csv())
        #expect(DirectoryFile.parse(DemoOrganisation.csv(), today: UpwardClock.system.today).issues.isEmpty)
    }

    @Test func database_url_switches_to_postgres_and_sqlite_is_the_default() {
        let pg = UpwardSettings.fromEnvironment(environment: ["DATABASE_URL": "postgres://u:secret@db:5432/upward"])
        #expect(pg.database == .postgres(url: "postgres://u:secret@db:5432/upward"))
        #expect(!pg.databaseDescription.contains("secret"))
        #expect(UpwardSettings.fromEnvironment(environment: [:]).database == .sqliteFile("upward.sqlite"))
        #expect(UpwardSettings.fromEnvironment(environment: ["UPWARD_DATABASE": "/data/u.sqlite"]).database == .sqliteFile("/data/u.sqlite"))
        #expect(UpwardSettings.fromEnvironment(databasePath: "x.sqlite", environment: ["UPWARD_DATABASE": "y"]).database == .sqliteFile("x.sqlite"))
        let https = UpwardSettings.fromEnvironment(environment: ["UPWARD_PUBLIC_URL": "https://upward.example.org/"])
        #expect(https.secureCookies)
        #expect(https.publicURL == "https://upward.example.org")
        #expect(!UpwardSettings.fromEnvironment(environment: [:]).secureCookies)
    }

    @Test func serve_prepares_the_database_and_prints_the_first_admin_link_once() async throws {
        try await withUpward { app in
            let lines = try await UpwardApp.prepare(app, demo: false)
            #expect(lines.contains { $0.contains("/setup/") })
            let demo = try await UpwardApp.prepare(app, demo: true)
            #expect(demo.contains { $0.contains("Demo organisation loaded") })
            #expect(!demo.contains { $0.contains("/setup/") })
        }
    }
}
