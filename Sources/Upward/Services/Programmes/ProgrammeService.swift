import Fluent
import Foundation
import SQLKit

/// The explicit actions that move a programme through `draft → enrolling → selecting → matching → running → closed`.
enum ProgrammeAction: String, Codable, CaseIterable, Sendable {
    case openEnrolment, closeEnrolment, reopenEnrolment, confirmSelection, startProgramme, close

    var label: String {
        switch self {
        case .openEnrolment: "Open enrolment"
        case .closeEnrolment: "Close enrolment"
        case .reopenEnrolment: "Reopen enrolment"
        case .confirmSelection: "Confirm selection and start matching"
        case .startProgramme: "Start the programme"
        case .close: "Close the programme"
        }
    }

    var from: ProgrammeStatus {
        switch self {
        case .openEnrolment: .draft
        case .closeEnrolment: .enrolling
        case .reopenEnrolment: .selecting
        case .confirmSelection: .selecting
        case .startProgramme: .matching
        case .close: .running
        }
    }

    var to: ProgrammeStatus {
        switch self {
        case .openEnrolment: .enrolling
        case .closeEnrolment, .reopenEnrolment: self == .closeEnrolment ? .selecting : .enrolling
        case .confirmSelection: .matching
        case .startProgramme: .running
        case .close: .closed
        }
    }

    static func available(from status: ProgrammeStatus) -> [ProgrammeAction] { allCases.filter { $0.from == status } }
}

/// Designing programmes, moving them through their stages, inviting people and seeing the balance of the two sides.
struct ProgrammeService {
    let database: any Database
    var clock: UpwardClock = .system
    /// Where Upward is reached, for the links in the messages it writes.
    var publicURL = ""
    var today: Day { clock.today }

    /// Every programme `role` may see, newest first (drafts for coordinators and admins only; see `maySee`).
    func all(for role: Role = .admin) async throws -> [Programme] {
        var query = Programme.query(on: database)
        if !Self.maySee(draftsAs: role) { query = query.filter(\.$status != .draft) }
        return try await query.sort(\.$createdAt, .descending).all()
    }

    /// Drafts are the coordinators' work in progress: nobody else sees one, in a list or at its address.
    static func maySee(_ programme: Programme, as role: Role) -> Bool {
        programme.status != .draft || maySee(draftsAs: role)
    }

    static func maySee(draftsAs role: Role) -> Bool { role == .admin || role == .coordinator }

    /// The programme as `role` may see it: a draft is "not found" for anyone but coordinators and admins.
    func find(_ id: UUID?, for role: Role) async throws -> Programme {
        let programme = try await find(id)
        guard Self.maySee(programme, as: role) else { throw Problem(.notFound, Self.notFound) }
        return programme
    }

    static let notFound = "There is no programme at this address. Open Programmes to see them all."

    func find(_ id: UUID?) async throws -> Programme {
        guard let id, let programme = try await Programme.find(id, on: database) else {
            throw Problem(.notFound, Self.notFound)
        }
        return programme
    }

