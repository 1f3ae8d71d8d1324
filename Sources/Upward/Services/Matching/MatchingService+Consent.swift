import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

// MARK: Publishing and consent

extension MatchingService {
    /// Publishes a run: every proposal not already live becomes a pairing awaiting consent, with a deadline.
    /// Seats (unique per programme, person and seat) make it impossible to put anyone in more live pairings
    /// than their capacity — a second, concurrent publication fails whole and changes nothing.
    @discardableResult
    func publish(_ run: MatchingRun, programme: Programme, by author: String, linkBase: String) async throws -> Int {
        try editable(run)
        guard programme.status == .matching || programme.status == .running else {
            throw Problem(.conflict, "Publishing happens while the programme is in matching or running; it is \(programme.status.rawValue).")
        }
        let result = result(of: run)
        let settings = Self.settings(of: run, in: programme)
        let fresh = result.proposals.filter { !$0.kept }
        guard !fresh.isEmpty else { throw Problem(.conflict, "Run \(run.number) proposes nothing new to publish.") }
        let applications = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .with(\.$person).all()
        let byID = Dictionary(applications.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        let deadline = today.adding(days: Self.consentDays).description
        let programmeID = try programme.requireID()
        let runID = try run.requireID()
        do {
            try await database.writeTransaction { db in
                // Claim the run first: of two publications, only one can move published_at from null.
                let claimed = try await db.requireSQL().update(MatchingRun.schema)
                    .set("published_at", to: clock.now()).where("id", .equal, runID).where("published_at", .is, SQLLiteral.null)
                    .returning("id").all()
                guard !claimed.isEmpty else { throw Problem(.conflict, "Run \(run.number) was published a moment ago by someone else.") }
                // Seats already held in this programme.
                let held = try await PairingSeat.query(on: db).filter(\.$programmeID == programmeID).all()
                var seatsOf = Dictionary(grouping: held, by: \.personID).mapValues { Set($0.map(\.seat)) }
                func nextSeat(_ person: UUID) -> Int {
                    var seat = 0
                    while seatsOf[person]?.contains(seat) == true { seat += 1 }
                    seatsOf[person, default: []].insert(seat)
                    return seat
                }
                for (menteeID, group) in Dictionary(grouping: fresh, by: \.menteeApplication).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                    guard let mentee = byID[menteeID] else { continue }
                    let pairing = Pairing()
                    pairing.$programme.id = programmeID
                    pairing.$run.id = runID
                    pairing.status = .awaitingConsent
                    pairing.deadline = deadline
                    try await pairing.create(on: db)
                    let best = group.map(\.score).max() ?? 0
                    let menteeText = group.count == 1 ? group[0].menteeExplanation
                        : group.map { p in "\(byID[p.mentorApplication]?.person.name ?? "An advisor"): \(p.menteeExplanation)" }.joined(separator: " ")
                    try await addMember(pairing, mentee, side: .mentee, score: best, explanation: menteeText, seat: nextSeat(mentee.$person.id), on: db)
                    for p in group {
                        guard let mentor = byID[p.mentorApplication] else { continue }
                        let seat = nextSeat(mentor.$person.id)
                        if seat >= settings.mentorCapacity {
                            throw Problem(.conflict, "\(mentor.person.name) already has \(settings.mentorCapacity) live pairing\(settings.mentorCapacity == 1 ? "" : "s"); start a new run.")
                        }
                        try await addMember(pairing, mentor, side: .mentor, score: p.score, explanation: p.mentorExplanation, seat: seat, on: db)
                    }
                    let people = ([mentee] + group.compactMap({ byID[$0.mentorApplication] })).map(\.person)
                    for (person, recipient) in zip(people, try await Notifier.recipients(people, on: db)) {
                        try await Notifier(database: db, clock: clock).send(
                            Mail.proposal(to: person, programme: programme, deadline: deadline, link: linkBase + WebRoute.myMatch.link(programmeID)),
                            to: recipient)
                    }
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem(.conflict, "Someone in run \(run.number) was placed in another pairing a moment ago; start a new run.")
        }
        return Set(fresh.map(\.menteeApplication)).count
    }

    private func addMember(_ pairing: Pairing, _ application: ProgrammeApplication, side: MemberSide, score: Double, explanation: String,
                           seat: Int, on db: any Database) async throws {
        let member = PairingMember()
        member.$pairing.id = try pairing.requireID()
        member.$application.id = try application.requireID()
        member.$person.id = application.$person.id
        member.side = side
        member.answer = .pending
        member.score = score
        member.explanation = explanation
        try await member.create(on: db)
        let claim = PairingSeat()
        claim.programmeID = pairing.$programme.id
        claim.personID = application.$person.id
        claim.seat = seat
        claim.memberID = try member.requireID()
        try await claim.create(on: db)
    }

    /// A person's answer. Accepting twice is harmless; a decline frees everyone in a pair (or, on a board, that
    /// advisor only) for a re-match that never proposes the declined pair again.
    func respond(_ member: PairingMember, accept: Bool, reason: String?) async throws {
        try TextLimit.check([("reason", reason, TextLimit.paragraph)])
        let memberID = try member.requireID()
        let pairingID = member.$pairing.id
        try await database.writeTransaction { db in
            try await db.lockForWriting(Pairing.schema, id: pairingID)   // answers and expiry take turns on a pairing
            guard let current = try await PairingMember.find(memberID, on: db),
                  let pairing = try await Pairing.find(pairingID, on: db) else { throw Problem(.notFound, "That proposal no longer exists.") }
            guard pairing.status == .awaitingConsent || (pairing.status == .active && current.answer == .accepted) else {
                throw Problem(.conflict, "This proposal is \(pairing.status.label.lowercased()); there is nothing to answer.")
            }
            if current.answer == (accept ? .accepted : .declined) { return }   // the same answer again: nothing changes
            guard current.answer == .pending else {
                throw Problem(.conflict, "You already \(current.answer.rawValue) this proposal.")
            }
            if let deadline = Day(pairing.deadline), deadline < today {
                throw Problem(.conflict, "The deadline to answer (\(pairing.deadline)) has passed.")
            }
            current.answer = accept ? .accepted : .declined
            current.reason = reason?.trimmed.nilIfEmpty
            current.answeredAt = clock.now()
            try await current.save(on: db)
            if !accept {
                try await release(current, in: pairing, on: db)
            }
        }
        if accept { try await activateIfComplete(pairingID) }
    }

    /// After a decline or a missed deadline: a pair ends; a board loses that advisor (the whole board ends
    /// if the board holder declined or no advisor is left).
    private func release(_ member: PairingMember, in pairing: Pairing, on db: any Database) async throws {
        let members = try await PairingMember.query(on: db).filter(\.$pairing.$id == pairing.requireID()).all()
        let mentors = members.filter { $0.side == .mentor }
        let endsAll = member.side == .mentee || !mentors.contains { $0.answer != .declined && $0.answer != .expired && $0.id != member.id }
        if endsAll {
            pairing.status = member.answer == .expired ? .expired : .declined
            try await pairing.save(on: db)
            try await PairingSeat.query(on: db).filter(\.$memberID ~~ members.compactMap(\.id)).delete()
        } else {
            try await PairingSeat.query(on: db).filter(\.$memberID == member.requireID()).delete()
        }
    }

    /// Active once every remaining member accepted. One conditional statement, run after the answer is saved,
    /// so two people accepting at the same moment still leave the pairing active.
    func activateIfComplete(_ pairingID: UUID) async throws {
        // Activation and the space's set-up (agreement, planned meetings) commit together, or neither does.
        try await database.writeTransaction { db in
            try await db.requireSQL().raw("""
                UPDATE \(ident: Pairing.schema) SET status = \(bind: PairingStatus.active.rawValue), activated_at = \(bind: clock.now())
                WHERE id = \(bind: pairingID) AND status = \(bind: PairingStatus.awaitingConsent.rawValue)
                AND NOT EXISTS (SELECT 1 FROM \(ident: PairingMember.schema) m WHERE m.pairing_id = \(bind: pairingID)
                                AND m.answer = \(bind: ConsentAnswer.pending.rawValue))
                AND EXISTS (SELECT 1 FROM \(ident: PairingMember.schema) m WHERE m.pairing_id = \(bind: pairingID)
                            AND m.side = \(bind: MemberSide.mentor.rawValue) AND m.answer = \(bind: ConsentAnswer.accepted.rawValue))
                """).run()
            try await PairingSpaceService(database: db, clock: clock, publicURL: publicURL).setUp(pairingID)
        }
    }

    /// Every programme's pairings whose answer deadline has passed: the silent count as declining. The work of
    /// the consent-expiry job; returns how many programmes had some.
    @discardableResult
    func expireAllOverdue() async throws -> Int {
        // Only the programmes concerned: one row per programme, not every overdue pairing.
        let overdue = try await Pairing.query(on: database).filter(\.$status == .awaitingConsent)
            .filter(\.$deadline < today.description).unique().field(\.$programme.$id).all()
        let programmeIDs = Set(overdue.map { $0.$programme.id })
        let programmes = try await Programme.query(on: database).filter(\.$id ~~ programmeIDs).all()
        for programme in programmes { try await expireOverdue(programme) }
        return programmes.count
    }

    /// Pairings whose deadline passed with answers missing: those members count as declining.
    func expireOverdue(_ programme: Programme) async throws {
        let overdue = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status == .awaitingConsent).filter(\.$deadline < today.description).all()
        for pairing in overdue {
            try await database.writeTransaction { db in
                // Answers and expiry take turns on a pairing, so no member is released twice.
                try await db.lockForWriting(Pairing.schema, id: pairing.requireID())
                let pending = try await PairingMember.query(on: db).filter(\.$pairing.$id == pairing.requireID()).filter(\.$answer == .pending).all()
                for member in pending {
                    member.answer = .expired
                    member.answeredAt = clock.now()
                    try await member.save(on: db)
                    guard let fresh = try await Pairing.find(pairing.id, on: db), fresh.status == .awaitingConsent else { break }
                    try await release(member, in: fresh, on: db)
                }
            }
            try await activateIfComplete(pairing.requireID())
        }
    }

    /// A member's answer as someone else sees it. The one rule for reasons: a decline's reason is private to the
    /// person and the coordinator; partners never see it, on a page or in the API.
    struct MemberAnswer: Sendable {
        var personID: UUID
        var name: String
        /// Their title, or their department when the directory has no title.
        var detail: String
        var side: MemberSide
        var answer: ConsentAnswer
        var reason: String?
        var answeredAt: Date?

        enum Viewer { case coordinator, partner }

        /// `member` with its person loaded.
        init(_ member: PairingMember, for viewer: Viewer) {
            personID = member.$person.id
            name = member.person.name
            detail = member.person.title ?? member.person.department
            side = member.side
            answer = member.answer
            reason = viewer == .coordinator ? member.reason : nil
            answeredAt = member.answeredAt
        }
    }

    /// A programme's pairings, oldest first, members and their people loaded: the coordinator's consent view.
    func pairings(of programme: Programme) async throws -> [Pairing] {
        try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID()).with(\.$members) { $0.with(\.$person) }
            .sort(\.$createdAt).all()
    }

