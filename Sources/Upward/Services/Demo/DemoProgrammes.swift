import Fluent
import Foundation
import Matching

/// Demo programmes in several stages, built through the same services as the pages, so every programme page
/// has something to show: a closed first round with lessons and stories, its second round enrolling with
/// applications on both sides, an over-subscribed round in selection with a waiting list, and a draft board.
enum DemoProgrammes {
    static let mentorSkills = ["AI tools", "Prompt writing", "Social media", "Data visualisation", "Accessibility", "Hybrid work",
                               "Gen Z expectations", "Inclusive language", "Spreadsheets"]
    static let menteeSkills = ["AI tools", "AI tools", "Social media", "Data visualisation", "Accessibility", "Gen Z expectations",
                               "Prompt writing", "Hybrid work"]
    static let interests = ["climbing", "jazz", "cooking", "chess", "football", "photography", "gardening", "podcasts", "running", "board games"]
    static let values = ["curiosity", "fairness", "candour", "craft", "kindness", "ambition"]

    /// The demo's participant sign-ins: a junior, a senior and another junior placed in the programme in matching, so
    /// a newcomer can answer a proposal themselves; a junior and a senior paired together in the running programme.
    struct Logins {
        var junior: Person, senior: Person, otherJunior: Person, labJunior: Person, labSenior: Person
    }

