import Foundation
import Testing
@testable import Scheduling

@Suite("Planning meetings from a cadence")
struct MeetingPlannerTests {
    func day(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: text + "T00:00:00Z") ?? Date(timeIntervalSince1970: 0)
    }

    func zone(_ id: String) -> TimeZone { TimeZone(identifier: id) ?? .gmt }

    func local(_ date: Date, _ id: String) -> (weekday: Int, minute: Int) {
        let t = LocalTime(date, in: zone(id))
        return (t.weekday, t.minute)
    }

    @Test func slots_read_from_the_application_form() {
        #expect(WeeklySlot("Tue morning") == WeeklySlot(weekday: 2, part: .morning))
        #expect(WeeklySlot("friday afternoon")?.description == "Fri afternoon")
        #expect(WeeklySlot("Tue evening") == nil && WeeklySlot("someday morning") == nil)
    }

    @Test func meetings_fall_inside_both_availabilities_across_time_zones() {
        // London mornings Tuesday, New York: Tuesday morning only. 10:00 NY = 15:00 London: not a London morning.
        // London Tuesday afternoon 14:00–17:00 overlaps NY 09:00–12:00 → the first common hour is 14:00 London.
        let london = Attendee(name: "Grace", timeZone: zone("Europe/London"), availability: [WeeklySlot("Tue afternoon")!])
        let newYork = Attendee(name: "Ada", timeZone: zone("America/New_York"), availability: [WeeklySlot("Tue morning")!])
        let cadence = Cadence(sessions: 3, everyWeeks: 4, minutes: 60, firstDay: day("2026-01-05"), lastDay: day("2026-06-30"))
        let plan = MeetingPlanner.plan(cadence, attendees: [london, newYork])
        #expect(plan.count == 3)
        #expect(plan.allSatisfy { $0.fit == .availability && $0.note == nil })
        for meeting in plan {
            #expect(local(meeting.start, "Europe/London").weekday == 2)
            #expect(local(meeting.start, "Europe/London").minute == 14 * 60)
            #expect(local(meeting.start, "America/New_York").minute == 9 * 60)
            #expect(meeting.end.timeIntervalSince(meeting.start) == 3600)
        }
        #expect(plan.map(\.session) == [1, 2, 3])
        // Four weeks apart.
        #expect(plan[1].start.timeIntervalSince(plan[0].start) == 28 * 86_400)
    }

    @Test func local_time_holds_across_a_daylight_saving_change() {
        // Europe moves its clocks on 2026-03-29; a Tuesday-morning pair in London keeps 09:00 local, so UTC moves by an hour.
        let a = Attendee(name: "A", timeZone: zone("Europe/London"), availability: [WeeklySlot("Tue morning")!])
        let b = Attendee(name: "B", timeZone: zone("Europe/London"), availability: [])
        let cadence = Cadence(sessions: 2, everyWeeks: 2, minutes: 60, firstDay: day("2026-03-23"), lastDay: day("2026-04-30"))
        let plan = MeetingPlanner.plan(cadence, attendees: [a, b])
        #expect(plan.count == 2)
        #expect(plan.map { local($0.start, "Europe/London").minute } == [9 * 60, 9 * 60])
        #expect(ICalendar.utc(plan[0].start) == "20260324T090000Z")   // GMT
        #expect(ICalendar.utc(plan[1].start) == "20260407T080000Z")   // BST
    }

    @Test func with_no_common_availability_the_time_is_in_both_working_days_and_says_so() {
        let a = Attendee(name: "Grace", timeZone: zone("Europe/Berlin"), availability: [WeeklySlot("Mon morning")!])
        let b = Attendee(name: "Ada", timeZone: zone("Europe/Berlin"), availability: [WeeklySlot("Fri afternoon")!])
        let plan = MeetingPlanner.plan(Cadence(sessions: 1, everyWeeks: 4, minutes: 60, firstDay: day("2026-01-05"), lastDay: day("2026-03-01")),
                                       attendees: [a, b])
        #expect(plan.first?.fit == .workingDay)
        #expect(plan.first?.note?.contains("Ada") == true)   // Monday morning suits Grace's availability, not Ada's
        #expect((9 * 60...16 * 60).contains(local(plan[0].start, "Europe/Berlin").minute))
    }

    @Test func far_apart_time_zones_get_a_time_in_the_first_persons_day_with_a_note() {
        let a = Attendee(name: "Grace", timeZone: zone("Europe/London"), availability: [])
        let b = Attendee(name: "Kenji", timeZone: zone("Pacific/Auckland"), availability: [])
        let plan = MeetingPlanner.plan(Cadence(sessions: 1, everyWeeks: 4, minutes: 60, firstDay: day("2026-07-06"), lastDay: day("2026-09-01")),
                                       attendees: [a, b])
        #expect(plan.first?.fit == .outsideWorkingDay)
        #expect(plan.first?.note?.contains("Kenji") == true)
        let london = local(plan[0].start, "Europe/London")
        #expect(london.weekday <= 5 && (9 * 60...16 * 60).contains(london.minute))
    }

    @Test func no_meeting_is_planned_after_the_last_day_and_bad_cadences_plan_nothing() {
        let a = Attendee(name: "A", timeZone: .gmt, availability: [])
        let plan = MeetingPlanner.plan(Cadence(sessions: 10, everyWeeks: 4, minutes: 60, firstDay: day("2026-01-05"), lastDay: day("2026-03-31")),
                                       attendees: [a])
        #expect(plan.count == 4)   // Jan 5, Feb 2, Mar 2 and Mar 30 (the last two days still hold one); not 10
        #expect(plan.allSatisfy { $0.end <= day("2026-04-01") })
        #expect(MeetingPlanner.plan(Cadence(sessions: 0, everyWeeks: 4, minutes: 60, firstDay: day("2026-01-05"), lastDay: day("2026-03-31")), attendees: [a]).isEmpty)
        #expect(MeetingPlanner.plan(Cadence(sessions: 3, everyWeeks: 4, minutes: 60, firstDay: day("2026-01-05"), lastDay: day("2026-03-31")), attendees: []).isEmpty)
    }

    @Test func local_weekdays_and_minutes_are_exact() {
        #expect(LocalTime(Date(timeIntervalSince1970: 0), in: .gmt).weekday == 4)   // Thursday
        #expect(LocalTime(Date(timeIntervalSince1970: -86_400), in: .gmt).weekday == 3)
        #expect(LocalTime(Date(timeIntervalSince1970: 1_767_571_200), in: .gmt).weekday == 1)   // Monday 2026-01-05
        #expect(LocalTime(Date(timeIntervalSince1970: 1_767_571_200 + 3600 * 25 + 60), in: .gmt).minute == 61)
    }

    @Test func busy_times_are_left_free() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let first = Date(timeIntervalSince1970: 1_798_761_600)   // Thu 1 Jan 2027, 00:00 UTC
        let cadence = Cadence(sessions: 3, everyWeeks: 2, minutes: 60, firstDay: first, lastDay: first.addingTimeInterval(60 * 86_400))
        let people = [Attendee(name: "Holder", timeZone: london, availability: [WeeklySlot("Fri morning")!])]
        let alone = MeetingPlanner.plan(cadence, attendees: people)
        let busy = alone.map { DateInterval(start: $0.start, end: $0.end) }
        let next = MeetingPlanner.plan(cadence, attendees: people, busy: busy)
        #expect(next.count == 3)
        for (a, b) in zip(alone, next) {
            #expect(b.start >= a.end && b.fit == .availability)   // the next free hour that Friday morning
        }
    }
}
