import Foundation
import Scheduling

/// A calendar day written `yyyy-MM-dd`, validated strictly (no 2024-02-30).
struct Day: Comparable, Hashable, CustomStringConvertible, Sendable {
    let year: Int, month: Int, day: Int

    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    /// The day `date` falls on in `timeZone` (UTC by default).
    init(_ date: Date, timeZone: TimeZone = .gmt) {
        let seconds = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        self.init(daysSince1970: Int((seconds / 86_400).rounded(.down)))
    }

    /// The day so many days after 1970-01-01 (negative before it).
    init(daysSince1970 days: Int) {
        (year, month, day) = CivilCalendar.date(fromDays: days)
    }

    /// Days since 1970-01-01.
    var daysSince1970: Int { CivilCalendar.days(year: year, month: month, day: day) }

    /// Midnight UTC at the start of this day.
    var startDate: Date { Date(timeIntervalSince1970: Double(daysSince1970) * 86_400) }

    func adding(days: Int) -> Day { Day(daysSince1970: daysSince1970 + days) }

    var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
