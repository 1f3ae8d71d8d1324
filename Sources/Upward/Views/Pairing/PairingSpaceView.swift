import Foundation

/// The pairing's space as one member sees it (`pairing.leaf`): partners, the one next step, preparation, the
/// agreement's state, goals, meetings and notes. Nothing private about a partner is in it: no diversity, no wishes
/// about whom to meet, no decline reason, no motivation or SWOT.
struct PairingSpaceView: Encodable {
    /// One partner as the viewer may see them.
    struct PartnerCard: Encodable {
        var name: String
        var role: String
        var title: String?
        var department: String
        var timeZone: String
        /// Their local time now: "14:05 on Tuesday".
        var localTime: String
        var channels: [String]
        var availability: [String]
        var sharedInterests: [String]
        /// What they offer that the viewer wants to learn, and the other way round (by skill name).
        var offersYou: [String]
        var youOffer: [String]
        var email: String
        var mailto: String
    }

    struct NextStep: Encodable {
        var text: String
        var link: String?
        var linkLabel: String?
    }

    struct GroundRule: Encodable {
        var label: String
        var text: String
    }

    struct Preparation: Encodable {
        var openQuestions: [String]
        var groundRules: [GroundRule]
        var brief: String?
        var acknowledged: Bool
        var acknowledgedOn: String?
        /// The partners who have read it too.
        var partnersPrepared: [String]
        var action: String
    }

    struct AgreementStatus: Encodable {
        var version: Int
        var signed: Bool
        var signedOn: String?
        /// "You signed version 2 on 3 Mar 2026", "Sam Lee has not signed version 2 yet".
        var lines: [String]
        var mineMissing: Bool
        var link: String
    }

    struct GoalLine: Encodable {
        var title: String
        var link: String
        var learner: String
        var progress: Int
        var status: String
        /// For the badge's CSS class only.
        var statusKey: String
        var targetDate: String?
    }

    struct MeetingLine: Encodable {
        var link: String
        var when: ZonedTime
        var label: String
        var status: String
        /// For the badge's CSS class only.
        var statusKey: String
        var with: String?
        var fitNote: String?
        var cancelNote: String?
        var needsLogging: Bool
    }

    struct Stats: Encodable {
        var due: Int
        var held: Int
        var heldShare: String?
        var missed: Int
        var cancellations: [String]
        var upcoming: Int
    }

    var heading: String
    var programmeName: String
    var programmeLink: String
    var statusLabel: String
    /// For the badge's CSS class only.
    var statusKey: String
    var writable: Bool
    var isBoard: Bool
    /// "Your partner", "Your board", "Your board holder".
    var partnersHeading: String
    var partners: [PartnerCard]
    var myAvailability: [String]
    var myZone: String
    var next: NextStep
    var preparation: Preparation
    var agreement: AgreementStatus?
    var goals: [GoalLine]
    var missingDirections: [String]
    var newGoalLink: String
    var upcoming: [MeetingLine]
    var past: [MeetingLine]
    var stats: Stats
    var logMeetingLink: String
    var planMeetingLink: String
    var notes: PairingNotesView
    var onTrack: PairingOnTrackView
}

extension PairingSpaceView {
    /// The space as `space.me` sees it, from what the service read; `typedNote` is a note that could not be saved.
    init(
        _ space: PairingSpaceService.Space, agreement: PairingSpaceService.AgreementState?, goals: [Goal], meetings: [Meeting],
        notes: [Note], typedNote: (text: String, shared: Bool, error: String?)?, onTrack: PairingOnTrackView, now: Date
    ) throws {
        self.onTrack = onTrack
        let pairingID = space.pairingID
        let zone = space.myZone
        let partners = space.partners.sorted { $0.person.name < $1.person.name }
        let rules = space.programme.groundRules
        heading = partners.isEmpty ? "Your pairing" : "You and \(PairingNotesView.list(partners.map(\.person.name)))"
        programmeName = space.programme.name
        programmeLink = WebRoute.programme.link(try space.programme.requireID())
        statusLabel = space.pairing.status.label
        statusKey = space.pairing.status.rawValue
        writable = space.isWritable
        isBoard = space.isBoard
        partnersHeading = !space.isBoard ? "Your partner" : space.me.side == .mentee ? "Your board" : "Your board holder"
        self.partners = partners.map { PartnerCard($0, me: space.me, in: space, now: now) }
        myAvailability = space.me.application.availability
        myZone = zone.identifier
        let step = PairingSpaceService.nextStep(space, agreement: agreement, goals: goals, meetings: meetings, now: now)
        next = NextStep(step, in: space)
        preparation = Preparation(
            openQuestions: Upward.Preparation.openQuestions,
            groundRules: [
                GroundRule(label: "Confidentiality", text: rules.confidentiality),
                GroundRule(label: "Psychological safety", text: rules.psychologicalSafety),
                GroundRule(label: "Channel", text: rules.channel),
                GroundRule(label: "Cadence", text: rules.cadence),
            ],
            brief: Upward.Preparation.brief(for: space.programme), acknowledged: space.me.preparedAt != nil,
            acknowledgedOn: space.me.preparedAt.map { ZonedTime.day($0, in: zone) },
            partnersPrepared: partners.filter { $0.preparedAt != nil }.map(\.person.name), action: WebRoute.preparation.link(pairingID))
        self.agreement = agreement.map { AgreementStatus($0, in: space) }
        self.goals = goals.map { goal in
            GoalLine(
                title: goal.title, link: WebRoute.goal.link(pairingID, goal.id ?? UUID()),
                learner: PairingSpaceService.learnerLabel(goal.learner, in: space), progress: goal.progress, status: goal.status.label,
                statusKey: goal.status.rawValue, targetDate: goal.targetDate)
        }
        missingDirections = PairingSpaceService.missingDirections(goals, format: space.programme.format).map {
            let who = PairingSpaceService.learnerLabel($0, in: space).replacingOccurrences(of: " learns", with: "")
            return "No goal yet where \(who) learns: a two-way pairing sets goals each way."
        }
        newGoalLink = WebRoute.newGoal.link(pairingID)
        let comingUp = { (m: Meeting) in m.status == .planned && m.endsAt > now }
        upcoming = meetings.filter(comingUp).map { MeetingLine($0, in: space, now: now) }
        past = meetings.filter { !comingUp($0) }.reversed().map { MeetingLine($0, in: space, now: now) }
        let counts = MeetingStats(meetings, now: now)
        var cancellations: [String] = []
        if counts.cancelledByMentee > 0 { cancellations.append("\(counts.cancelledByMentee) by \(space.names(on: .mentee))") }
        if counts.cancelledByMentor > 0 { cancellations.append("\(counts.cancelledByMentor) by \(space.names(on: .mentor))") }
        stats = Stats(
            due: counts.due, held: counts.held, heldShare: counts.heldShare.map { "\($0)%" }, missed: counts.missed,
            cancellations: cancellations, upcoming: counts.upcoming)
        logMeetingLink = WebLink.path(WebRoute.newMeeting.link(pairingID), query: [URLQueryItem(name: "kind", value: "log")])
        planMeetingLink = WebLink.path(WebRoute.newMeeting.link(pairingID), query: [URLQueryItem(name: "kind", value: "plan")])
        // A shared note on the pairing itself is read by everyone else in it (on a board, the other advisors too).
        let readers = space.members.filter { $0.$person.id != space.myPersonID }.map(\.person.name).sorted()
        self.notes = PairingNotesView(notes, in: space, meeting: nil, readers: readers, typed: typedNote)
    }
}

