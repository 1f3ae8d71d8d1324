import Fluent
import Foundation

/// Where a participant stands in a programme they are in, and the one thing to do next: a line per programme, or
/// a line per pairing once they are matched (a mentor with two mentees has two). The home page, the programmes list
/// and the API say the same sentence from here.
///
/// `lines(_:now:today:)` is pure: it works on rows already loaded. The loader
/// (`PairingSpaceService.participantStatus(of:)`) reads those rows in a fixed number of queries, however many
/// programmes, pairings or meetings the person has.
struct ParticipantStatus: Sendable, Equatable {
    enum Kind: String, Sendable, Codable, CaseIterable {
        /// Before matching: the application.
        case finishApplication, applicationClosed, awaitingSelection, waitlisted, notSelected, withdrawn
        /// Selected, nothing proposed yet: preferences while they are open, else waiting.
        case setPreferences, awaitingMatch
        /// A proposal: the person's own answer, or the others'.
        case answerMatch, awaitingPartners
        /// An active pairing: the space's own next step (`PairingSpaceService.NextStep`).
        case prepare, sign, log, setGoal, meet, planMeeting
        /// A pairing that ended (completed or early), or a programme that closed.
        case finished
    }

    var programmeID: UUID
    var programmeName: String
    var kind: Kind
    /// Where they stand and what to do, in one or two sentences.
    var text: String
    /// The pairing this line is about (a proposal or an active pairing).
    var pairingID: UUID?
    /// The meeting it is about, to log or to attend.
    var meetingID: UUID?
    /// The other people in the pairing, by name.
    var partners: [String] = []
    /// The day to act by (answering a proposal), `yyyy-MM-dd`.
    var deadline: String?

    /// Something for the person to do now, rather than something to wait for or to know.
    var isAction: Bool {
        [.finishApplication, .setPreferences, .answerMatch, .prepare, .sign, .log, .setGoal, .planMeeting].contains(kind)
    }
    /// The line is about a pairing whose space is open (active, or ended and kept to read).
    var hasSpace: Bool { pairingID != nil && ![.answerMatch, .awaitingPartners].contains(kind) }

    /// Everything `lines` needs, loaded.
    struct Rows: Sendable {
        /// The person's applications, programmes loaded.
        var applications: [ProgrammeApplication]
        /// The person's own memberships, pairings loaded.
        var memberships: [PairingMember]
        /// Everyone in those pairings, persons and applications loaded.
        var members: [PairingMember] = []
        /// The agreements of the active pairings, every version, signatures loaded.
        var agreements: [Agreement] = []
        var goals: [Goal] = []
        var meetings: [Meeting] = []
        /// The programmes whose enrolment window is open now (`ApplicationService.windowRefusal` is nil).
        var openForApplications: Set<UUID> = []
    }

    /// A pairing the person is in and should hear about: a proposal they have not declined, or a pairing they
    /// accepted that has started. Declined and expired proposals are history, not a status.
    static func counts(_ member: PairingMember) -> Bool {
        switch member.pairing.status {
        case .awaitingConsent: member.answer == .pending || member.answer == .accepted
        case .active, .completed, .endedEarly: member.answer == .accepted
        case .declined, .expired: false
        }
    }

    static func hasStarted(_ pairing: Pairing) -> Bool { pairing.status.hasStarted }

