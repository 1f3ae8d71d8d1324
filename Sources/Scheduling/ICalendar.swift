import Foundation

/// One meeting as a calendar event.
public struct CalendarEvent: Sendable, Equatable {
    public enum Status: String, Sendable { case tentative = "TENTATIVE", confirmed = "CONFIRMED", cancelled = "CANCELLED" }

    /// Stable for the meeting's whole life (its id and the host), so a calendar updates the event instead of adding one.
    public var uid: String
    /// Raised on every change of time or place, and when cancelled (RFC 5545 §3.8.7.4).
    public var sequence: Int
    public var start: Date
    public var end: Date
    public var summary: String
    public var description: String?
    public var location: String?
    public var status: Status
    /// When this version of the event was written.
    public var stamp: Date
    /// For an invitation (`REQUEST`/`CANCEL`, RFC 5546): who sends it and who is invited. A feed leaves them out.
    public var organizer: CalendarPerson?
    public var attendees: [CalendarPerson] = []

    public init(uid: String, sequence: Int, start: Date, end: Date, summary: String, description: String? = nil,
                location: String? = nil, status: Status = .confirmed, stamp: Date) {
        (self.uid, self.sequence, self.start, self.end, self.summary) = (uid, sequence, start, end, summary)
        (self.description, self.location, self.status, self.stamp) = (description, location, status, stamp)
    }
}

/// Someone named in an invitation, by name and mail address.
public struct CalendarPerson: Sendable, Equatable {
    public var name: String
    public var email: String
    public init(name: String, email: String) { (self.name, self.email) = (name, email) }

    /// `;CN="Name":mailto:address`: the name quoted (a double quote cannot appear inside one, so it is dropped).
    var contentValue: String {
        let name = name.filter { $0 != "\"" && !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 } ?? true }
        return ";CN=\"\(name)\":mailto:\(email)"
    }
}

/// Writes iCalendar (RFC 5545) by hand: no package for it is available here, and what a feed needs is small.
/// CRLF line endings, lines folded at 75 octets without splitting a UTF-8 character, text escaped, times in UTC
/// (so no `VTIMEZONE` is needed), `METHOD:PUBLISH` for a subscribed feed.
public enum ICalendar {
    public static let productID = "-//Upward//Reverse mentoring//EN"

    /// A whole calendar: a feed (`PUBLISH`) or a single event's download.
    public static func document(_ events: [CalendarEvent], name: String? = nil, method: String = "PUBLISH") -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN", "METHOD:\(method)"]
        if let name { lines.append("X-WR-CALNAME:\(escape(name))") }
        for event in events { lines += eventLines(event) }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func eventLines(_ e: CalendarEvent) -> [String] {
        var lines = ["BEGIN:VEVENT", "UID:\(escape(e.uid))", "DTSTAMP:\(utc(e.stamp))", "SEQUENCE:\(max(0, e.sequence))",
                     "DTSTART:\(utc(e.start))", "DTEND:\(utc(e.end))", "SUMMARY:\(escape(e.summary))", "STATUS:\(e.status.rawValue)",
                     // A pair's agenda is theirs: calendars that others can see show the event as busy only.
                     "CLASS:PRIVATE"]
        if let description = e.description { lines.append("DESCRIPTION:\(escape(description))") }
        if let location = e.location { lines.append("LOCATION:\(escape(location))") }
        if let organizer = e.organizer { lines.append("ORGANIZER\(organizer.contentValue)") }
        for attendee in e.attendees {
            lines.append("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE\(attendee.contentValue)")
        }
        lines.append("END:VEVENT")
        return lines
    }

    /// A moment in UTC: `20261123T093000Z`.
    public static func utc(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (y, m, d) = CivilCalendar.date(fromDays: days)
        let rest = seconds - days * 86_400
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// Text values: backslash, semicolon and comma escaped, line breaks as `\n` (RFC 5545 §3.3.11); control
    /// characters other than tab dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r": out += "\\n"
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Splits a content line into lines of at most 75 octets, each continuation starting with a space, never inside
    /// a UTF-8 character (RFC 5545 §3.1).
    public static func fold(_ line: String) -> String {
        var result = String.UnicodeScalarView(), current = 0, limit = 75
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if current + size > limit {
                result.append(contentsOf: "\r\n ".unicodeScalars)
                current = 0
                limit = 74   // the leading space counts
            }
            result.append(scalar)
            current += size
        }
        return String(result)
    }
}