extension PairingSpaceView.NextStep {
    /// The service's next step with the link that does it.
    init(_ step: PairingSpaceService.NextStep, in space: PairingSpaceService.Space) {
        let id = space.pairingID
        let meeting = step.meetingID.map { WebRoute.meeting.link(id, $0) }
        text = step.text
        switch step.kind {
        case .prepare: (link, linkLabel) = ("#preparation", "Read the preparation")
        case .sign: (link, linkLabel) = (WebRoute.agreement.link(id), "Read and sign the agreement")
        case .log: (link, linkLabel) = (meeting, "Log it")
        case .setGoal: (link, linkLabel) = (WebRoute.newGoal.link(id), "Set a goal")
        case .meet: (link, linkLabel) = (meeting, "Open the meeting")
        case .none: (link, linkLabel) = space.isWritable ? (WebRoute.newMeeting.link(id), "Plan or log a meeting") : (nil, nil)
        }
    }
}

extension PairingSpaceView.AgreementStatus {
    /// Who signed the current version and when, member by member.
    init(_ state: PairingSpaceService.AgreementState, in space: PairingSpaceService.Space) {
        let zone = space.myZone
        version = state.current.version
        signed = state.isSigned
        signedOn = state.signedAt.map { ZonedTime.day($0, in: zone) }
        lines = space.members.map { [version] member in
            let id = member.$person.id
            guard let signature = state.signature(of: id) else {
                return id == space.myPersonID
                    ? "You have not signed version \(version) yet" : "\(space.name(of: id)) has not signed version \(version) yet"
            }
            return "\(space.name(of: id)) signed version \(version) on \(ZonedTime.day(signature.signedAt, in: zone))"
        }
        mineMissing = state.signature(of: space.myPersonID) == nil
        link = WebRoute.agreement.link(space.pairingID)
    }
}

extension PairingSpaceView.PartnerCard {
    init(_ partner: PairingMember, me: PairingMember, in space: PairingSpaceService.Space, now: Date) {
        let theirs = partner.application
        let zone = PairingSpaceService.timeZone(of: partner)
        let fit = PartnerFit(partner: partner, me: me)
        name = partner.person.name
        role = space.role(of: partner)
        title = partner.person.title
        department = partner.person.department
        timeZone = zone.identifier
        localTime = ZonedTime.format(now, "HH:mm 'on' EEEE", zone)
        channels = theirs.communication.map(\.label)
        availability = theirs.availability
        (sharedInterests, offersYou, youOffer) = (fit.sharedInterests, fit.offersYou, fit.youOffer)
        email = partner.person.email
        var link = URLComponents()
        link.scheme = "mailto"
        link.path = partner.person.email
        mailto = link.string ?? "mailto:"
    }
}

extension PairingSpaceView.MeetingLine {
    init(_ meeting: Meeting, in space: PairingSpaceService.Space, now: Date) {
        link = WebRoute.meeting.link(space.pairingID, meeting.id ?? UUID())
        when = ZonedTime(meeting.startsAt, in: space.myZone)
        label = PairingMeetingView.label(meeting, programme: space.programme)
        status = meeting.status.label
        statusKey = meeting.status.rawValue
        with = space.isBoard && space.me.side == .mentee ? meeting.advisorID.map { "With \(space.name(of: $0))" } : nil
        fitNote = meeting.status == .planned ? meeting.fitNote : nil
        cancelNote =
            meeting.status == .cancelled
            ? "Cancelled by \(meeting.cancelledBySide.map { space.names(on: $0) } ?? "someone")\(meeting.cancelReason.map { ": \($0)" } ?? "")"
            : nil
        needsLogging = meeting.status == .planned && meeting.endsAt <= now
    }
}
