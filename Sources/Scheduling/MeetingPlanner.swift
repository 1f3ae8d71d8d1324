import Foundation

/// A part of a weekday someone said they are free: "Tue morning" (09:00–12:00) or "Tue afternoon" (13:00–17:00),
/// in that person's own time zone.
public struct WeeklySlot: Hashable, Sendable, CustomStringConvertible {
    public enum Part: String, Sendable, CaseIterable {
        case morning, afternoon

        /// Minutes after local midnight: the part's start and end.
        var window: ClosedRange<Int> { self == .morning ? 9 * 60...12 * 60 : 13 * 60...17 * 60 }
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public let weekday: Int
    public let part: Part

    public init?(weekday: Int, part: Part) {
        guard (1...7).contains(weekday) else { return nil }
        (self.weekday, self.part) = (weekday, part)
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// "Tue morning", "wednesday afternoon" (case and the length of the day's name do not matter).
    public init?(_ text: String) {
        let words = text.lowercased().split(separator: " ")
        guard words.count == 2, let part = Part(rawValue: String(words[1])),
              let index = Self.dayNames.firstIndex(where: { words[0].hasPrefix($0) }) else { return nil }
        self.init(weekday: index + 1, part: part)
    }

    public var description: String { "\(Self.dayNames[weekday - 1].capitalized) \(part.rawValue)" }
}

/// One member of a pairing as the planner sees them.
public struct Attendee: Sendable {
    public var name: String
    public var timeZone: TimeZone
    /// Empty: they gave no availability, so any time in their working day will do.
    public var availability: Set<WeeklySlot>

    public init(name: String, timeZone: TimeZone, availability: Set<WeeklySlot>) {
        (self.name, self.timeZone, self.availability) = (name, timeZone, availability)
    }
}

/// A programme's rhythm: so many sessions of so many minutes, one every so many weeks, from its first day to its last
/// (both in UTC, as the programme's dates are).
public struct Cadence: Sendable {
    public var sessions: Int
    public var everyWeeks: Int
    public var minutes: Int
    public var firstDay: Date
    public var lastDay: Date

    public init(sessions: Int, everyWeeks: Int, minutes: Int, firstDay: Date, lastDay: Date) {
        (self.sessions, self.everyWeeks, self.minutes, self.firstDay, self.lastDay) = (sessions, everyWeeks, minutes, firstDay, lastDay)
    }
}

/// A meeting the planner proposes.
public struct PlannedMeeting: Sendable, Equatable {
    /// 1 for the first session.
    public var session: Int
    public var start: Date
    public var end: Date
    /// How well the time suits everyone.
    public var fit: Fit
    /// Said to the pair when the time is not inside everyone's availability: why, in words.
    public var note: String?

    public enum Fit: Int, Sendable, Comparable {
        /// Outside the first attendee's own working day: chosen only when the period has nothing else.
        case unsuitable
        /// Outside someone's working day (09:00–17:00 local, Monday to Friday): nothing better exists that week.
        case outsideWorkingDay
        /// In everyone's working day, but outside the availability someone gave.
        case workingDay
        /// Inside the availability everyone gave.
        case availability

        public static func < (a: Fit, b: Fit) -> Bool { a.rawValue < b.rawValue }
    }
}

/// Plans a pairing's meetings from its programme's cadence, across the members' time zones. Pure: no clock, no
/// database; the same input always gives the same plan.
public enum MeetingPlanner {
    /// Candidate starts are tried every half hour.
    static let step = 30 * 60
    /// The working day, in minutes after local midnight.
    static let workingDay = 9 * 60...17 * 60

