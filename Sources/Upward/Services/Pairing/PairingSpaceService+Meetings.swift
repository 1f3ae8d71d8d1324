import Fluent
import Foundation
import Scheduling
import Vapor

// MARK: Meetings on a cadence

extension PairingSpaceService {
    /// Longest meeting a pair can plan or log, and how far ahead or back.
    enum MeetingLimits {
        static let minutes = 15...480
        static let yearsAway = 2
        /// Meetings one pairing keeps, planned and logged together (the plan has at most 52 sessions per advisor).
        static let perPairing = 500
    }

    /// Plans the programme's sessions for a pairing that has just become active (for a board, one series with each
    /// advisor), each at a time inside everyone's availability and working day when there is one, with the
    /// programme's conversation starters in turn.
    func planMeetings(_ pairing: Pairing, programme: Programme, members: [PairingMember], on db: any Database) async throws {
        let (first, last) = period(of: programme)
        let cadence = Cadence(sessions: programme.sessionCount, everyWeeks: programme.cadenceWeeks, minutes: programme.sessionMinutes,
                              firstDay: first.startDate, lastDay: last.startDate)
        func attendee(_ m: PairingMember) -> Attendee {
            Attendee(name: m.person.name, timeZone: Self.timeZone(of: m), availability: Set(m.application.availability.compactMap(WeeklySlot.init)))
        }
        let mentees = members.filter { $0.side == .mentee }, mentors = members.filter { $0.side == .mentor }
        // The learner's diary first: the planner keeps every meeting inside the first attendee's working day.
        let series: [(advisor: UUID?, attendees: [PairingMember])] = programme.format == .advisoryBoard
            ? mentors.map { ($0.$person.id, mentees + [$0]) }
            : [(nil, mentees + mentors)]
        let starters = programme.conversationStarters
        // On a board the holder meets every advisor: each series avoids the times the earlier ones took.
        var taken: [DateInterval] = []
        for (advisor, people) in series {
            for planned in MeetingPlanner.plan(cadence, attendees: people.map(attendee), busy: taken) {
                taken.append(DateInterval(start: planned.start, end: planned.end))
                let meeting = Meeting()
                meeting.$pairing.id = try pairing.requireID()
                meeting.advisorID = advisor
                meeting.session = planned.session
                meeting.startsAt = planned.start
                meeting.endsAt = planned.end
                meeting.status = .planned
                meeting.sequence = 0
                meeting.agenda = Self.agenda(session: planned.session, of: programme.sessionCount)
                meeting.starter = starters.isEmpty ? nil : starters[(planned.session - 1) % starters.count]
                meeting.fitNote = planned.note
                meeting.logged = false
                try await meeting.create(on: db)
                try await event(meeting, .planned, by: nil, on: db)
            }
        }
    }

    /// An extra meeting the pair plans outside the cadence, when they give no agenda of their own.
    static let extraAgenda = "An extra meeting: what we want from it, then our goals — what is moving, what is stuck, what to try next."

    static func agenda(session: Int, of count: Int) -> String {
        switch session {
        case 1: "Get to know each other. Read the agreement together and sign it. Choose a first goal each."
        case count: "Look back: what each of us learned, what we will keep doing, and whether we carry on."
        case (count + 1) / 2 where count > 2: "Midpoint review: are the goals still the right ones? Revise or drop what no longer fits."
        default: "Progress on our goals since last time. Today's conversation starter. One thing to try before we meet again."
        }
    }

    /// The meetings this member sees, in time order.
    func meetings(_ space: Space) async throws -> [Meeting] {
        try await Meeting.query(on: database).filter(\.$pairing.$id == space.pairingID).sort(\.$startsAt).all().filter(space.sees)
    }

    func meeting(_ space: Space, _ meetingID: UUID?) async throws -> Meeting {
        guard let meetingID, let meeting = try await Meeting.query(on: database).filter(\.$id == meetingID)
            .filter(\.$pairing.$id == space.pairingID).first(), space.sees(meeting) else {
            throw Problem(.notFound, "This pairing has no meeting with that id.")
        }
        return meeting
    }

    /// A meeting's history, oldest first.
    func history(of meeting: Meeting) async throws -> [MeetingEvent] {
        try await MeetingEvent.query(on: database).filter(\.$meeting.$id == meeting.requireID()).sort(\.$at).all()
    }

    enum MeetingAction: String, Codable, CaseIterable, Sendable {
        case reschedule, held, cancel, missed
    }

