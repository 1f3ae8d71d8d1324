import Fluent
import Foundation
import Scheduling
import SMTP

extension PairingSpaceService {
    /// What happened to a meeting, as its attendees are told.
    enum MeetingChange: Sendable {
        case planned, moved, placeChanged, cancelled
    }

    /// Tells everyone who attends `meeting` what changed, each in their own time zone, with the calendar
    /// invitation's update: `REQUEST` for a new or changed meeting, `CANCEL` for a cancelled one. The event keeps the
    /// feed's `UID` and `SEQUENCE`, so a calendar that holds it (from the feed or an earlier invitation) updates it.
    /// Runs inside the change's write transaction. `by` is who made the change (nil: the programme, on an ending).
    func tellAttendees(_ meeting: Meeting, _ change: MeetingChange, in space: Space, by: UUID?, on db: any Database) async throws {
        let attendees = space.members.filter { member in
            var view = space
            view.me = member
            return view.sees(meeting)
        }
        let recipients = try await Notifier.recipients(attendees.map(\.person), on: db)
        let people = attendees.map { CalendarPerson(name: $0.person.name, email: $0.person.email) }
        let who = by.flatMap { id in space.members.first { $0.$person.id == id }?.person.name }
        for (member, recipient) in zip(attendees, recipients) {
            var view = space
            view.me = member
            var event = event(meeting, in: view)
            event.organizer = organizer
            event.attendees = people
            let method = change == .cancelled ? "CANCEL" : "REQUEST"
            if change == .cancelled { event.status = .cancelled }
            let zone = Self.timeZone(of: member)
            let when = Self.day(meeting.startsAt, in: zone)
            let link = publicURL + WebRoute.meeting.link(space.pairingID, try meeting.requireID())
            let (subject, opening): (String, String) = switch change {
            case .planned: ("Meeting planned: \(when)", "\(who ?? "Upward") planned a meeting in \(space.programme.name) for \(when).")
            case .moved: ("Meeting moved to \(when)", "\(who ?? "Upward") moved your meeting in \(space.programme.name) to \(when).")
            case .placeChanged: ("Meeting place changed: \(when)", "The meeting of \(when) in \(space.programme.name) has a new place: \(meeting.location ?? "none set").")
            case .cancelled: ("Meeting cancelled: \(when)", "The meeting of \(when) in \(space.programme.name) is cancelled\(who.map { " by \($0)" } ?? "").")
            }
            let body = """
                Hello \(member.person.name),

                \(opening) The calendar invitation attached updates your calendar.

                See the meeting and its agenda: \(link)
                """
            try await Notifier(database: db, clock: clock).send(
                Letter(kind: .meetingChange, subject: subject, body: body, path: Letter.path(of: link),
                       calendar: MailMessage.Calendar(method: method, ics: ICalendar.document([event], method: method))),
                to: recipient)
        }
    }
}

extension UpwardSettings {
    /// Who meeting invitations come from: the mail sender, or Upward at the public host while mail is not set up.
    var calendarOrganizer: CalendarPerson {
        let address = MailDelivery.address(mailFrom ?? "Upward <upward@\(URLComponents(string: publicURL)?.host ?? "localhost")>")
        return CalendarPerson(name: address.name ?? "Upward", email: address.email)
    }
}
