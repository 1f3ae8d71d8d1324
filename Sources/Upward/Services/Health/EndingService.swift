import Fluent
import Foundation
import Scheduling
import Vapor

/// No-fault endings (DESIGN.md, "Ending"): a member leaves a pairing that is not working, or the coordinator ends
/// one, with a reason only the coordinator reads. Ending frees the seats and keeps the history (the space stays
/// readable); the others are told kindly, never why; and whoever did not ask to leave is offered a new partner for
/// the rest of the programme: a re-matching run pairs only those who said yes, never with the same person again.
struct EndingService {
    let database: any Database
    var clock: UpwardClock = .system
    /// Who sends the meetings' cancellations: Upward's own address (`UPWARD_MAIL_FROM`).
    var organizer = CalendarPerson(name: "Upward", email: "upward@localhost")

    /// A member leaves. It ends at once: nobody has to stay in a pairing that is not working for them.
    func leave(_ space: PairingSpaceService.Space, reason: String?, wantAnother: Bool, linkBase: String) async throws {
        try await end(space.pairing, programme: space.programme, reason: reason, byPerson: space.myPersonID, byCoordinator: nil,
                      askerWantsAnother: wantAnother, linkBase: linkBase)
    }

    /// The coordinator ends a pairing of their programme.
    func end(_ pairingID: UUID?, in programme: Programme, reason: String?, by coordinator: String, linkBase: String) async throws {
        guard let pairingID, let pairing = try await Pairing.query(on: database).filter(\.$id == pairingID)
            .filter(\.$programme.$id == programme.requireID()).filter(\.$status ~~ PairingStatus.started).first() else {
            throw Problem(.notFound, "This programme has no started pairing with that id.")
        }
        try await end(pairing, programme: programme, reason: reason, byPerson: nil, byCoordinator: coordinator,
                      askerWantsAnother: false, linkBase: linkBase)
    }

    private func end(_ pairing: Pairing, programme: Programme, reason: String?, byPerson: UUID?, byCoordinator: String?,
                     askerWantsAnother: Bool, linkBase: String) async throws {
        let reason = reason?.trimmed ?? ""
        var issues = TextLimit.problems([("reason", reason, TextLimit.paragraph)])
        if reason.isEmpty {
            issues.append(FieldIssue(field: "reason", message: "Say in a few words why it should end; only the coordinator reads it."))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        let pairingID = try pairing.requireID()
        let now = clock.now()
        let offers = Self.offersRematch(programme, today: clock.today)
        try await database.writeTransaction { db in
            // Of two people ending it at once, one ends it and the other is told it has ended.
            try await db.lockForWriting(Pairing.schema, id: pairingID)
            guard let fresh = try await Pairing.find(pairingID, on: db), fresh.status == .active else {
                throw Problem(.conflict, "This pairing has already ended.")
            }
            fresh.status = .endedEarly
            fresh.endedAt = now
            fresh.endedByPerson = byPerson
            fresh.endedByCoordinator = byCoordinator
            fresh.endReason = reason
            try await fresh.save(on: db)
            let members = try await PairingMember.query(on: db).filter(\.$pairing.$id == pairingID).with(\.$person).with(\.$application).all()
            try await PairingSeat.query(on: db).filter(\.$memberID ~~ members.compactMap(\.id)).delete()
            // Its meetings still to come are called off (no side cancelled them), so calendars drop them: the feed shows
            // them cancelled, and each attendee gets the invitation's cancellation (one per meeting, as iTIP wants).
            let accepted = members.filter { $0.answer == .accepted }
            let calendars = PairingSpaceService(database: db, clock: clock, publicURL: linkBase, organizer: organizer)
            for meeting in try await Meeting.query(on: db).filter(\.$pairing.$id == pairingID).filter(\.$status == .planned)
                .filter(\.$startsAt > now).all() {
                meeting.status = .cancelled
                meeting.cancelledBySide = nil
                meeting.cancelReason = "The pairing ended."
                meeting.sequence += 1
                try await meeting.save(on: db)
                if let first = accepted.first {
                    let space = PairingSpaceService.Space(pairing: fresh, programme: programme, me: first, members: accepted)
                    try await calendars.tellAttendees(meeting, .cancelled, in: space, by: nil, on: db)
                }
            }
            // Someone still in another live pairing of the programme (a mentor with several seats) keeps their place
            // in it: their answer is left as it was, so runs still see them and their other pairing.
            let stillPaired = Set(try await PairingMember.query(on: db).filter(\.$application.$id ~~ members.map { $0.$application.id })
                .filter(\.$pairing.$id != pairingID).join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
                .filter(Pairing.self, \.$status ~~ PairingStatus.live).all().map { $0.$application.id })
            for member in members where member.answer == .accepted {
                let asked = member.$person.id == byPerson
                // Nobody is re-matched unasked: without an offer (the programme is over or not under way) the answer
                // is no, so no later run picks them up.
                let answer: RematchAnswer = offers ? (asked ? (askerWantsAnother ? .wanted : .declined) : .offered) : .declined
                if !stillPaired.contains(member.$application.id) {
                    try await ProgrammeApplication.query(on: db).filter(\.$id == member.$application.id).set(\.$rematch, to: answer).update()
                }
                if !asked {
                    try await Notifier(database: db, clock: clock).send(
                        Mail.pairingEnded(to: member.person, programme: programme, rematchOffered: offers, link: linkBase + WebRoute.pairing.link(pairingID)),
                        to: try await Notifier.recipient(member.person, on: db))
                }
            }
            // Its open alerts have nothing left to act on.
            try await Alert.query(on: db).filter(\.$pairing.$id == pairingID).filter(\.$status != .resolved)
                .set(\.$status, to: .resolved).set(\.$openKey, to: nil).set(\.$handledAt, to: now)
                .set(\.$handledBy, to: "Upward").set(\.$note, to: "The pairing ended.").update()
        }
    }

    /// A re-match is offered for the rest of a programme that is matching or running and has not reached its end.
    static func offersRematch(_ programme: Programme, today: Day) -> Bool {
        [.matching, .running].contains(programme.status) && (programme.endsOn.flatMap(Day.init).map { today < $0 } ?? true)
    }

    /// The answer to the re-match offer: yes puts the member in the next re-matching run, no keeps them out of it.
    /// It can change until they are in a new pairing.
    func answerRematch(_ space: PairingSpaceService.Space, want: Bool) async throws {
        let application = space.me.application
        guard space.pairing.status == .endedEarly, application.rematch != nil else {
            throw Problem(.conflict, "There is no re-match offer on this pairing: it has not ended early, or the programme is over.")
        }
        guard Self.offersRematch(space.programme, today: clock.today) else {
            throw Problem(.conflict, "“\(space.programme.name)” is over or no longer running, so there is nothing to re-match for.")
        }
        let live = try await PairingMember.query(on: database).filter(\.$application.$id == application.requireID())
            .join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
            .filter(Pairing.self, \.$status ~~ PairingStatus.live).count()
        guard live == 0 else { throw Problem(.conflict, "You are already in a new pairing in this programme.") }
        try await database.writeTransaction { db in
            try await ProgrammeApplication.query(on: db).filter(\.$id == application.requireID())
                .set(\.$rematch, to: want ? .wanted : .declined).update()
        }
    }
}