    static func load(into db: any Database, people: [Person], linkBase: String, clock: UpwardClock, skipping: Set<UUID> = [],
                     logins: Logins? = nil) async throws {
        guard try await Programme.query(on: db).count() == 0 else { return }
        var rng = SeededGenerator(seed: 42)
        let today = clock.today
        let programmes = ProgrammeService(database: db, clock: clock, publicURL: linkBase)
        let applications = ApplicationService(database: db, clock: clock, publicURL: linkBase)
        let current = people.filter { !$0.hasLeft(asOf: today.description) && !skipping.contains($0.id!) }
            .sorted { $0.externalID < $1.externalID }
        let juniors = current.filter { $0.level <= 3 }.shuffled(using: &rng)
        let seniors = current.filter { (4...6).contains($0.level) }.shuffled(using: &rng)
        func day(_ offset: Int) -> String {
            today.adding(days: offset).description
        }
        func answers(_ person: Person, role: ApplicationRole, topics: [String]) -> ApplicationInput {
            var input = ApplicationInput(role: role)
            let pick = { (list: [String], n: Int) in Array(Set((0..<n).map { _ in list.randomElement(using: &rng)! })).sorted() }
            if role.mentors { input.skillsOffered = pick(mentorSkills, 2).map { SkillLevel(name: $0, level: Int.random(in: 3...5, using: &rng)) } }
            if role.mentees { input.skillsSought = pick(menteeSkills, 2).map { SkillLevel(name: $0, level: Int.random(in: 1...2, using: &rng)) } }
            input.topics = pick(topics, 2)
            input.interests = pick(interests, 2)
            input.values = pick(values, 2)
            input.goals = role.mentors ? "Help a leader see how my generation works, and learn how decisions get made."
                                       : "Understand the tools my teams use and what it is like to start a career here now."
            input.swot = SWOT(strengths: "Curious", weaknesses: "Impatient", opportunities: "Cross-team projects", threats: "Busy diary")
            input.motivation = role.mentors ? "I want to share what I know and see the organisation from the top."
                                            : "I lead people whose daily tools and expectations I only half understand."
            input.communication = [.video, [.inPerson, .chat, .phone].randomElement(using: &rng)!]
            input.availability = pick(ApplicationInput.availabilitySlots, 3)
            input.timeZone = person.timeZone ?? "Europe/London"
            input.commitmentAcknowledged = true
            input.diversityConsent = Bool.random(using: &rng)
            return input
        }

        // Round 1, closed, with lessons and stories.
        var first = ProgrammeInput.defaults(for: .reverse, name: "Reverse mentoring 2025")
        (first.enrolmentOpens, first.enrolmentCloses, first.startsOn, first.endsOn) = (day(-400), day(-370), day(-360), day(-180))
        let closed = try await programmes.create(first, by: "demo")
        closed.status = .closed
        closed.lessons = "Seniors cancelled most when sessions sat on Mondays; agree a fixed slot in the first session. Ask mentees to bring one real problem each time."
        closed.stories = [
            Story(quote: "I stopped pretending I understood our own app. Two sessions later I was using it in board meetings.", by: "a director in Finance"),
            Story(quote: "I was nervous to 'teach' a VP. It turned into the most useful hour of my month.", by: "a specialist in Engineering"),
        ]
        try await closed.save(on: db)

        // Round 2, enrolling, run again from round 1.
        let second = try await programmes.runAgain(closed, by: "demo")
        var input = ProgrammeInput(second)
        input.name = "Reverse mentoring 2026"
        (input.enrolmentOpens, input.enrolmentCloses, input.startsOn, input.endsOn) = (day(-10), day(21), day(35), day(210))
        try await programmes.update(second, with: input)
        try await programmes.perform(.openEnrolment, on: second)
        _ = try await programmes.invite(.init(minLevel: 1, maxLevel: 3), to: second, by: "demo", linkBase: linkBase)
        for person in juniors.prefix(9) {
            try await applications.save(answers(person, role: .mentor, topics: second.topics), for: person, in: second, submit: true)
        }
        for person in seniors.prefix(14) {
            try await applications.save(answers(person, role: .mentee, topics: second.topics), for: person, in: second, submit: true)
        }
        for person in juniors.dropFirst(9).prefix(2) {  // drafts not yet submitted
            try await applications.save(answers(person, role: .mentor, topics: second.topics), for: person, in: second, submit: false)
        }
        for person in juniors.prefix(30) {
            try await programmes.markOpened(second, by: person.requireID())
        }

        // An over-subscribed round in selection: six places, a waiting list on both sides.
        var inclusive = ProgrammeInput.defaults(for: .reverse, name: "Inclusive leadership")
        inclusive.objective = .inclusion
        inclusive.topics = ["Allyship", "Accessibility", "Inclusive language"]
        inclusive.capacity = 6
        (inclusive.enrolmentOpens, inclusive.enrolmentCloses, inclusive.startsOn, inclusive.endsOn) = (day(-30), day(20), day(30), day(200))
        let selecting = try await programmes.create(inclusive, by: "demo")
        try await programmes.perform(.openEnrolment, on: selecting)
        for person in juniors.dropFirst(11).prefix(10) {
            try await applications.save(answers(person, role: .mentor, topics: selecting.topics), for: person, in: selecting, submit: true)
        }
        for person in seniors.dropFirst(14).prefix(9) {
            try await applications.save(answers(person, role: .mentee, topics: selecting.topics), for: person, in: selecting, submit: true)
        }
        try await programmes.perform(.closeEnrolment, on: selecting)
        try await applications.applyRanking(selecting, criteria: [.departmentSpread, .firstTime, .applicationTime], by: "demo")

        // A programme in matching with a finished run. The demo juniors and senior are in it: the senior asked for
        // the first junior; the other junior would rather not meet anyone but the senior.
        var culture = ProgrammeInput.defaults(for: .reverse, name: "Culture exchange")
        culture.objective = .culture
        culture.topics = ["Hybrid work", "Gen Z expectations", "Wellbeing"]
        culture.capacity = 8
        (culture.enrolmentOpens, culture.enrolmentCloses, culture.startsOn, culture.endsOn) = (day(-40), day(-1), day(14), day(180))
        let matching = try await programmes.create(culture, by: "demo")
        let cultureJuniors = Array(juniors.dropFirst(21).prefix(5)) + (logins.map { [$0.junior, $0.otherJunior] } ?? [])
        let cultureSeniors = Array(seniors.dropFirst(23).prefix(5)) + (logins.map { [$0.senior] } ?? [])
        try await fill(matching, mentors: cultureJuniors, mentees: cultureSeniors, programmes: programmes, applications: applications,
                       answers: { person, role in answers(person, role: role, topics: matching.topics) }, today: today, db: db)
        let matchingService = MatchingService(database: db, clock: clock, publicURL: linkBase)
        if let logins {
            let all = try await ProgrammeApplication.query(on: db).filter(\.$programme.$id == matching.requireID()).all()
            let byPerson = Dictionary(all.map { ($0.$person.id, $0) }, uniquingKeysWith: { a, _ in a })
            if let senior = byPerson[logins.senior.id!] {
                try await matchingService.setPreferences(senior, preferred: [logins.junior.id!], avoided: [], programme: matching)
            }
            if let other = byPerson[logins.otherJunior.id!] {
                let avoid = cultureSeniors.filter { $0.id != logins.senior.id }.map { $0.id! }
                try await matchingService.setPreferences(other, preferred: [logins.senior.id!], avoided: avoid, programme: matching)
            }
        }
        try await matchingService.startRun(matching, settings: MatchingService.defaultSettings(for: matching), by: "demo")

        // A running programme: published, everyone accepted, pairs active.
        var lab = ProgrammeInput.defaults(for: .reverse, name: "Leadership lab")
        lab.topics = ["AI tools", "Social media", "Data visualisation"]
        lab.capacity = 12
        (lab.enrolmentOpens, lab.enrolmentCloses, lab.startsOn, lab.endsOn) = (day(-90), day(-60), day(-45), day(120))
        let running = try await programmes.create(lab, by: "demo")
        // Check-ins every three weeks from the second week, so six weeks in each pair has had two.
        var schedule = CheckInSchedule()
        (schedule.firstAfterDays, schedule.everyDays) = (14, 21)
        running.checkInSchedule = schedule
        try await running.save(on: db)
        // The demo logins are in it too: the running-pairing junior and senior together, each other login with someone
        // else (never the senior with a junior of the programme in matching, who would then be a repeat pair there).
        // Twelve pairs, so the health board shows every state and every kind of alert.
        let labMentors = Array(juniors.dropFirst(26).prefix(logins == nil ? 12 : 9)) + (logins.map { [$0.labJunior, $0.junior, $0.otherJunior] } ?? [])
        let labMentees = Array(seniors.dropFirst(28).prefix(logins == nil ? 12 : 10)) + (logins.map { [$0.labSenior, $0.senior] } ?? [])
        try await fill(running, mentors: labMentors, mentees: labMentees,
                       programmes: programmes, applications: applications,
                       answers: { person, role in answers(person, role: role, topics: running.topics) }, today: today, db: db)
        // Published and accepted on the programme's first day, so its space has a history to show.
        let started = UpwardClock.fixed(Day(running.startsOn ?? "")?.startDate.addingTimeInterval(8 * 3600) ?? clock.now())
        let labMatching = MatchingService(database: db, clock: started, publicURL: linkBase)
        var pins: [[UUID]] = [], forbidden: [[UUID]] = []
        if let logins {
            let all = try await ProgrammeApplication.query(on: db).filter(\.$programme.$id == running.requireID()).all()
            func application(_ person: Person) throws -> UUID? { try all.first { $0.$person.id == person.id }?.requireID() }
            if let junior = try application(logins.labJunior), let senior = try application(logins.labSenior) { pins = [[senior, junior]] }
            if let senior = try application(logins.senior) {
                forbidden = try [logins.junior, logins.otherJunior].compactMap(application).map { [senior, $0] }
            }
        }
        let labRun = try await labMatching.startRun(running, settings: MatchingService.defaultSettings(for: running), pins: pins,
                                                    forbidden: forbidden, by: "demo")
        try await labMatching.publish(labRun, programme: running, by: "demo", linkBase: linkBase)
        for member in try await PairingMember.query(on: db).join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
            .filter(Pairing.self, \.$programme.$id == running.requireID()).all() {
            try await labMatching.respond(member, accept: true, reason: nil)
        }
        try await programmes.perform(.startProgramme, on: running)
        try await DemoPairings.load(running, into: db, clock: clock, started: started, publicURL: linkBase, logins: logins.map { [$0.labJunior, $0.labSenior, $0.junior, $0.otherJunior, $0.senior] } ?? [])

        // A draft advisory board.
        var board = ProgrammeInput.defaults(for: .advisoryBoard, name: "Strategy advisory boards")
        board.topics = ["Market shifts", "Customer voice", "Ways of working"]
        _ = try await programmes.create(board, by: "demo")
    }

