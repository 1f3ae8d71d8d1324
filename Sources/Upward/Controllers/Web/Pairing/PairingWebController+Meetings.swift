import Foundation
import Vapor

/// Meetings: one meeting's page, its agenda and place, what became of it (moved, held, cancelled, missed), a meeting
/// logged or planned outside the cadence, and a meeting's calendar file. Times are typed and shown in the member's
/// own time zone, with UTC beside them.
extension PairingWebController {
    // MARK: Reading times

    /// The moment a date field (`yyyy-MM-dd`) and a time field (`HH:mm`) name in `zone`, or the problems with them.
    /// A time the clocks skip that night (a daylight-saving change) is refused, never moved silently.
    static func moment(date: String, time: String, in zone: TimeZone) -> (Date?, [FieldIssue]) {
        var issues: [FieldIssue] = []
        let (dateText, timeText) = (date.trimmed, time.trimmed)
        let day = Day(dateText)
        if dateText.isEmpty {
            issues.append(FieldIssue(field: "date", message: "Give the date of the meeting."))
        } else if day == nil {
            issues.append(
                FieldIssue(field: "date", message: "“\(dateText.prefix(40))” is not a date: write it yyyy-mm-dd, such as 2027-03-01."))
        }
        let parts = timeText.split(separator: ":", omittingEmptySubsequences: false)
        var clock: (hour: Int, minute: Int)?
        if parts.count == 2 || parts.count == 3, parts[0].count <= 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute),
            parts.count == 2 || Int(parts[2]) == 0
        {
            clock = (hour, minute)
        } else {
            issues.append(
                FieldIssue(
                    field: "time",
                    message: timeText.isEmpty
                        ? "Give the time the meeting starts."
                        : "“\(timeText.prefix(20))” is not a time: write it hh:mm, such as 14:30."))
        }
        guard let day, let clock else { return (nil, issues) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = DateComponents(year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute)
        guard let start = calendar.date(from: wanted),
            calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start) == wanted
        else {
            let message =
                "\(timeText) on \(dateText) does not exist in \(zone.identifier): the clocks change that night. "
                + "Pick another time."
            return (nil, [FieldIssue(field: "time", message: message)])
        }
        return (start, [])
    }

    /// A meeting's length in minutes, or its problem; nil text keeps `fallback`.
    static func minutes(_ text: String?, fallback: Int) -> (Int, [FieldIssue]) {
        let text = (text ?? "").trimmed
        if text.isEmpty { return (fallback, []) }
        guard let minutes = Int(text) else {
            return (
                fallback, [FieldIssue(field: "minutes", message: "The length is a whole number of minutes; “\(text.prefix(20))” is not.")]
            )
        }
        return (minutes, [])
    }

    // MARK: One meeting

    func meetingID(_ req: Request) -> UUID? { req.parameters.get("meetingID", as: UUID.self) }

    func meeting(req: Request) async throws -> Response {
        let space = try await space(req)
        let meeting = try await req.pairingSpace.meeting(space, meetingID(req))
        return try await meetingPage(req, space, meeting)
    }

    /// The meeting's page; `form` and `issues` bring back what was typed into one of its forms, with its problems.
    func meetingPage(
        _ req: Request, _ space: PairingSpaceService.Space, _ meeting: Meeting, form: [String: String] = [:],
        issues: [FieldIssue] = [], note: (text: String, shared: Bool, error: String?)? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let service = req.pairingSpace
        let now = req.clock.now()
        let zone = space.myZone
        let id = try meeting.requireID()
        let found = FormIssues(issues)
        let history = try await service.history(of: meeting)
        let notes = try await service.notes(space, meeting: meeting)
        let (date, time) = ZonedTime.fields(meeting.startsAt, in: zone)
        let length = Int(meeting.endsAt.timeIntervalSince(meeting.startsAt) / 60)
        let planned = meeting.status == .planned && space.isWritable
        let started = meeting.startsAt <= now
        let others = PairingMeetingView.others(meeting, in: space)
        let line = PairingSpaceView.MeetingLine(meeting, in: space, now: now)
        var newDate = found.field("date", form["date"] ?? date)
        if newDate.error == nil { newDate.error = found.byField["start"] }
        var view = PairingMeetingView(
            crumbs: PairingCrumbs(space), heading: PairingMeetingView.label(meeting, programme: space.programme),
            when: ZonedTime(meeting.startsAt, in: zone), ends: ZonedTime.format(meeting.endsAt, "HH:mm", zone), minutes: length,
            status: meeting.status.label, statusKey: meeting.status.rawValue, with: PairingNotesView.list(others),
            fitNote: line.fitNote, cancelNote: line.cancelNote, starter: meeting.starter,
            agendaText: meeting.agenda, locationText: meeting.location, writable: space.isWritable,
            describeAction: WebRoute.meeting.link(space.pairingID, id),
            agenda: found.field("agenda", form["agenda"] ?? meeting.agenda),
            location: found.field("location", form["location"] ?? meeting.location ?? ""),
            describeOpen: found.byField["agenda"] != nil || found.byField["location"] != nil,
            rescheduleOpen: ["date", "time", "minutes", "start", "reason"].contains { found.byField[$0] != nil },
            actionsLink: WebRoute.meetingAction.link(space.pairingID, id),
            canReschedule: planned, canHold: space.isWritable && started && (meeting.status == .planned || meeting.status == .missed),
            canMiss: planned && started, canCancel: planned,
            hasActions: planned || (space.isWritable && started && meeting.status == .missed),
            newDate: newDate, newTime: found.field("time", form["time"] ?? time),
            newMinutes: found.field("minutes", form["minutes"] ?? String(length)), reason: found.field("reason", form["reason"] ?? ""),
            errorList: found.list, history: history.map { PairingMeetingView.event($0, in: space) },
            notes: PairingNotesView(notes, in: space, meeting: id, readers: others, typed: note),
            calendarLink: WebRoute.meetingCalendar.link(space.pairingID, id))
        if meeting.purpose == .rethink {
            view.goalsToRevisit = try await service.goals(space).filter { $0.status == .open }.map {
                PairingMeetingView.GoalLink(title: $0.title, link: WebRoute.goal.link(space.pairingID, $0.id ?? UUID()))
            }
        }
        return try await req.page("pairing-meeting", title: "\(view.heading) — \(space.programme.name)", view, status: status)
    }

    /// Saves the agenda and the place.
    func describeMeeting(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let meeting = try await service.meeting(space, meetingID(req))
        let form = try form(req)
        let back = try WebRoute.meeting.link(space.pairingID, meeting.requireID())
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                try await service.describe(space, meeting: meeting.id, agenda: form["agenda"], location: form["location"])
                return req.redirect(to: back, flash: "Agenda and place saved.")
            } catch let invalid as InvalidInput {
                return try await meetingPage(req, space, meeting, form: form, issues: invalid.issues, status: .unprocessableEntity)
            }
        }
    }

    func meetingAction(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let meeting = try await service.meeting(space, meetingID(req))
        let form = try form(req)
        let back = try WebRoute.meeting.link(space.pairingID, meeting.requireID())
        guard let action = PairingSpaceService.MeetingAction(rawValue: form["action"] ?? "") else {
            return req.redirect(to: back, flash: "Choose what to do with the meeting: move it, or say it was held, missed or cancelled.")
        }
        let reason = form["reason"]?.trimmed.nilIfEmpty
        if action == .cancel && !req.isConfirmed {
            let side = space.names(on: space.me.side)
            return try await req.confirmation(
                ConfirmView(
                    heading: "Cancel this meeting?",
                    message:
                        "The meeting of \(ZonedTime(meeting.startsAt, in: space.myZone).local) is cancelled for everyone in it, and counts as cancelled by \(side). It cannot be planned again; plan a new one instead if you want to meet.",
                    details: reason.map { ["Your reason: \($0)"] } ?? [],
                    action: WebRoute.meetingAction.link(space.pairingID, try meeting.requireID()),
                    fields: [.init(name: "action", value: "cancel"), .init(name: "reason", value: reason ?? "")],
                    confirmLabel: "Cancel the meeting", cancelLink: back, destructive: true))
        }
        var start: Date?
        var minutes: Int?
        if action == .reschedule {
            let (moment, timeIssues) = Self.moment(date: form["date"] ?? "", time: form["time"] ?? "", in: space.myZone)
            let length = Int(meeting.endsAt.timeIntervalSince(meeting.startsAt) / 60)
            let (typedMinutes, minuteIssues) = Self.minutes(form["minutes"], fallback: length)
            if !(timeIssues + minuteIssues).isEmpty {
                return try await meetingPage(
                    req, space, meeting, form: form, issues: timeIssues + minuteIssues, status: .unprocessableEntity)
            }
            (start, minutes) = (moment, typedMinutes)
        }
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                let saved = try await service.act(space, on: meeting.id, action, start: start, minutes: minutes, reason: reason)
                let when = ZonedTime(saved.startsAt, in: space.myZone)
                let message =
                    switch action {
                    case .reschedule:
                        "Moved to \(when.local) (\(when.zone)), \(when.utc). Subscribed calendars show the new time at their next refresh."
                    case .held: "Marked as held. Add a note while it is fresh."
                    case .cancel: "Cancelled."
                    case .missed: "Marked as missed. Plan another time together when you can."
                    }
                return req.redirect(to: back, flash: message)
            } catch let invalid as InvalidInput {
                return try await meetingPage(req, space, meeting, form: form, issues: invalid.issues, status: .unprocessableEntity)
            }
        }
    }

    func meetingCalendar(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let meeting = try await service.meeting(space, meetingID(req))
        let response = Response(status: .ok, body: .init(string: service.ics(meeting, in: space)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"meeting.ics\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: A meeting outside the cadence

    /// `?kind=log` (a meeting we had) or `?kind=plan` (an extra one).
    struct NewMeetingQuery: Decodable {
        var kind: String?
    }

    func newMeeting(req: Request) async throws -> Response {
        let space = try await space(req)
        let kind = try req.strictQuery(NewMeetingQuery.self).kind ?? "log"
        guard PairingNewMeetingView.kinds.contains(where: { $0.0 == kind }) else {
            throw InvalidInput(issues: [
                FieldIssue(
                    field: "kind", message: "kind is log (a meeting you had) or plan (an extra one); “\(kind.prefix(20))” is neither.")
            ])
        }
        let today = ZonedTime.fields(req.clock.now(), in: space.myZone).date
        return try await newMeetingPage(req, space, form: ["kind": kind, "date": today], issues: [])
    }

    func newMeetingPage(
        _ req: Request, _ space: PairingSpaceService.Space, form: [String: String], issues: [FieldIssue],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let view = PairingNewMeetingView(space, form: form, issues: issues)
        return try await req.page("pairing-new-meeting", title: "Add a meeting — \(space.programme.name)", view, status: status)
    }

    func addMeeting(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        var issues: [FieldIssue] = []
        let held: Bool
        switch form["kind"] {
        case "log": held = true
        case "plan": held = false
        default:
            held = true
            issues.append(FieldIssue(field: "kind", message: "Say whether you are logging a meeting you had or planning an extra one."))
        }
        let (start, timeIssues) = Self.moment(date: form["date"] ?? "", time: form["time"] ?? "", in: space.myZone)
        let (minutes, minuteIssues) = Self.minutes(form["minutes"], fallback: space.programme.sessionMinutes)
        issues += timeIssues + minuteIssues
        var advisor: UUID?
        if space.isBoard && space.me.side == .mentee {
            advisor = UUID(uuidString: form["advisor"] ?? "")
            if advisor == nil {
                issues.append(FieldIssue(field: "advisor", message: "Choose the advisor on your board this meeting is with."))
            }
        }
        guard issues.isEmpty, let start else {
            return try await newMeetingPage(req, space, form: form, issues: issues, status: .unprocessableEntity)
        }
        let back = WebRoute.pairing.link(space.pairingID)
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                let meeting = try await req.pairingSpace.addMeeting(
                    space, start: start, minutes: minutes, agenda: form["agenda"], held: held,
                    advisor: advisor)
                let when = ZonedTime(meeting.startsAt, in: space.myZone).local
                return req.redirect(
                    to: try WebRoute.meeting.link(space.pairingID, meeting.requireID()),
                    flash: held ? "Logged: the meeting of \(when) counts as held." : "Planned for \(when). It is in your calendar feed too."
                )
            } catch let invalid as InvalidInput {
                return try await newMeetingPage(req, space, form: form, issues: invalid.issues, status: .unprocessableEntity)
            }
        }
    }
}
