import Foundation
import Scheduling
import Vapor

// What the pairing space API takes. Read with `req.jsonBody` (unknown keys refused); numbers are range-checked by
// the controller before anything uses them.

/// New terms for the agreement: every field, as the whole agreement reads after the edit, and the version edited.
struct AgreementTermsBody: Content {
    var confidentiality: String
    var psychologicalSafety: String
    var cadence: String
    var channel: String
    var place: String
    var duration: String
    var midpointReview: String
    var offLimits: String
    /// The version the member read and changed: when it is no longer current, nothing is saved (409).
    var basedOn: Int

    var terms: AgreementTerms {
        AgreementTerms(confidentiality: confidentiality, psychologicalSafety: psychologicalSafety, cadence: cadence, channel: channel,
                       place: place, duration: duration, midpointReview: midpointReview, offLimits: offLimits)
    }
}

struct SignBody: Content {
    /// The version the member read and signs.
    var version: Int
}

struct GoalTaskBody: Content {
    var title: String
    var done: Bool
}

/// A new goal. Left out: `learner` is the format's default, `tasks` none, `progress` 0, `status` open.
struct NewGoalBody: Content {
    var learner: GoalLearner?
    var title: String
    var measure: String
    var targetDate: String?
    var tasks: [GoalTaskBody]?
    var progress: Int?
    var status: GoalStatus?
    /// Progress as the share of done tasks, instead of `progress`.
    var progressFromTasks: Bool?
    var why: String?
}

/// A goal's whole content after the change, why it changed, and the revision it was edited from.
struct GoalChangeBody: Content {
    var learner: GoalLearner
    var title: String
    var measure: String
    var targetDate: String?
    var tasks: [GoalTaskBody]
    var progress: Int
    var status: GoalStatus
    var progressFromTasks: Bool?
    var why: String?
    /// The revision the change was made from: a goal changed since is a 409, not overwritten.
    var revision: Int
}

struct NewMeetingBody: Content {
    var start: RFC3339DateTime
    var minutes: Int
    var agenda: String?
    /// true: "log a meeting we had" (in the past); false: plan an extra one.
    var held: Bool
    /// On an advisory board, the holder names the advisor (person id) the meeting is with.
    var advisor: UUID?
}

struct MeetingChangeBody: Content {
    var agenda: String?
    /// The place or video link; an empty text removes it.
    var location: String?
}

struct MeetingActionBody: Content {
    var action: PairingSpaceService.MeetingAction
    /// For `reschedule`: the new time, and optionally a new length.
    var start: RFC3339DateTime?
    var minutes: Int?
    var reason: String?
}

struct NewNoteBody: Content {
    var text: String
    var shared: Bool
    /// The meeting it is about; left out for a note on the pairing.
    var meeting: UUID?
}

struct NoteChangeBody: Content {
    var text: String?
    var shared: Bool?
}

/// A date and time as RFC 3339 writes it (`2026-03-02T09:30:00Z`, `2026-03-02T10:30:00+01:00`), read strictly:
/// Foundation's ISO 8601 reading turns 30 February into 2 March, so an impossible date is refused here instead,
/// with a 422 naming the field. Exactly what JSON Schema's `date-time` format admits (upper-case `T` and `Z`, no
/// leap second, no year 0), so the API takes what `/openapi.json` promises and nothing else.
struct RFC3339DateTime: Codable, Equatable, Sendable {
    var date: Date

    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: """
                give a real date and time written as RFC 3339, such as 2026-03-02T09:30:00Z or 2026-03-02T10:30:00+01:00; \
                “\(text.prefix(40))” is not one.
                """)
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ISO8601DateFormatter().string(from: date))
    }

    /// `yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm)`, every part in range.
    static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        guard s.count >= 20, s.count <= 100 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= s.count else { return nil }
            var value = 0
            for byte in s[from..<(from + length)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func at(_ k: Int, _ chars: String) -> Bool { k < s.count && chars.utf8.contains(s[k]) }
        guard let year = number(0, 4), at(4, "-"), let month = number(5, 2), at(7, "-"), let day = number(8, 2), at(10, "T"),
              let hour = number(11, 2), at(13, ":"), let minute = number(14, 2), at(16, ":"), let second = number(17, 2) else { return nil }
        var k = 19
        var fraction = 0.0
        if at(k, ".") {
            var scale = 0.1
            k += 1
            let digitsStart = k
            while k < s.count, (0x30...0x39).contains(s[k]) {
                fraction += Double(s[k] - 0x30) * scale
                scale /= 10
                k += 1
            }
            guard k > digitsStart else { return nil }
        }
        var offset = 0
        if at(k, "Z") {
            k += 1
        } else if at(k, "+-") {
            let sign = s[k] == UInt8(ascii: "-") ? -1 : 1
            guard let h = number(k + 1, 2), at(k + 3, ":"), let m = number(k + 4, 2), h <= 23, m <= 59 else { return nil }
            offset = sign * (h * 3600 + m * 60)
            k += 6
        } else {
            return nil
        }
        guard k == s.count, year >= 1, (1...12).contains(month), day >= 1, hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        guard CivilCalendar.date(fromDays: days) == (year, month, day) else { return nil }
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}