    /// A change to one meeting. `start` (and optionally `minutes`) for `reschedule`; `reason` for `cancel` and
    /// `reschedule`. A new time or a cancellation raises the iCalendar sequence, so subscribed calendars update.
    @discardableResult
    func act(_ space: Space, on meetingID: UUID?, _ action: MeetingAction, start: Date? = nil, minutes: Int? = nil,
             reason: String? = nil) async throws -> Meeting {
        try space.requireWritable()
        try TextLimit.check([("reason", reason, TextLimit.paragraph)])
        let id = try await meeting(space, meetingID).requireID()
        let me = space.me, now = now
        if action == .reschedule {
            guard let start else { throw InvalidInput(issues: [FieldIssue(field: "start", message: "Give the new date and time of the meeting.")]) }
            try checkTime(start, minutes: minutes ?? 60, field: "start")
        }
        return try await database.writeTransaction { db in
            try await db.lockForWriting(Meeting.schema, id: id)
            guard let m = try await Meeting.find(id, on: db) else { throw Problem(.notFound, "This pairing has no meeting with that id.") }
            let when = MatchingService.utcMinute(m.startsAt)
            switch action {
            case .reschedule:
                guard m.status == .planned else { throw Problem(.conflict, "Only a planned meeting can move; this one is \(m.status.rawValue).") }
                guard let start else { return m }
                let length = minutes.map { Double($0 * 60) } ?? m.endsAt.timeIntervalSince(m.startsAt)
                if start == m.startsAt && m.endsAt == start.addingTimeInterval(length) { return m }
                try await event(m, .rescheduled, from: m.startsAt, to: start, by: me.$person.id, reason: reason, on: db)
                m.startsAt = start
                m.endsAt = start.addingTimeInterval(length)
                m.sequence += 1
                m.fitNote = nil
            case .held:
                guard m.status == .planned || m.status == .missed else {
                    throw Problem(.conflict, "This meeting is \(m.status.rawValue); only a planned or missed meeting can be marked as held.")
                }
                guard m.startsAt <= now else {
                    throw Problem(.conflict, "This meeting is planned for \(when) UTC; mark it held once it has taken place.")
                }
                m.status = .held
                try await event(m, .held, by: me.$person.id, on: db)
            case .cancel:
                guard m.status == .planned else { throw Problem(.conflict, "Only a planned meeting can be cancelled; this one is \(m.status.rawValue).") }
                m.status = .cancelled
                m.cancelledBySide = me.side
                m.cancelReason = reason?.trimmed.nilIfEmpty
                m.sequence += 1
                try await event(m, .cancelled, by: me.$person.id, reason: m.cancelReason, on: db)
            case .missed:
                guard m.status == .planned else { throw Problem(.conflict, "Only a planned meeting can be marked as missed; this one is \(m.status.rawValue).") }
                guard m.startsAt <= now else {
                    throw Problem(.conflict, "This meeting is planned for \(when) UTC; it cannot have been missed yet.")
                }
                m.status = .missed
                try await event(m, .missed, by: me.$person.id, on: db)
            }
            try await m.save(on: db)
            switch action {
            case .reschedule: try await tellAttendees(m, .moved, in: space, by: me.$person.id, on: db)
            case .cancel: try await tellAttendees(m, .cancelled, in: space, by: me.$person.id, on: db)
            case .held, .missed: break
            }
            return m
        }
    }

    /// Changes a meeting's agenda and place. A new place raises the iCalendar sequence; the agenda does not.
    @discardableResult
    func describe(_ space: Space, meeting meetingID: UUID?, agenda: String?, location: String?) async throws -> Meeting {
        try space.requireWritable()
        try TextLimit.check([("agenda", agenda, TextLimit.paragraph), ("location", location, TextLimit.line)])
        let id = try await meeting(space, meetingID).requireID()
        return try await database.writeTransaction { db in
            try await db.lockForWriting(Meeting.schema, id: id)
            guard let m = try await Meeting.find(id, on: db) else { throw Problem(.notFound, "This pairing has no meeting with that id.") }
            if let agenda { m.agenda = agenda.trimmed }
            if let location {
                let place = location.trimmed.nilIfEmpty
                if place != m.location {
                    m.location = place
                    m.sequence += 1
                    try await event(m, .moved, by: space.myPersonID, reason: place.map { "Place: \($0)" } ?? "Place removed", on: db)
                    if m.status == .planned { try await tellAttendees(m, .placeChanged, in: space, by: space.myPersonID, on: db) }
                }
            }
            try await m.save(on: db)
            return m
        }
    }