    /// One line per programme the person applied to, or per pairing they are in there; programmes running first.
    ///
    /// - Complexity: O(*a* + *m* log *m*) for *a* applications and *m* rows of pairings, goals and meetings.
    static func lines(_ rows: Rows, now: Date, today: Day) -> [ParticipantStatus] {
        let mine = rows.memberships.filter(counts).sorted {
            ($0.pairing.activatedAt ?? $0.pairing.createdAt ?? .distantPast) < ($1.pairing.activatedAt ?? $1.pairing.createdAt ?? .distantPast)
        }
        let pairingsOf = Dictionary(grouping: mine, by: { $0.pairing.$programme.id })
        let membersOf = Dictionary(grouping: rows.members, by: { $0.$pairing.id })
        let agreementsOf = Dictionary(grouping: rows.agreements, by: { $0.$pairing.id })
        let goalsOf = Dictionary(grouping: rows.goals, by: { $0.$pairing.id })
        let meetingsOf = Dictionary(grouping: rows.meetings.sorted { $0.startsAt < $1.startsAt }, by: { $0.$pairing.id })
        let stage: [ProgrammeStatus: Int] = [.running: 0, .matching: 1, .selecting: 2, .enrolling: 3, .closed: 4, .draft: 5]
        let applications = rows.applications.sorted {
            (stage[$0.programme.status] ?? 9, $0.programme.name) < (stage[$1.programme.status] ?? 9, $1.programme.name)
        }
        var out: [ParticipantStatus] = []
        for application in applications {
            let programme = application.programme
            guard let programmeID = programme.id else { continue }
            let pairings = pairingsOf[programmeID] ?? []
            if pairings.isEmpty {
                out.append(line(application, programmeID: programmeID, open: rows.openForApplications.contains(programmeID), today: today))
                continue
            }
            for me in pairings {
                let pairingID = me.$pairing.id
                let everyone = (membersOf[pairingID] ?? []).filter { hasStarted(me.pairing) ? $0.answer == .accepted : true }
                    .sorted { ($0.side.rawValue, $0.person.name) > ($1.side.rawValue, $1.person.name) }
                let partners = everyone.filter { $0.side != me.side && $0.answer != .declined && $0.answer != .expired }.map(\.person.name)
                var status = ParticipantStatus(programmeID: programmeID, programmeName: programme.name, kind: .finished, text: "",
                                               pairingID: pairingID, partners: partners)
                switch me.pairing.status {
                case .awaitingConsent:
                    status.deadline = me.pairing.deadline
                    let by = Day(me.pairing.deadline).map(day) ?? me.pairing.deadline
                    if let deadline = Day(me.pairing.deadline), deadline < today {
                        (status.kind, status.text) = (.awaitingPartners, "The time to answer your proposed match ended on \(by); the coordinator will be in touch.")
                    } else if me.answer == .pending {
                        (status.kind, status.text) = (.answerMatch, "Answer your proposed match by \(by): accept or decline.")
                    } else {
                        let others = partners.count > 1 ? "the others' answers" : "your partner's answer"
                        (status.kind, status.text) = (.awaitingPartners, "You accepted. Waiting for \(others) (due by \(by)); the pairing starts once everyone has.")
                    }
                case .completed:
                    status.text = "Your pairing has finished. Its space stays here to look back on."
                case .endedEarly:
                    status.text = "This pairing has ended. Its space stays here to read."
                case .active:
                    // `me` as loaded with everyone (person and application), so the space can read its zone.
                    let space = PairingSpaceService.Space(pairing: me.pairing, programme: programme,
                                                          me: everyone.first { $0.id == me.id } ?? me, members: everyone)
                    let agreement = PairingSpaceService.AgreementState(versions: agreementsOf[pairingID] ?? [],
                                                                       signers: everyone.map { $0.$person.id })
                    let meetings = (meetingsOf[pairingID] ?? []).filter(space.sees)
                    let next = PairingSpaceService.nextStep(space, agreement: agreement, goals: goalsOf[pairingID] ?? [], meetings: meetings, now: now)
                    status.text = next.text
                    status.meetingID = next.meetingID
                    status.kind = switch next.kind {
                    case .prepare: .prepare
                    case .sign: .sign
                    case .log: .log
                    case .setGoal: .setGoal
                    case .meet: .meet
                    case .none: .planMeeting
                    }
                case .declined, .expired:
                    continue
                }
                out.append(status)
            }
        }
        return out
    }