    /// One meeting per period of `cadence.everyWeeks` weeks from the first day, up to `cadence.sessions` and never
    /// after the last day. In each period the earliest start that suits everyone best: inside everyone's
    /// availability, else inside everyone's working day, else inside the first attendee's working day (with a note
    /// naming who it does not suit). Times move with each person's daylight-saving changes: a meeting at 10:00 in
    /// London stays at 10:00 there after the clocks change.
    ///
    /// - Complexity: O(s · w · (a + b)) for s sessions, w half-hour candidates per period (336 a week), a attendees and
    ///   b busy times.
    /// `busy`: times already taken (a board holder's meetings with other advisors); no meeting overlaps one.
    public static func plan(_ cadence: Cadence, attendees: [Attendee], busy: [DateInterval] = []) -> [PlannedMeeting] {
        guard cadence.sessions > 0, cadence.everyWeeks > 0, cadence.minutes > 0, !attendees.isEmpty else { return [] }
        let period = cadence.everyWeeks * 7 * 86_400
        let lastMoment = cadence.lastDay.addingTimeInterval(86_400)   // the whole of the last day
        var meetings: [PlannedMeeting] = []
        for session in 0..<cadence.sessions {
            let from = cadence.firstDay.addingTimeInterval(Double(session * period))
            guard from < lastMoment else { break }
            // Look within the first week of the period (meetings keep a steady rhythm), within the programme.
            let until = min(from.addingTimeInterval(7 * 86_400), lastMoment)
            var best: (start: Date, fit: PlannedMeeting.Fit, misfits: [String])?
            var candidate = from
            while candidate.addingTimeInterval(Double(cadence.minutes * 60)) <= until {
                let slot = DateInterval(start: candidate, duration: Double(cadence.minutes * 60))
                if busy.contains(where: { $0.start < slot.end && slot.start < $0.end }) {
                    candidate = candidate.addingTimeInterval(Double(step))
                    continue
                }
                let (fit, misfits) = assess(candidate, minutes: cadence.minutes, attendees: attendees)
                if fit > (best?.fit ?? .unsuitable) || best == nil { best = (candidate, fit, misfits) }
                if fit == .availability { break }
                candidate = candidate.addingTimeInterval(Double(step))
            }
            guard let chosen = best else { continue }
            meetings.append(PlannedMeeting(
                session: session + 1, start: chosen.start, end: chosen.start.addingTimeInterval(Double(cadence.minutes * 60)),
                fit: chosen.fit, note: note(chosen.fit, misfits: chosen.misfits)))
        }
        return meetings
    }

    static func note(_ fit: PlannedMeeting.Fit, misfits: [String]) -> String? {
        switch fit {
        case .availability: nil
        case .workingDay: "No time that week is inside the availability everyone gave (\(misfits.joined(separator: ", "))); this one is inside everyone's working day."
        case .outsideWorkingDay: "No time that week is inside everyone's working day; this one is outside it for \(misfits.joined(separator: ", "))."
        case .unsuitable: "No time that week is inside \(misfits.joined(separator: ", "))'s working day; pick a time together."
        }
    }

    /// How well a meeting from `start` suits everyone, and who it does not suit at that level.
    static func assess(_ start: Date, minutes: Int, attendees: [Attendee]) -> (PlannedMeeting.Fit, [String]) {
        var outsideAvailability: [String] = [], outsideDay: [String] = []
        for (k, person) in attendees.enumerated() {
            let local = LocalTime(start, in: person.timeZone)
            let span = local.minute...(local.minute + minutes)
            let working = local.weekday <= 5 && workingDay.contains(span.lowerBound) && workingDay.contains(span.upperBound)
            if !working {
                // The first attendee's working day is a must for anything but the last resort; others are named.
                if k == 0 { return (.unsuitable, [person.name]) }
                outsideDay.append(person.name)
            }
            let available = person.availability.isEmpty ? working : person.availability.contains { slot in
                slot.weekday == local.weekday && slot.part.window.contains(span.lowerBound) && slot.part.window.contains(span.upperBound)
            }
            if !available { outsideAvailability.append(person.name) }
        }
        if !outsideDay.isEmpty { return (.outsideWorkingDay, outsideDay) }
        return outsideAvailability.isEmpty ? (.availability, []) : (.workingDay, outsideAvailability)
    }
}

/// A moment as a wall clock in one time zone shows it.
struct LocalTime {
    /// 1 = Monday … 7 = Sunday.
    var weekday: Int
    /// Minutes after local midnight.
    var minute: Int

    init(_ date: Date, in zone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970) + zone.secondsFromGMT(for: date)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        // 1970-01-01 was a Thursday (ISO weekday 4).
        weekday = ((days % 7 + 7) % 7 + 3) % 7 + 1
        minute = (seconds - days * 86_400) / 60
    }
}