    /// The input when every field is fine, else `InvalidInput` listing every problem at once: the input's own
    /// rules, a format change after people applied, and (past enrolment) a capacity below those already selected.
    func checked(_ input: ProgrammeInput, for programme: Programme? = nil) async throws -> ProgrammeInput {
        var issues = input.problems()
        if let programme, [.selecting, .matching, .running].contains(programme.status) {
            let future = Programme()
            future.format = input.format
            future.capacity = input.capacity
            future.boardSize = input.boardSize
            let applications = ApplicationService(database: database, clock: clock, publicURL: publicURL)
            for role in programme.format.roles {
                let selected = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
                    .filter(\.$status == .selected).filter(\.$role == role).count()
                let places = applications.places(for: role, in: future)
                if selected > places {
                    issues.append(FieldIssue(field: "capacity", message:
                        "\(selected) \(role.label(in: programme.format).lowercased()) are already selected, more than \(places) places; decline some first or keep the capacity."))
                }
            }
        }
        if let programme, input.format != programme.format {
            let applied = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
                .filter(\.$status != .draft).count()
            if applied > 0 {
                issues.append(FieldIssue(field: "format", message:
                    "\(applied) \(applied == 1 ? "person has" : "people have") applied under the \(programme.format.rawValue) format; the format can no longer change."))
            }
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return input
    }

    /// What the coordinator should know about a design that is valid but will not work as meant: an eligibility
    /// range that nobody in the directory falls in.
    func warnings(for programme: Programme) async throws -> [String] {
        let levels = try await DirectoryService(database: database, clock: clock).levels()
        guard let lowest = levels.first, let highest = levels.last else { return [] }
        var warnings: [String] = []
        for (eligibility, side) in [(programme.mentorEligibility, "mentors"), (programme.menteeEligibility, "mentees")] {
            guard eligibility.minLevel != nil || eligibility.maxLevel != nil else { continue }
            let low = eligibility.minLevel ?? Int.min, high = eligibility.maxLevel ?? Int.max
            if low <= high, !levels.contains(where: { (low...high).contains($0) }) {
                warnings.append("Nobody in the directory is at \(eligibility.summary) (levels there run from \(lowest) to \(highest)), so no \(side) can apply.")
            }
        }
        return warnings
    }

    func create(_ input: ProgrammeInput, by author: String) async throws -> Programme {
        let input = try await checked(input)
        let programme = Programme()
        programme.stories = []
        programme.status = .draft
        programme.round = 1
        programme.createdBy = author
        input.apply(to: programme)
        try await programme.create(on: database)
        return programme
    }

    func update(_ programme: Programme, with input: ProgrammeInput) async throws {
        guard programme.status != .closed else {
            throw Problem(.conflict, "“\(programme.name)” is closed and can no longer change. Use Run again to start a new round from it.")
        }
        let input = try await checked(input, for: programme)
        input.apply(to: programme)
        try await programme.save(on: database)
    }

    /// Why `action` cannot happen now, or nil when it can.
    func refusal(_ action: ProgrammeAction, on programme: Programme) async throws -> String? {
        guard programme.status == action.from else {
            let allowed = ProgrammeAction.available(from: programme.status).map { "“\($0.label)”" }
            return "“\(action.label)” works only on a programme in \(action.from.rawValue); this one is in \(programme.status.rawValue)"
                + (allowed.isEmpty ? "." : ". From here you can: \(allowed.joined(separator: ", ")).")
        }
        let id = try programme.requireID()
        switch action {
        case .openEnrolment:
            let missing = [("enrolment opens", programme.enrolmentOpens), ("enrolment closes", programme.enrolmentCloses),
                           ("start", programme.startsOn), ("end", programme.endsOn)].filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty { return "Set the \(missing.joined(separator: ", ")) date\(missing.count == 1 ? "" : "s") before opening enrolment." }
            if let closes = programme.enrolmentCloses.flatMap(Day.init), closes < today {
                return "Enrolment would close on \(closes), which has passed: move the enrolment dates first."
            }
            let issues = ProgrammeInput(programme).problems()
            if let first = issues.first { return "Fix the design first: \(first.message)" }
        case .confirmSelection:
            let applications = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == id).all()
            let waiting = applications.filter { $0.status == .submitted }.count
            if waiting > 0 {
                return "\(waiting) application\(waiting == 1 ? " still waits" : "s still wait") for a decision: select, waitlist or decline \(waiting == 1 ? "it" : "them") first."
            }
            let selected = applications.filter { $0.status == .selected }
            if !selected.contains(where: { $0.role.mentors }) || !selected.contains(where: { $0.role.mentees }) {
                return "Select at least one person on each side (\(programme.format.sideNames.givers) and \(programme.format.sideNames.takers)) before matching."
            }
        case .startProgramme:
            let active = try await Pairing.query(on: database).filter(\.$programme.$id == id).filter(\.$status == .active).count()
            if active == 0 {
                return "No pairing is active yet: publish a matching run and wait until both sides of at least one pair accept."
            }
        case .close, .closeEnrolment, .reopenEnrolment:
            break
        }
        return nil
    }