    /// "Log a meeting we had" (`held`), or plan an extra one outside the cadence. On a board, `advisor` names the
    /// advisor it was with (the holder must name one; an advisor's meeting is always with the holder and them).
    @discardableResult
    func addMeeting(_ space: Space, start: Date, minutes: Int, agenda: String?, held: Bool, advisor: UUID? = nil,
                    purpose: MeetingPurpose? = nil) async throws -> Meeting {
        try space.requireWritable()
        try TextLimit.check([("agenda", agenda, TextLimit.paragraph)])
        try checkTime(start, minutes: minutes, field: "start")
        if held && start > now {
            throw InvalidInput(issues: [FieldIssue(field: "start", message: "A meeting you had is in the past; for one still to come, plan it instead.")])
        }
        let count = try await Meeting.query(on: database).filter(\.$pairing.$id == space.pairingID).count()
        guard count < MeetingLimits.perPairing else {
            throw Problem(.conflict, "This pairing already has \(count) meetings, the most one pairing keeps; change or cancel one instead.")
        }
        var advisorID: UUID?
        // A board's re-think is the whole board's; any other board meeting is the holder's with one advisor.
        if space.isBoard && purpose != .rethink {
            if space.me.side == .mentor { advisorID = space.myPersonID } else {
                guard let advisor, space.members.contains(where: { $0.$person.id == advisor && $0.side == .mentor }) else {
                    throw InvalidInput(issues: [FieldIssue(field: "advisor", message: "Name the advisor on your board this meeting is with.")])
                }
                advisorID = advisor
            }
        }
        let meeting = Meeting()
        meeting.$pairing.id = space.pairingID
        meeting.advisorID = advisorID
        meeting.startsAt = start
        meeting.endsAt = start.addingTimeInterval(Double(minutes * 60))
        meeting.status = held ? .held : .planned
        meeting.sequence = 0
        meeting.agenda = agenda?.trimmed.nilIfEmpty ?? (held ? "" : Self.extraAgenda)
        meeting.logged = held
        meeting.purpose = purpose
        let by = space.myPersonID
        try await database.writeTransaction { db in
            try await meeting.create(on: db)
            try await event(meeting, held ? .logged : .planned, by: by, on: db)
            if !held { try await tellAttendees(meeting, .planned, in: space, by: by, on: db) }
        }
        return meeting
    }

    /// A time a pair may give a meeting: a whole minute within two years of today, for a sensible length.
    func checkTime(_ start: Date, minutes: Int, field: String) throws {
        var issues: [FieldIssue] = []
        if start.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) != 0 {
            issues.append(FieldIssue(field: field, message: "Give the time to the minute, without seconds (such as 10:30)."))
        }
        let span = Double(MeetingLimits.yearsAway * 366 * 86_400)
        if abs(start.timeIntervalSince(now)) > span {
            issues.append(FieldIssue(field: field, message: "Pick a time within \(MeetingLimits.yearsAway) years of today."))
        }
        if !MeetingLimits.minutes.contains(minutes) {
            issues.append(FieldIssue(field: "minutes", message: "A meeting lasts from \(MeetingLimits.minutes.lowerBound) to \(MeetingLimits.minutes.upperBound) minutes; it was \(minutes)."))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }

    private func event(_ meeting: Meeting, _ kind: MeetingEventKind, from: Date? = nil, to: Date? = nil, by: UUID?, reason: String? = nil,
                       on db: any Database) async throws {
        let e = MeetingEvent()
        e.$meeting.id = try meeting.requireID()
        e.kind = kind
        e.fromStart = from
        e.toStart = to
        e.byPerson = by
        e.reason = reason
        e.at = clock.now()
        try await e.create(on: db)
    }
}

/// Held against planned, and cancellations by side: for one pair, or summed over a programme. One moment makes a
/// meeting due everywhere (here, the next step, the health signals): its end.
struct MeetingStats: Codable, Equatable, Sendable {
    /// Meetings of the plan (planned, not logged after the fact) whose end has passed, whatever became of them.
    var due = 0
    /// Meetings held, logged ones included (a logged meeting often replaces a cancelled one).
    var held = 0
    var missed = 0
    /// Cancellations by side, counted once the cancelled meeting's time has passed.
    var cancelledByMentor = 0
    var cancelledByMentee = 0
    /// Planned meetings whose end has passed and nobody logged.
    var unlogged = 0
    /// Planned meetings still to come (or under way).
    var upcoming = 0
    /// Every meeting planned or logged, whatever became of it.
    var total = 0

    /// Held ÷ due, as a whole percentage (at most 100: extra meetings do not make up for more than the plan); nil
    /// before any meeting was due.
    var heldShare: Int? { due == 0 ? nil : min(100, Int((Double(held) / Double(due) * 100).rounded())) }

    init() {}

    init(_ meetings: [Meeting], now: Date) {
        for m in meetings { add(m.status, side: m.cancelledBySide, end: m.endsAt, logged: m.logged, now: now) }
    }

    mutating func add(_ status: MeetingStatus, side: MemberSide?, end: Date, logged: Bool, now: Date) {
        total += 1
        // Called off because the pairing ended (no side cancelled it): never due, nobody's cancellation.
        if status == .cancelled && side == nil { return }
        let past = end <= now
        if past && !logged { due += 1 }
        switch status {
        case .held: held += 1
        case .missed: missed += 1
        case .cancelled:
            if past { if side == .mentor { cancelledByMentor += 1 } else { cancelledByMentee += 1 } }
        case .planned:
            if past { unlogged += 1 } else { upcoming += 1 }
        }
    }

    static func + (a: MeetingStats, b: MeetingStats) -> MeetingStats {
        var s = a
        s.due += b.due; s.held += b.held; s.missed += b.missed; s.cancelledByMentor += b.cancelledByMentor
        s.cancelledByMentee += b.cancelledByMentee; s.unlogged += b.unlogged; s.upcoming += b.upcoming; s.total += b.total
        return s
    }
}
