import Foundation

/// One meeting (`pairing-meeting.leaf`): when (the viewer's zone and UTC), its status, agenda, place and conversation
/// starter, what can be done with it, its history, the notes on it and its calendar file.
struct PairingMeetingView: Encodable {
    struct GoalLink: Encodable {
        var title: String
        var link: String
    }

    struct Event: Encodable {
        var text: String
        var when: String
        var reason: String?
    }

    var crumbs: PairingCrumbs
    var heading: String
    var when: ZonedTime
    var ends: String
    var minutes: Int
    var status: String
    /// For the badge's CSS class only.
    var statusKey: String
    var with: String
    var fitNote: String?
    var cancelNote: String?
    var starter: String?
    var agendaText: String
    /// On a re-think session: the pair's open goals, each linking to its page to revise or drop it.
    var goalsToRevisit: [GoalLink] = []
    var locationText: String?
    var writable: Bool
    var describeAction: String
    var agenda: FieldState
    var location: FieldState
    /// A form that came back with problems stays open.
    var describeOpen: Bool
    var rescheduleOpen: Bool
    var actionsLink: String
    var canReschedule: Bool
    var canHold: Bool
    var canMiss: Bool
    var canCancel: Bool
    var hasActions: Bool
    var newDate: FieldState
    var newTime: FieldState
    var newMinutes: FieldState
    var reason: FieldState
    var errorList: [String]
    var history: [Event]
    var notes: PairingNotesView
    var calendarLink: String

    /// "Session 2 of 6", "Logged after it took place", "An extra meeting".
    static func label(_ meeting: Meeting, programme: Programme) -> String {
        if let session = meeting.session { return "Session \(session) of \(programme.sessionCount)" }
        if meeting.purpose == .rethink { return "A re-think session" }
        return meeting.logged ? "Logged after it took place" : "An extra meeting"
    }

    /// The people this meeting is with, seen by the viewer.
    static func others(_ meeting: Meeting, in space: PairingSpaceService.Space) -> [String] {
        let people =
            meeting.advisorID.map { advisor in space.members.filter { $0.$person.id == advisor || $0.side == .mentee } } ?? space.members
        return people.filter { $0.$person.id != space.myPersonID }.map(\.person.name).sorted()
    }

    /// One line of a meeting's history, in the viewer's words and zone.
    static func event(_ e: MeetingEvent, in space: PairingSpaceService.Space) -> Event {
        let zone = space.myZone
        let who = e.byPerson == nil ? "Upward" : space.name(of: e.byPerson)
        func time(_ date: Date?) -> String { date.map { ZonedTime($0, in: zone).local } ?? "?" }
        let text: String
        switch e.kind {
        case .planned: text = e.byPerson == nil ? "Planned from the programme's cadence" : "Planned by \(who)"
        case .rescheduled: text = "\(who) moved it from \(time(e.fromStart)) to \(time(e.toStart)) (\(zone.identifier))"
        case .held: text = "\(who) marked it held"
        case .cancelled: text = "\(who) cancelled it"
        case .missed: text = "\(who) marked it missed"
        case .logged: text = "\(who) logged it after it took place"
        case .moved: text = "\(who) changed the place"
        }
        return Event(text: text, when: ZonedTime.moment(e.at, in: zone), reason: e.reason)
    }
}

/// "Log a meeting we had" or "Plan an extra meeting" (`pairing-new-meeting.leaf`).
struct PairingNewMeetingView: Encodable {
    struct Choice: Encodable {
        var value: String
        var label: String
        var hint: String
        var checked: Bool
    }

    var crumbs: PairingCrumbs
    var action: String
    var kinds: [Choice]
    var date: FieldState
    var time: FieldState
    var minutes: FieldState
    var agenda: FieldState
    var zone: String
    /// A board holder names the advisor; empty for everyone else.
    var advisors: [SelectOption]
    var advisorError: String?
    var errorList: [String]

    static let kinds = [
        ("log", "Log a meeting we had", "It took place outside the plan; it counts as held."),
        ("plan", "Plan an extra meeting", "It goes into everyone's calendar with the planned ones."),
    ]

    init(_ space: PairingSpaceService.Space, form: [String: String], issues: [FieldIssue]) {
        let found = FormIssues(issues)
        crumbs = PairingCrumbs(space)
        action = WebRoute.newMeeting.link(space.pairingID)
        let kind = form["kind"] ?? "log"
        kinds = Self.kinds.map { Choice(value: $0.0, label: $0.1, hint: $0.2, checked: kind == $0.0) }
        date = found.field("date", form["date"] ?? "")
        // The service names the moment `start`; here it is the date and time fields.
        if date.error == nil, let start = found.byField["start"] { date.error = start }
        time = found.field("time", form["time"] ?? "")
        minutes = found.field("minutes", form["minutes"] ?? String(space.programme.sessionMinutes))
        agenda = found.field("agenda", form["agenda"] ?? "")
        zone = space.myZone.identifier
        advisors =
            space.isBoard && space.me.side == .mentee
            ? space.members.filter { $0.side == .mentor }.sorted { $0.person.name < $1.person.name }.map {
                SelectOption(value: $0.$person.id.uuidString, label: $0.person.name, selected: form["advisor"] == $0.$person.id.uuidString)
            }
            : []
        advisorError = found.byField["advisor"]
        errorList = found.list
    }
}
