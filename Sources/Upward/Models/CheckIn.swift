import Fluent
import Foundation

/// A pulse every few weeks, or the one-question fit check after the first meeting held.
enum CheckInKind: String, Codable, CaseIterable, Sendable {
    case pulse, fit
}

/// "Good fit / still deciding / not a good fit", after the first meeting held.
enum FitAnswer: String, Codable, CaseIterable, Sendable {
    case goodFit, stillDeciding, notAGoodFit

    var label: String {
        switch self {
        case .goodFit: "A good fit"
        case .stillDeciding: "Still deciding"
        case .notAGoodFit: "Not a good fit"
        }
    }
}

/// When a programme asks its pairs to check in (DESIGN.md, "Check-in"): programme settings, with these defaults.
struct CheckInSchedule: Codable, Equatable, Sendable {
    /// The first pulse, this many days after the pairing became active.
    var firstAfterDays = 30
    /// Then one every so many days.
    var everyDays = 60
    /// The fit check after the first meeting held.
    var fitCheck = true

    static let defaults = CheckInSchedule()

    init() {}

    /// Keys a programme's settings leave out take their defaults.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        firstAfterDays = try c.decodeIfPresent(Int.self, forKey: .firstAfterDays) ?? Self.defaults.firstAfterDays
        everyDays = try c.decodeIfPresent(Int.self, forKey: .everyDays) ?? Self.defaults.everyDays
        fitCheck = try c.decodeIfPresent(Bool.self, forKey: .fitCheck) ?? Self.defaults.fitCheck
    }

    enum CodingKeys: String, CodingKey { case firstAfterDays, everyDays, fitCheck }

    /// Every check-in that has fallen due by `until`: pulses from `firstAfterDays` after activation and every
    /// `everyDays` after that (never after `last`, the programme's end), and the fit check on the day of the first
    /// meeting held. Oldest first.
    ///
    /// - Complexity: O(d / everyDays) for d days between activation and `until`.
    func due(activatedOn: Day, firstHeld: Day?, until: Day, last: Day?) -> [(kind: CheckInKind, day: Day)] {
        var out: [(kind: CheckInKind, day: Day)] = []
        let end = min(until, last ?? until)
        var day = activatedOn.adding(days: max(1, firstAfterDays))
        while day <= end {
            out.append((.pulse, day))
            day = day.adding(days: max(1, everyDays))
        }
        if fitCheck, let held = firstHeld, held <= until { out.append((.fit, held)) }
        return out.sorted { ($0.day, $0.kind.rawValue) < ($1.day, $1.kind.rawValue) }
    }
}

/// One member's answer to one check-in. Private to that member and the coordinator: a partner never reads it.
final class CheckIn: Model, @unchecked Sendable {
    static let schema = "check_ins"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    @Field(key: "person_id") var personID: UUID
    @Enum(key: "kind") var kind: CheckInKind
    /// The day it fell due (`yyyy-MM-dd`): with the kind, which check-in of the schedule this answers.
    @Field(key: "due_on") var dueOn: String
    @Field(key: "answered_at") var answeredAt: Date
    /// How the relationship is going, "I can say what I think", progress towards our goals: 1–5 each (a pulse).
    @OptionalField(key: "relationship") var relationship: Int?
    @OptionalField(key: "safety") var safety: Int?
    @OptionalField(key: "progress") var progress: Int?
    /// A fit check's answer.
    @OptionalEnum(key: "fit") var fit: FitAnswer?
    @Field(key: "needs_help") var needsHelp: Bool
    /// For the coordinator, with "we need help".
    @OptionalField(key: "comment") var comment: String?

    init() {}

    /// The three scores of a pulse, in order; empty for a fit check.
    var scores: [Int] { [relationship, safety, progress].compactMap { $0 } }
}
