import Fluent
import SQLKit
import Foundation

/// What an applicant fills in; the same for the form and the API.
struct ApplicationInput: Codable, Equatable, Sendable {
    var role: ApplicationRole
    var skillsOffered: [SkillLevel] = []
    var skillsSought: [SkillLevel] = []
    var topics: [String] = []
    var interests: [String] = []
    var values: [String] = []
    var goals: String = ""
    var swot = SWOT()
    var motivation: String = ""
    var communication: [CommunicationChannel] = []
    var availability: [String] = []
    var timeZone: String?
    var commitmentAcknowledged = false
    var diversityConsent = false

    init(role: ApplicationRole) { self.role = role }

    init(_ a: ProgrammeApplication) {
        role = a.role
        skillsOffered = a.skillsOffered
        skillsSought = a.skillsSought
        topics = a.topics
        interests = a.interests
        values = a.values
        goals = a.goals
        swot = a.swot
        motivation = a.motivation
        communication = a.communication
        availability = a.availability
        timeZone = a.timeZone
        commitmentAcknowledged = a.commitmentAcknowledged
        diversityConsent = a.diversityConsent
    }

    enum CodingKeys: String, CodingKey {
        case role, skillsOffered, skillsSought, topics, interests, values, goals, swot, motivation, communication, availability,
             timeZone, commitmentAcknowledged, diversityConsent
    }

    /// Missing keys take their empty defaults, so a client can save a draft with only a role.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(ApplicationRole.self, forKey: .role)
        skillsOffered = try c.decodeIfPresent([SkillLevel].self, forKey: .skillsOffered) ?? []
        skillsSought = try c.decodeIfPresent([SkillLevel].self, forKey: .skillsSought) ?? []
        topics = try c.decodeIfPresent([String].self, forKey: .topics) ?? []
        interests = try c.decodeIfPresent([String].self, forKey: .interests) ?? []
        values = try c.decodeIfPresent([String].self, forKey: .values) ?? []
        goals = try c.decodeIfPresent(String.self, forKey: .goals) ?? ""
        swot = try c.decodeIfPresent(SWOT.self, forKey: .swot) ?? SWOT()
        motivation = try c.decodeIfPresent(String.self, forKey: .motivation) ?? ""
        communication = try c.decodeIfPresent([CommunicationChannel].self, forKey: .communication) ?? []
        availability = try c.decodeIfPresent([String].self, forKey: .availability) ?? []
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        commitmentAcknowledged = try c.decodeIfPresent(Bool.self, forKey: .commitmentAcknowledged) ?? false
        diversityConsent = try c.decodeIfPresent(Bool.self, forKey: .diversityConsent) ?? false
    }

    /// The half-days a person can pick for availability.
    static let availabilitySlots: [String] = ["Mon", "Tue", "Wed", "Thu", "Fri"].flatMap { ["\($0) morning", "\($0) afternoon"] }

    func cleaned() -> ApplicationInput {
        var input = self
        func skills(_ list: [SkillLevel]) -> [SkillLevel] {
            var seen = Set<String>()
            return list.map { SkillLevel(name: $0.name.trimmed, level: $0.level) }
                .filter { !$0.name.isEmpty && seen.insert($0.name.lowercased()).inserted }
        }
        func words(_ list: [String]) -> [String] {
            var seen = Set<String>()
            return list.map(\.trimmed).filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
        }
        input.skillsOffered = skills(skillsOffered)
        input.skillsSought = skills(skillsSought)
        input.topics = words(topics)
        input.interests = words(interests)
        input.values = words(values)
        input.goals = goals.trimmed
        input.motivation = motivation.trimmed
        input.timeZone = timeZone?.trimmed.nilIfEmpty
        return input
    }

    /// Problems that stop even a draft from being saved.
    func draftProblems(in programme: Programme) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !programme.format.roles.contains(role) {
            let roles = programme.format.roles.map { "“\($0.label(in: programme.format))”" }.joined(separator: " or ")
            issues.append(FieldIssue(field: "role", message: "This programme's format takes \(roles); choose one of those."))
        }
        for (field, list) in [("skillsOffered", skillsOffered), ("skillsSought", skillsSought)] {
            if let bad = list.first(where: { !(1...5).contains($0.level) }) {
                issues.append(FieldIssue(field: field, message: "Give “\(bad.name)” a level from 1 (beginner) to 5 (expert)."))
            }
            if let long = list.first(where: { $0.name.count > 60 }) {
                issues.append(FieldIssue(field: field, message: "Skill “\(long.name.prefix(20))…” is too long: keep skills under 60 characters."))
            }
        }
        if let zone = timeZone, TimeZone(identifier: zone) == nil {
            issues.append(FieldIssue(field: "timeZone", message: "“\(zone)” is not a time zone: pick one like Europe/London."))
        }
        if let slot = availability.first(where: { !Self.availabilitySlots.contains($0) }) {
            issues.append(FieldIssue(field: "availability", message: "“\(slot)” is not a half-day like “Tue morning”."))
        }
        issues += TextLimit.problems([
            ("goals", goals, TextLimit.paragraph), ("motivation", motivation, TextLimit.paragraph),
            ("swot.strengths", swot.strengths, TextLimit.paragraph), ("swot.weaknesses", swot.weaknesses, TextLimit.paragraph),
            ("swot.opportunities", swot.opportunities, TextLimit.paragraph), ("swot.threats", swot.threats, TextLimit.paragraph),
            ("timeZone", timeZone, TextLimit.line),
        ])
        for (field, list) in [("topics", topics), ("interests", interests), ("values", values), ("availability", availability)] {
            issues += TextLimit.problems(list: field, list)
        }
        for (field, list) in [("skillsOffered", skillsOffered), ("skillsSought", skillsSought)] where list.count > TextLimit.listItems {
            issues.append(FieldIssue(field: field, message: "Keep \(field) to \(TextLimit.listItems) skills or fewer."))
        }
        return issues
    }

    /// Everything a submitted application needs.
    func submitProblems(in programme: Programme) -> [FieldIssue] {
        var issues = draftProblems(in: programme)
        func add(_ field: String, _ message: String) { issues.append(FieldIssue(field: field, message: message)) }
        if role.mentors && skillsOffered.isEmpty { add("skillsOffered", "Name at least one skill you can offer, with its level.") }
        if role.mentees && skillsSought.isEmpty { add("skillsSought", "Name at least one skill you want to learn, with your level now.") }
        if goals.isEmpty { add("goals", "Write what you want from the programme: your goals.") }
        if motivation.isEmpty { add("motivation", "Say why you are applying: your motivation helps selection.") }
        if communication.isEmpty { add("communication", "Pick at least one way you like to meet (in person, video, phone, chat or email).") }
        if timeZone == nil { add("timeZone", "Pick your time zone, so meetings land in working hours for both of you.") }
        if !commitmentAcknowledged {
            add("commitmentAcknowledged", "Confirm you can give the time: \(programme.commitment).")
        }
        return issues
    }

    func apply(to a: ProgrammeApplication) {
        a.role = role
        a.skillsOffered = skillsOffered
        a.skillsSought = skillsSought
        a.topics = topics
        a.interests = interests
        a.values = values
        a.goals = goals
        a.swot = swot
        a.motivation = motivation
        a.communication = communication
        a.availability = availability
        a.timeZone = timeZone
        a.commitmentAcknowledged = commitmentAcknowledged
        a.diversityConsent = diversityConsent
    }
}