    /// Performs `action`, or throws a conflict that says why it is not allowed.
    func perform(_ action: ProgrammeAction, on programme: Programme, lessons: String? = nil, stories: [Story]? = nil) async throws {
        try TextLimit.check([("lessons", lessons, TextLimit.paragraph)] + (stories ?? []).enumerated().flatMap { k, story in
            [("stories[\(k)].quote", story.quote, TextLimit.paragraph), ("stories[\(k)].by", story.by, TextLimit.line)]
        })
        if let stories, stories.count > TextLimit.listItems {
            throw InvalidInput(issues: [FieldIssue(field: "stories", message: "Keep to \(TextLimit.listItems) stories or fewer.")])
        }
        if let reason = try await refusal(action, on: programme) { throw Problem(.conflict, reason) }
        programme.status = action.to
        if action == .close {
            if let lessons = lessons?.trimmed, !lessons.isEmpty { programme.lessons = lessons }
            if let stories { programme.stories = stories }
        }
        let clock = clock
        try await database.writeTransaction { db in
            try await programme.save(on: db)
            // Everyone who applied hears the outcome once selection is final: from a job, as there may be thousands.
            if action == .confirmSelection {
                let id = try programme.requireID()
                try await JobQueue(database: db, clock: clock).enqueue(ScheduledMail.selectionJob, payload: ScheduledMail.SelectionPayload(programme: id),
                                                                      uniqueKey: "selection-outcome:\(id)")
            }
        }
    }

