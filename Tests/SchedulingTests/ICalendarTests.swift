import Foundation
import Testing
@testable import Scheduling

@Suite("iCalendar writing")
struct ICalendarTests {
    let stamp = Date(timeIntervalSince1970: 1_795_000_000)   // 2026-11-18T…Z

    @Test func lines_end_in_crlf_and_fold_at_75_octets_without_splitting_a_character() {
        let long = String(repeating: "é", count: 60) + String(repeating: "a", count: 50)   // 120 + 50 octets
        let folded = ICalendar.fold("SUMMARY:" + long)
        let lines = folded.components(separatedBy: "\r\n")
        #expect(lines.count > 2)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(lines.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == "SUMMARY:" + long)
        let document = ICalendar.document([], name: "x")
        #expect(document.hasSuffix("END:VCALENDAR\r\n") && !document.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func text_is_escaped() {
        #expect(ICalendar.escape("a, b; c\\d\nnext\u{7}") == "a\\, b\\; c\\\\d\\nnext")
    }

    @Test func times_are_utc() {
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 1_774_776_600)) == "20260329T093000Z")
    }

    @Test func an_event_has_uid_stamp_sequence_and_status() {
        let event = CalendarEvent(uid: "m-1@upward", sequence: 2, start: stamp, end: stamp.addingTimeInterval(3600),
                                  summary: "Reverse mentoring: Ada & Grace", description: "Agenda: what we hoped, what happened",
                                  location: "Video call", status: .cancelled, stamp: stamp)
        let text = ICalendar.document([event])
        for expected in ["BEGIN:VEVENT", "UID:m-1@upward", "SEQUENCE:2", "STATUS:CANCELLED", "METHOD:PUBLISH", "DTSTAMP:20261118T",
                         "DESCRIPTION:Agenda: what we hoped\\, what happened", "END:VEVENT"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }
}