    /// Opens enrolment (with the dates temporarily open), submits everyone, selects them all and moves to matching.
    static func fill(_ programme: Programme, mentors: [Person], mentees: [Person], programmes: ProgrammeService,
                     applications: ApplicationService, answers: (Person, ApplicationRole) -> ApplicationInput, today: Day, db: any Database) async throws {
        // Enrolment needs an open window today; the real (past) dates go back once everyone is selected.
        let dates = (programme.enrolmentOpens, programme.enrolmentCloses, programme.startsOn, programme.endsOn)
        programme.enrolmentOpens = today.description
        programme.enrolmentCloses = today.description
        programme.startsOn = "9998-01-01"
        programme.endsOn = "9999-01-01"
        try await programme.save(on: db)
        try await programmes.perform(.openEnrolment, on: programme)
        var submitted: [ProgrammeApplication] = []
        for person in mentors { submitted.append(try await applications.save(answers(person, .mentor), for: person, in: programme, submit: true)) }
        for person in mentees { submitted.append(try await applications.save(answers(person, .mentee), for: person, in: programme, submit: true)) }
        try await programmes.perform(.closeEnrolment, on: programme)
        for a in submitted { try await applications.decide(a, .selected, by: "demo") }
        try await programmes.perform(.confirmSelection, on: programme)
        (programme.enrolmentOpens, programme.enrolmentCloses, programme.startsOn, programme.endsOn) = dates
        try await programme.save(on: db)
    }
}