    /// Someone's latest proposal or pairing, as they see it: their own membership and their partners' answers.
    struct Match: Sendable {
        var pairing: Pairing
        var me: PairingMember
        var partners: [MemberAnswer]
    }

    func match(of application: ProgrammeApplication) async throws -> Match {
        guard let match = try await currentMatch(of: application) else {
            throw Problem(.notFound, "No proposal has been published for you yet.")
        }
        return match
    }

    /// The same, or nil before anything was published for them.
    func currentMatch(of application: ProgrammeApplication) async throws -> Match? {
        guard let me = try await currentMember(of: application) else { return nil }
        let pairing = me.pairing   // loaded with the membership
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id == me.$pairing.id).with(\.$person).all()
        return Match(pairing: pairing, me: me, partners: members.filter { $0.side != me.side }.map { MemberAnswer($0, for: .partner) })
    }

    /// The application's latest pairing membership (its proposal, or the pairing it is in), if any.
    func currentMember(of application: ProgrammeApplication) async throws -> PairingMember? {
        let members = try await PairingMember.query(on: database).filter(\.$application.$id == application.requireID()).with(\.$pairing).all()
        return members.max { ($0.pairing.createdAt ?? .distantPast) < ($1.pairing.createdAt ?? .distantPast) }
    }

    /// How long a person is left alone after a reminder.
    static let nudgeInterval: TimeInterval = 24 * 3600

    /// Reminds everyone who has not answered yet, except those reminded within the last day. Returns how many
    /// were reminded; when everyone waiting was reminded recently, nobody is, and the refusal says until when.
    @discardableResult
    func nudge(_ programme: Programme, linkBase: String) async throws -> Int {
        let now = clock.now()
        let pairings = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status == .awaitingConsent).with(\.$members) { $0.with(\.$person) }.all()
        let pending = pairings.flatMap { pairing in pairing.members.filter { $0.answer == .pending }.map { (pairing, $0) } }
        let due = pending.filter { _, member in member.nudgedAt.map { now.timeIntervalSince($0) >= Self.nudgeInterval } ?? true }
        if due.isEmpty, let soonest = pending.compactMap({ $0.1.nudgedAt }).min() {
            let again = soonest.addingTimeInterval(Self.nudgeInterval)
            throw Problem(.conflict, "Everyone waiting was reminded within the last day. Nudge again after \(Self.utcMinute(again)) UTC.")
        }
        var count = 0
        let link = linkBase + WebRoute.myMatch.link(try programme.requireID())
        for (pairing, member) in due {
            // The reminder and the record that it went out, together or not at all.
            try await database.writeTransaction { db in
                try await Notifier(database: db, clock: clock).send(Mail.nudge(to: member.person, programme: programme, deadline: pairing.deadline, link: link),
                                                                   to: try await Notifier.recipient(member.person, on: db))
                member.nudgedAt = now
                try await member.save(on: db)
            }
            count += 1
        }
        return count
    }

    /// "2026-11-24 09:30": a moment in UTC, for messages.
    static func utcMinute(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