    /// The line for an application with no pairing to speak of.
    static func line(_ application: ProgrammeApplication, programmeID: UUID, open: Bool, today: Day) -> ParticipantStatus {
        let programme = application.programme
        let closes = programme.enrolmentCloses.flatMap(Day.init).map(day)
        var status = ParticipantStatus(programmeID: programmeID, programmeName: programme.name, kind: .finished, text: "")
        let role = application.role.label(in: programme.format)
        switch application.status {
        case .draft:
            (status.kind, status.text) = open
                ? (.finishApplication, "Finish your application: it is saved as a draft and not yet submitted\(closes.map { " (enrolment closes on \($0))" } ?? "").")
                : (.applicationClosed, "Your draft was not submitted before enrolment closed.")
        case .submitted:
            status.kind = .awaitingSelection
            status.text = open && closes != nil
                ? "Submitted, awaiting selection. You can still change it until enrolment closes on \(closes ?? "")."
                : "Submitted, awaiting selection."
        case .waitlisted:
            status.kind = .waitlisted
            status.text = application.waitlistPosition.map { "You are on the waiting list at position \($0) for your role: \(role)." }
                ?? "You are on the waiting list for your role: \(role)."
        case .declined:
            (status.kind, status.text) = (.notSelected, "Not selected this round. Thank you for applying; the next round will be announced here.")
        case .withdrawn:
            (status.kind, status.text) = (.withdrawn, "You withdrew your application.")
        case .selected:
            if MatchingService.preferencesOpen(programme) {
                (status.kind, status.text) = (.setPreferences, "You are selected as \(role.lowercasedFirst). Matching comes next: say whom you would like to be matched with, if you wish.")
            } else if programme.status == .closed {
                (status.kind, status.text) = (.finished, "The programme has closed.")
            } else {
                (status.kind, status.text) = (.awaitingMatch, "You are selected as \(role.lowercasedFirst) and waiting for a match. You will be asked to accept it here.")
            }
        }
        return status
    }

    /// "Thu 12 Mar 2026".
    static func day(_ day: Day) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = .gmt
        f.dateFormat = "EEE d MMM yyyy"
        return f.string(from: day.startDate)
    }
}

extension String {
    /// "Reverse mentor" → "reverse mentor", for a label inside a sentence.
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}

// MARK: Loading

extension PairingSpaceService {
    /// Where the person stands in every programme they applied to, with their applications loaded here.
    func participantStatus(of person: Person) async throws -> [ParticipantStatus] {
        let applications = try await ApplicationService(database: database, clock: clock).applications(of: person)
        return try await participantStatus(of: person.requireID(), applications: applications)
    }

    /// The same for applications already loaded (programmes with them). Nine queries at most, however many
    /// programmes, pairings or meetings there are: memberships and their pairings, the pairings' members with
    /// their people and applications, agreements with signatures, goals, meetings.
    func participantStatus(of personID: UUID, applications: [ProgrammeApplication]) async throws -> [ParticipantStatus] {
        let windows = ApplicationService(database: database, clock: clock)
        var rows = ParticipantStatus.Rows(applications: applications, memberships: [])
        rows.openForApplications = Set(applications.filter { windows.windowRefusal($0.programme) == nil }.compactMap { $0.programme.id })
        guard !applications.isEmpty else { return [] }
        rows.memberships = try await PairingMember.query(on: database).filter(\.$person.$id == personID).with(\.$pairing).all()
        let shown = rows.memberships.filter(ParticipantStatus.counts)
        let pairingIDs = shown.map { $0.$pairing.id }
        if !pairingIDs.isEmpty {
            rows.members = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).with(\.$person).with(\.$application).all()
        }
        let active = shown.filter { $0.pairing.status == .active }.map { $0.$pairing.id }
        if !active.isEmpty {
            rows.agreements = try await Agreement.query(on: database).filter(\.$pairing.$id ~~ active).with(\.$signatures).all()
            rows.goals = try await Goal.query(on: database).filter(\.$pairing.$id ~~ active).all()
            rows.meetings = try await Meeting.query(on: database).filter(\.$pairing.$id ~~ active).sort(\.$startsAt).all()
        }
        return ParticipantStatus.lines(rows, now: now, today: today)
    }
}