/// Enrolment and selection: applying, withdrawing, deciding, ranking and the waiting list.
struct ApplicationService {
    let database: any Database
    var clock: UpwardClock = .system
    /// Where Upward is reached, for the links in the messages it writes.
    var publicURL = ""
    var today: Day { clock.today }

    // MARK: Eligibility

    /// Why `person` may not apply as `role`, or nil when they may.
    func ineligibility(of person: Person, as role: ApplicationRole, in programme: Programme) -> String? {
        if person.hasLeft(asOf: today.description) { return "People who have left the organisation cannot apply." }
        guard programme.format.roles.contains(role) else { return "This format has no “\(role.rawValue)” role." }
        var sides: [(String, Eligibility)] = []
        let names = programme.format.sideNames
        if role.mentors { sides.append((names.givers.capitalizedFirst, programme.mentorEligibility)) }
        if role.mentees { sides.append((names.takers.capitalizedFirst, programme.menteeEligibility)) }
        if programme.format == .twoWay { sides = [(names.givers.capitalizedFirst, programme.mentorEligibility), (names.takers.capitalizedFirst, programme.menteeEligibility)] }
        for (who, rule) in sides {
            if let low = rule.minLevel, person.level < low { return "\(who) are \(rule.summary); you are level \(person.level)." }
            if let high = rule.maxLevel, person.level > high { return "\(who) are \(rule.summary); you are level \(person.level)." }
            if let months = rule.minTenureMonths, months > 0 {
                guard let hired = person.hireDate.flatMap(Day.init) else { continue }
                let tenure = (today.year - hired.year) * 12 + (today.month - hired.month) - (today.day < hired.day ? 1 : 0)
                if tenure < months { return "\(who) need at least \(months) months with us; you have \(max(0, tenure))." }
            }
        }
        return nil
    }