    /// A new round in draft with this one's settings; the lessons stay readable through `previous`.
    func runAgain(_ programme: Programme, by author: String) async throws -> Programme {
        let next = Programme()
        var input = ProgrammeInput(programme)
        let base = programme.name.replacingOccurrences(of: #" — round \d+$"#, with: "", options: .regularExpression)
        input.name = "\(base) — round \(programme.round + 1)"
        (input.enrolmentOpens, input.enrolmentCloses, input.startsOn, input.endsOn) = (nil, nil, nil, nil)
        input.apply(to: next)
        next.stories = []
        next.status = .draft
        next.round = programme.round + 1
        next.$previous.id = try programme.requireID()
        next.createdBy = author
        try await next.create(on: database)
        return next
    }

    /// Earlier rounds of this programme, newest first.
    func earlierRounds(of programme: Programme) async throws -> [Programme] {
        var rounds: [Programme] = []
        var previousID = programme.$previous.id
        while let id = previousID, rounds.count < 20, let earlier = try await Programme.find(id, on: database) {
            rounds.append(earlier)
            previousID = earlier.$previous.id
        }
        return rounds
    }

    /// Stories to show while publicising: this programme's earlier rounds first, else any closed programme's.
    func stories(for programme: Programme) async throws -> [Story] {
        let lineage = try await earlierRounds(of: programme).flatMap(\.stories)
        if !lineage.isEmpty { return lineage }
        return try await Programme.query(on: database).filter(\.$status == .closed).all().flatMap(\.stories).prefix(3).map { $0 }
    }

    // MARK: Invitations

    /// Who to invite: one department, a level range, or everybody (current staff only).
    struct Audience: Codable, Sendable {
        var department: String?
        var minLevel: Int?
        var maxLevel: Int?

        var label: String {
            var parts: [String] = []
            if let department { parts.append(department) }
            switch (minLevel, maxLevel) {
            case let (low?, high?): parts.append(low == high ? "level \(low)" : "levels \(low)–\(high)")
            case let (low?, nil): parts.append("level \(low)+")
            case let (nil, high?): parts.append("up to level \(high)")
            default: break
            }
            return parts.isEmpty ? "everybody" : parts.joined(separator: ", ")
        }
    }

    /// Invitations go out before and during enrolment.
    static func mayInvite(to programme: Programme) -> Bool { programme.status == .draft || programme.status == .enrolling }

    /// Invites everyone in `audience` not invited yet; each gets a message in the outbox with the programme's link.
    /// Returns how many were newly invited.
    func invite(_ audience: Audience, to programme: Programme, by author: String, linkBase: String) async throws -> Int {
        guard Self.mayInvite(to: programme) else {
            throw Problem(.conflict, "Invitations go out before and during enrolment; “\(programme.name)” is in \(programme.status.rawValue).")
        }
        if let low = audience.minLevel, let high = audience.maxLevel, low > high {
            throw InvalidInput(issues: [FieldIssue(field: "minLevel", message: "The lowest level (\(low)) is above the highest (\(high)).")])
        }
        let id = try programme.requireID()
        var query = Person.query(on: database).currentStaff(on: today)
        if let department = audience.department?.trimmed.nilIfEmpty { query = query.filter(\.$department == department) }
        if let low = audience.minLevel { query = query.filter(\.$level >= low) }
        if let high = audience.maxLevel { query = query.filter(\.$level <= high) }
        let people = try await query.all()
        if people.isEmpty {
            let levels = try await DirectoryService(database: database, clock: clock).levels()
            let range = levels.first.map { "levels there run from \($0) to \(levels.last ?? $0)" } ?? "the directory is empty"
            throw InvalidInput(issues: [FieldIssue(field: audience.department?.trimmed.nilIfEmpty != nil ? "department" : "minLevel",
                                                   message: "Nobody current in the directory is in \(audience.label) (\(range)); nobody was invited.")])
        }
        let already = Set(try await ProgrammeInvitation.query(on: database).filter(\.$programme.$id == id).all().map(\.$person.id))
        let fresh = people.filter { $0.id.map { !already.contains($0) } ?? false }
        guard !fresh.isEmpty else { return 0 }
        let link = linkBase + WebRoute.programme.link(id)
        try await database.writeTransaction { db in
            for person in fresh {
                let invitation = ProgrammeInvitation()
                invitation.$programme.id = id
                invitation.$person.id = try person.requireID()
                invitation.audience = audience.label
                invitation.invitedBy = author
                try await invitation.create(on: db)
                try await Notifier(database: db, clock: clock).send(Mail.programmeInvitation(to: person, programme: programme, link: link),
                                                                   to: try await Notifier.recipient(person, on: db))
            }
        }
        return fresh.count
    }

    /// Records that `person` opened the programme's page, if they were invited and had not opened it yet.
    func markOpened(_ programme: Programme, by personID: UUID) async throws {
        try await ProgrammeInvitation.query(on: database)
            .filter(\.$programme.$id == programme.requireID()).filter(\.$person.$id == personID).filter(\.$openedAt == nil)
            .set(\.$openedAt, to: clock.now()).update()
    }

    struct InvitationRow: Sendable {
        var person: Person
        var audience: String
        var invitedAt: Date?
        var openedAt: Date?
        var application: ApplicationStatus?
    }

    func invitations(for programme: Programme) async throws -> [InvitationRow] {
        let id = try programme.requireID()
        let invitations = try await ProgrammeInvitation.query(on: database).filter(\.$programme.$id == id).with(\.$person).all()
        let applications = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == id).all()
        let statusByPerson = Dictionary(applications.map { ($0.$person.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        return invitations.map { InvitationRow(person: $0.person, audience: $0.audience, invitedAt: $0.createdAt, openedAt: $0.openedAt,
                                               application: $0.person.id.flatMap { statusByPerson[$0] }) }
            .sorted { ($0.person.department, $0.person.name) < ($1.person.department, $1.person.name) }
    }
}
