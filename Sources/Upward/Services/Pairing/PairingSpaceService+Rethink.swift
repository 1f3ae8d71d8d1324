import Fluent
import Foundation
import Scheduling
import Vapor

/// The re-think session (the seeds: "if you are not making your desired progress, schedule a brainstorming session
/// and discuss new ways to achieve your goals"): one click plans an extra meeting at the first time in the next two
/// weeks that suits everyone, with an agenda that walks through the pair's goals.
extension PairingSpaceService {
    /// How far ahead a re-think is placed.
    static let rethinkWithinDays = 14

    /// What we hoped, what happened, new ways, then each open goal by name (the meeting's page links to each).
    static func rethinkAgenda(goals: [Goal]) -> String {
        let open = goals.filter { $0.status == .open }.map { "• \($0.title)" }
        return """
            A re-think session. 1. What we hoped for when we set our goals. 2. What actually happened, without blame. \
            3. New ways to reach each goal: other approaches, other people, smaller steps. 4. Revise or drop goals that no longer fit, \
            and agree one thing each to try before we next meet.
            """ + (open.isEmpty ? "" : "\nGoals to revisit:\n" + open.joined(separator: "\n"))
    }

    /// Plans the re-think. Refused while one is already planned and still to come.
    func planRethink(_ space: Space) async throws -> Meeting {
        try space.requireWritable()
        let meetings = try await Meeting.query(on: database).filter(\.$pairing.$id == space.pairingID).all()
        if let planned = meetings.first(where: { $0.purpose == .rethink && $0.status == .planned && $0.startsAt > now }) {
            throw Problem(.conflict, "A re-think session is already planned for \(Day(planned.startsAt)); hold that one first.")
        }
        let first = today.adding(days: 1)
        let cadence = Cadence(sessions: 1, everyWeeks: 1, minutes: space.programme.sessionMinutes,
                              firstDay: first.startDate, lastDay: first.adding(days: Self.rethinkWithinDays - 1).startDate)
        let people = space.members.filter { $0.side == .mentee } + space.members.filter { $0.side == .mentor }
        let attendees = people.map {
            Attendee(name: $0.person.name, timeZone: Self.timeZone(of: $0), availability: Set($0.application.availability.compactMap(WeeklySlot.init)))
        }
        let busy = meetings.filter { $0.status == .planned }.map { DateInterval(start: $0.startsAt, end: max($0.startsAt, $0.endsAt)) }
        guard let slot = MeetingPlanner.plan(cadence, attendees: attendees, busy: busy).first else {
            throw Problem(.conflict, "No time in the next two weeks is free for everyone; plan the re-think as an extra meeting at a time you choose.")
        }
        let meeting = try await addMeeting(space, start: slot.start, minutes: space.programme.sessionMinutes,
                                           agenda: Self.rethinkAgenda(goals: try await goals(space)), held: false, purpose: .rethink)
        // The coordinator's suggestion is taken up.
        try await database.writeTransaction { db in
            try await Pairing.query(on: db).filter(\.$id == space.pairingID).set(\.$rethinkSuggestedAt, to: nil).update()
        }
        return meeting
    }

    /// Why the space suggests a re-think now, or nil. Only from what this member may know: the pair's meetings, their
    /// own check-in answers and the coordinator's suggestion — never the partner's answers.
    func rethinkReason(_ space: Space, meetings: [Meeting], myAnswers: [CheckIn]) -> String? {
        guard space.isWritable, space.pairing.status == .active else { return nil }
        if meetings.contains(where: { $0.purpose == .rethink && $0.status == .planned && $0.startsAt > now }) { return nil }
        let thresholds = space.programme.healthThresholds
        if space.pairing.rethinkSuggestedAt != nil {
            return "Your coordinator suggests a re-think session: a meeting to look again at your goals and how to reach them."
        }
        if let latest = myAnswers.first(where: { $0.progress != nil }), let progress = latest.progress, progress <= thresholds.lowScore {
            return "You said progress towards your goals is slow. A re-think session can help you find new ways to reach them."
        }
        let lastHeld = meetings.filter { $0.status == .held }.map(\.startsAt).max() ?? space.pairing.activatedAt ?? now
        let quietDays = max(thresholds.quietDays, space.programme.cadenceWeeks * 7 + thresholds.cadenceGraceDays)
        if now.timeIntervalSince(lastHeld) > Double(quietDays * 86_400) {
            return "You have not met for a while. A re-think session is a fresh start: what you hoped for, and new ways to get there."
        }
        return nil
    }
}