    struct RoleOption: Sendable {
        var role: ApplicationRole
        var label: String
        var reason: String?
    }

    /// Each role of the format, with the reason this person may not take it (nil: they may).
    func roleOptions(for person: Person, in programme: Programme) -> [RoleOption] {
        programme.format.roles.map { RoleOption(role: $0, label: $0.label(in: programme.format), reason: ineligibility(of: person, as: $0, in: programme)) }
    }

    // MARK: Applying

    /// The directory person behind an account, who applies and answers proposals.
    func applicant(_ user: User) async throws -> Person {
        guard let id = user.$person.id, let person = try await Person.find(id, on: database) else {
            throw Problem(.forbidden, "Your account is not linked to anyone in the staff directory, so it cannot apply. Ask an admin to link it.")
        }
        return person
    }

    /// The person's application when it is selected: what matching preferences and proposals belong to.
    func selectedApplication(of person: Person, in programme: Programme) async throws -> ProgrammeApplication {
        guard let application = try await application(of: person.requireID(), in: programme), application.status == .selected else {
            throw Problem(.forbidden, "Only people selected for “\(programme.name)” can set matching preferences or answer a proposal.")
        }
        return application
    }

    func application(of personID: UUID, in programme: Programme) async throws -> ProgrammeApplication? {
        try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).filter(\.$person.$id == personID).first()
    }

    /// Why the window is shut for new or changed applications, or nil when it is open.
    func windowRefusal(_ programme: Programme) -> String? {
        guard programme.status == .enrolling else {
            return "Enrolment for “\(programme.name)” is not open (the programme is in \(programme.status.rawValue))."
        }
        if let opens = programme.enrolmentOpens.flatMap(Day.init), today < opens { return "Enrolment opens on \(opens)." }
        if let closes = programme.enrolmentCloses.flatMap(Day.init), closes < today { return "Enrolment closed on \(closes)." }
        return nil
    }

    /// Active applications (submitted, selected, waitlisted) per programme: one aggregate query.
    func activeCounts() async throws -> [UUID: Int] {
        struct Row: Decodable { var programme_id: UUID; var n: Int }
        let rows = try await database.requireSQL().select().column("programme_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ProgrammeApplication.schema)
            .where("status", .in, ApplicationStatus.active.map(\.rawValue))
            .groupBy("programme_id").all(decoding: Row.self)
        return Dictionary(rows.map { ($0.programme_id, $0.n) }, uniquingKeysWith: +)
    }

    /// Who applied and was selected, by role, against the places and the eligible who did not apply.
    func balance(of programme: Programme) async throws -> Balance {
        try await Balance.of(programme, using: self)
    }

    /// The application with this id (in `programme`, when given), person loaded, or a 404.
    func application(_ id: UUID?, in programme: Programme? = nil) async throws -> ProgrammeApplication {
        let missing = Problem(.notFound, "No application of this programme has that id; list the programme's applications to find it.")
        guard let id else { throw missing }
        var query = ProgrammeApplication.query(on: database).filter(\.$id == id).with(\.$person)
        if let programme { query = query.filter(\.$programme.$id == (try programme.requireID())) }
        guard let application = try await query.first() else { throw missing }
        return application
    }

    /// The names of a programme's applicants by person id (for showing whom a wish names).
    func applicantNames(in programme: Programme) async throws -> [UUID: String] {
        let rows = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).with(\.$person).all()
        return Dictionary(rows.map { ($0.$person.id, $0.person.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// A programme's applications past the draft stage, persons loaded.
    func submittedApplications(in programme: Programme) async throws -> [ProgrammeApplication] {
        try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status != .draft).with(\.$person).all()
    }

    /// A person's applications in every programme, programmes loaded.
    func applications(of person: Person) async throws -> [ProgrammeApplication] {
        try await ProgrammeApplication.query(on: database).filter(\.$person.$id == person.requireID()).with(\.$programme).all()
    }

    /// Whether `person` may apply (or go on with an application) now: the window is open, some role is open to
    /// them, and any application of theirs is still editable. The page's "Apply" follows this; `save` enforces it.
    func mayApply(_ person: Person, existing: ProgrammeApplication?, in programme: Programme) -> Bool {
        windowRefusal(programme) == nil && roleOptions(for: person, in: programme).contains { $0.reason == nil }
            && (existing?.status.isEditable ?? true)
    }

    /// Whether the applicant may withdraw this application now; `withdraw` enforces the same.
    static func mayWithdraw(_ application: ProgrammeApplication?, in programme: Programme) -> Bool {
        (application?.status.isWithdrawable ?? false) && programme.status.allowsWithdrawal
    }

    /// Saves `person`'s application as a draft, or submits it. A submitted application can be edited until the window closes.
    @discardableResult
    func save(_ input: ApplicationInput, for person: Person, in programme: Programme, submit: Bool) async throws -> ProgrammeApplication {
        if let reason = windowRefusal(programme) { throw Problem(.conflict, reason) }
        let input = input.cleaned()
        if let reason = ineligibility(of: person, as: input.role, in: programme) {
            throw InvalidInput(issues: [FieldIssue(field: "role", message: reason)])
        }
        let existing = try await application(of: person.requireID(), in: programme)
        if let existing, !existing.status.isEditable {
            throw Problem(.conflict, "Your application is \(existing.status.rawValue); it can no longer change.")
        }
        let issues = submit || existing?.status == .submitted ? input.submitProblems(in: programme) : input.draftProblems(in: programme)
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        let application = existing ?? ProgrammeApplication()
        if existing == nil {
            application.$programme.id = try programme.requireID()
            application.$person.id = try person.requireID()
            application.status = .draft
            application.preferred = []
            application.avoided = []
        }
        input.apply(to: application)
        let newlySubmitted = submit && application.status == .draft
        if newlySubmitted {
            application.status = .submitted
            application.submittedAt = clock.now()
        }
        let (clock, link) = (clock, publicURL + WebRoute.apply.link(try programme.requireID()))
        try await database.writeTransaction { db in
            try await application.save(on: db)
            if newlySubmitted {
                try await Notifier(database: db, clock: clock).send(Mail.applicationReceived(to: person, programme: programme, link: link),
                                                                   to: try await Notifier.recipient(person, on: db))
            }
        }
        return application
    }

    /// Withdraws an application. A selected person's place goes to the next on the waiting list with the same role.
    /// Returns the promoted application, if any.
    @discardableResult
    func withdraw(_ application: ProgrammeApplication, by actor: String) async throws -> ProgrammeApplication? {
        guard application.status.isWithdrawable else {
            throw Problem(.conflict, "This application is already \(application.status.rawValue).")
        }
        let programme = try await Programme.require(application.$programme.id, on: database, "This application's programme no longer exists.")
        guard programme.status.allowsWithdrawal else {
            throw Problem(.conflict, "“\(programme.name)” is \(programme.status.rawValue); to leave it now, talk to its coordinator.")
        }
        let applicationID = try application.requireID()
        let wasSelected = application.status == .selected
        return try await database.writeTransaction { db -> ProgrammeApplication? in
            try await db.lockForWriting(Programme.schema, id: programme.requireID())
            // Re-read inside the transaction: a second withdrawal (a double click) finds it withdrawn and stops.
            guard let current = try await ProgrammeApplication.find(applicationID, on: db), current.status != .withdrawn else {
                throw Problem(.conflict, "This application is already withdrawn.")
            }
            current.status = .withdrawn
            current.waitlistPosition = nil
            current.decidedAt = clock.now()
            try await current.save(on: db)
            try await SelectionDecision(applicationID: applicationID, status: .withdrawn, decidedBy: actor).create(on: db)
            guard wasSelected else { return nil }
            guard let next = try await ProgrammeApplication.query(on: db).filter(\.$programme.$id == programme.requireID())
                .filter(\.$status == .waitlisted).filter(\.$role == current.role)
                .sort(\.$waitlistPosition).sort(\.$submittedAt).first() else { return nil }
            next.status = .selected
            next.waitlistPosition = nil
            next.decidedAt = clock.now()
            try await next.save(on: db)
            let who = try await Person.find(current.$person.id, on: db)?.name ?? "a selected person"
            try await SelectionDecision(applicationID: next.requireID(), status: .selected, decidedBy: "Upward (waiting list)",
                                        note: "Promoted when \(who) withdrew").create(on: db)
            if let person = try await Person.find(next.$person.id, on: db) {
                try await Notifier(database: db, clock: clock).send(
                    Mail.promotedFromWaitlist(to: person, programme: programme, link: publicURL + WebRoute.programme.link(programme.requireID())),
                    to: try await Notifier.recipient(person, on: db))
            }
            return next
        }
    }

    // MARK: Selection

    /// Places per role: pairs for `reverse`, two partners a pair for `twoWay`, board size advisors a board.
    func places(for role: ApplicationRole, in programme: Programme) -> Int {
        switch (programme.format, role) {
        case (.twoWay, _): programme.capacity * 2
        case (.advisoryBoard, .mentor): programme.capacity * (programme.boardSize ?? 1)
        default: programme.capacity
        }
    }

    /// Marks an application selected, waitlisted or declined, recording who decided.
    func decide(_ application: ProgrammeApplication, _ status: ApplicationStatus, by actor: String, note: String? = nil) async throws {
        try TextLimit.check([("note", note, TextLimit.paragraph)])
        guard [.selected, .waitlisted, .declined].contains(status) else {
            throw InvalidInput(issues: [FieldIssue(field: "status", message: "A decision is selected, waitlisted or declined.")])
        }
        let programme = try await Programme.require(application.$programme.id, on: database, "This application's programme no longer exists.")
        guard programme.status == .selecting else {
            throw Problem(.conflict, "Selection happens while the programme is in selecting; “\(programme.name)” is in \(programme.status.rawValue)."
                + (programme.status == .enrolling ? " Close enrolment first." : ""))
        }
        guard [.submitted, .selected, .waitlisted, .declined].contains(application.status) else {
            throw Problem(.conflict, "A \(application.status.rawValue) application cannot be \(status.rawValue).")
        }
        let applicationID = try application.requireID()
        try await database.writeTransaction { db in
            try await db.lockForWriting(Programme.schema, id: programme.requireID())
            let all = try await ProgrammeApplication.query(on: db).filter(\.$programme.$id == programme.requireID()).all()
            if status == .selected && application.status != .selected {
                let taken = all.filter { $0.status == .selected && $0.role == application.role }.count
                let places = places(for: application.role, in: programme)
                if taken >= places {
                    throw Problem(.conflict, "All \(places) places for \(application.role.label(in: programme.format).lowercased()) are taken: waitlist this person, or decline someone selected first.")
                }
            }
            application.status = status
            application.decidedAt = clock.now()
            if status == .waitlisted {
                let last = all.filter { $0.status == .waitlisted && $0.role == application.role && $0.id != applicationID }.compactMap(\.waitlistPosition).max() ?? 0
                if application.waitlistPosition == nil { application.waitlistPosition = last + 1 }
            } else {
                application.waitlistPosition = nil
            }
            try await application.save(on: db)
            try await SelectionDecision(applicationID: applicationID, status: status, decidedBy: actor, note: note?.trimmed.nilIfEmpty).create(on: db)
        }
    }

    func review(_ application: ProgrammeApplication, motivation score: Int?) async throws {
        if let score, !(1...5).contains(score) {
            throw InvalidInput(issues: [FieldIssue(field: "motivationReview", message: "Rate the motivation from 1 to 5.")])
        }
        application.motivationReview = score
        try await application.save(on: database)
    }

    /// The criteria a coordinator can rank by.
    enum Criterion: String, Codable, CaseIterable, Sendable {
        case departmentSpread, firstTime, levelSpread, motivation, applicationTime

        var label: String {
            switch self {
            case .departmentSpread: "Spread across departments"
            case .firstTime: "First-time participants"
            case .levelSpread: "Spread across levels"
            case .motivation: "Reviewed motivation"
            case .applicationTime: "Applied earlier"
            }
        }
    }

    struct Ranked: Sendable {
        var application: ProgrammeApplication
        var person: Person
        var rank: Int
        var points: Double
        /// Each chosen criterion's contribution, in [0, 1].
        var breakdown: [(Criterion, Double)]
        var firstTime: Bool
    }

    /// Active applications of one role, best first (`Ranking.rank`): loads them in the order they applied and
    /// who was selected in an earlier programme, then ranks.
    func ranking(_ programme: Programme, role: ApplicationRole, criteria: [Criterion]) async throws -> [Ranked] {
        let id = try programme.requireID()
        let applications = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == id).filter(\.$role == role)
            .filter(\.$status ~~ ApplicationStatus.active).with(\.$person).all()
            .sorted { ($0.submittedAt ?? .distantFuture, $0.person.name) < ($1.submittedAt ?? .distantFuture, $1.person.name) }
        let personIDs = applications.map { $0.$person.id }
        let earlier = personIDs.isEmpty ? [] : try await ProgrammeApplication.query(on: database).filter(\.$person.$id ~~ personIDs)
            .filter(\.$programme.$id != id).filter(\.$status == .selected).all()
        let veterans = Set(earlier.map { $0.$person.id })
        let candidates = applications.map {
            Ranking.Candidate(department: $0.person.department, level: $0.person.level, firstTime: !veterans.contains($0.$person.id),
                              motivationReview: $0.motivationReview)
        }
        return Ranking.rank(candidates, by: criteria).enumerated().map { rank, place in
            let a = applications[place.index]
            return Ranked(application: a, person: a.person, rank: rank + 1, points: place.points, breakdown: place.breakdown,
                          firstTime: candidates[place.index].firstTime)
        }
    }

    /// Selects the best-ranked undecided applicants up to the free places of each role and waitlists the rest in
    /// ranked order. Decisions already made stay. Returns (selected, waitlisted).
    @discardableResult
    func applyRanking(_ programme: Programme, criteria: [Criterion], by actor: String) async throws -> (selected: Int, waitlisted: Int) {
        let note = "Ranked by " + (criteria.isEmpty ? "application time" : criteria.map { $0.label.lowercased() }.joined(separator: ", "))
        let clock = self.clock
        let programmeID = try programme.requireID()
        // One transaction for the whole ranking, the programme locked: every submitted application is decided, or none.
        return try await database.writeTransaction { db -> (selected: Int, waitlisted: Int) in
            try await db.lockForWriting(Programme.schema, id: programmeID)
            let programme = try await Programme.require(programmeID, on: db, "This programme no longer exists.")
            guard programme.status == .selecting else {
                throw Problem(.conflict, "Selection happens while the programme is in selecting; “\(programme.name)” is in \(programme.status.rawValue).")
            }
            let service = ApplicationService(database: db, clock: clock, publicURL: publicURL)
            let now = clock.now()
            var counts = (selected: 0, waitlisted: 0)
            for role in programme.format.roles {
                let ranked = try await service.ranking(programme, role: role, criteria: criteria)
                var free = service.places(for: role, in: programme) - ranked.filter { $0.application.status == .selected }.count
                var position = (ranked.filter { $0.application.status == .waitlisted }.compactMap(\.application.waitlistPosition).max() ?? 0) + 1
                for entry in ranked where entry.application.status == .submitted {
                    let application = entry.application
                    if free > 0 {
                        (application.status, application.waitlistPosition) = (.selected, nil)
                        free -= 1
                        counts.selected += 1
                    } else {
                        (application.status, application.waitlistPosition) = (.waitlisted, position)
                        position += 1
                        counts.waitlisted += 1
                    }
                    application.decidedAt = now
                    try await application.save(on: db)
                    try await SelectionDecision(applicationID: application.requireID(), status: application.status, decidedBy: actor, note: note).create(on: db)
                }
            }
            return counts
        }
    }

    /// Every decision about one application, oldest first.
    func decisions(for application: ProgrammeApplication) async throws -> [SelectionDecision] {
        try await decisions(for: [application.requireID()])[application.requireID()] ?? []
    }

    /// Every decision about these applications, oldest first, in one query: the selection page's history column.
    func decisions(for applications: [UUID]) async throws -> [UUID: [SelectionDecision]] {
        var all: [SelectionDecision] = []
        for batch in applications.chunks(of: 1000) {
            all += try await SelectionDecision.query(on: database).filter(\.$application.$id ~~ Array(batch)).sort(\.$createdAt).all()
        }
        return Dictionary(grouping: all, by: { $0.$application.id })
    }

    /// Skill names people have used in applications (the most recent 2 000), to suggest on the form. Reads only the
    /// two skill columns, never whole applications.
    func skillsInUse() async throws -> [String] {
        struct Row: Decodable { var skills_offered: String; var skills_sought: String }
        let rows = try await database.requireSQL().select().column("skills_offered").column("skills_sought")
            .from(ProgrammeApplication.schema).orderBy("updated_at", .descending).limit(2000).all(decoding: Row.self)
        return Array(Set(rows.flatMap { row in
            (JSONText.decode([SkillLevel].self, row.skills_offered) + JSONText.decode([SkillLevel].self, row.skills_sought)).map(\.name)
        }))
    }
}
