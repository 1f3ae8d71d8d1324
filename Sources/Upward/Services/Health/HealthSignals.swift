import Foundation

/// The thresholds of a programme's health signals (DESIGN.md, "Alert"): programme settings, with these defaults.
struct HealthThresholds: Codable, Equatable, Sendable {
    /// The first meeting should be held within this many days of the pairing becoming active.
    var firstMeetingDays = 14
    /// No meeting held for longer than max(this, the cadence + `cadenceGraceDays`) while the programme runs.
    var quietDays = 21
    var cadenceGraceDays = 7
    /// A planned meeting left unlogged this many days after it ended.
    var unloggedDays = 7
    /// A check-in score at or below this is low.
    var lowScore = 2
    /// A fall of this much from the member's previous answer.
    var scoreDrop = 2
    /// The two members' latest answers this far apart.
    var scoresApart = 2
    /// The agreement unsigned this many days after activation.
    var unsignedDays = 14
    /// No goal set after this many held meetings.
    var goalAfterMeetings = 2
    /// Cancellations in a row by the same side.
    var cancellationsInARow = 2

    static let defaults = HealthThresholds()

    init() {}

    /// Keys a programme's settings leave out take their defaults.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        func read(_ key: CodingKeys, _ fallback: Int) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? fallback }
        firstMeetingDays = try read(.firstMeetingDays, d.firstMeetingDays)
        quietDays = try read(.quietDays, d.quietDays)
        cadenceGraceDays = try read(.cadenceGraceDays, d.cadenceGraceDays)
        unloggedDays = try read(.unloggedDays, d.unloggedDays)
        lowScore = try read(.lowScore, d.lowScore)
        scoreDrop = try read(.scoreDrop, d.scoreDrop)
        scoresApart = try read(.scoresApart, d.scoresApart)
        unsignedDays = try read(.unsignedDays, d.unsignedDays)
        goalAfterMeetings = try read(.goalAfterMeetings, d.goalAfterMeetings)
        cancellationsInARow = try read(.cancellationsInARow, d.cancellationsInARow)
    }

    enum CodingKeys: String, CodingKey {
        case firstMeetingDays, quietDays, cadenceGraceDays, unloggedDays, lowScore, scoreDrop, scoresApart, unsignedDays,
             goalAfterMeetings, cancellationsInARow
    }
}

/// A pairing's health, from explainable signals.
enum HealthState: String, Codable, CaseIterable, Sendable, Comparable {
    case thriving, onTrack, atRisk, stalled, ended

    var label: String {
        switch self {
        case .thriving: "Thriving"
        case .onTrack: "On track"
        case .atRisk: "At risk"
        case .stalled: "Stalled"
        case .ended: "Ended"
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    static func < (a: HealthState, b: HealthState) -> Bool { a.order < b.order }
}

/// What raised a signal.
enum SignalKind: String, Codable, CaseIterable, Sendable {
    case firstMeetingNotHeld, quiet, unlogged, lowScore, scoreDrop, scoresApart, notAGoodFit, needsHelp, agreementUnsigned,
         noGoal, cancellations

    /// A pair that is not meeting is stalled; anything else puts it at risk.
    var stalls: Bool { self == .firstMeetingNotHeld || self == .quiet }

    /// Raised by what a member answered in a check-in: once resolved, raised again only by a newer answer.
    var fromAnswers: Bool { [.lowScore, .scoreDrop, .scoresApart, .notAGoodFit, .needsHelp].contains(self) }
}

/// One signal: what it is, in words, and what the coordinator might do about it.
struct HealthSignal: Equatable, Sendable {
    var kind: SignalKind
    var detail: String
    var action: String
    /// The member whose answer raised it (a check-in signal): never shown to their partner.
    var raisedBy: UUID?
}

/// The facts about one pairing the signals are computed from: loaded in bulk for a whole programme, so the
/// evaluation itself is pure and the same facts always give the same health.
struct PairingFacts: Sendable {
    struct MeetingFact: Sendable {
        var start: Date
        var end: Date
        var status: MeetingStatus
        var cancelledBy: MemberSide?
        /// Logged after the fact rather than planned.
        var logged = false
    }

    struct Answer: Sendable {
        var personID: UUID
        var day: Day
        /// Relationship, psychological safety and progress, 1–5 each (nil for a fit check).
        var scores: [Int]
        var notAGoodFit: Bool
        var needsHelp: Bool
        /// When it was answered (nil in tests that do not care).
        var answeredAt: Date? = nil
    }

    var activatedOn: Day
    /// Whether the programme still runs today (the quiet-pair signal applies only then).
    var programmeRuns: Bool
    var cadenceWeeks: Int
    var ended: Bool
    var agreementSigned: Bool
    var goals: Int
    var meetings: [MeetingFact]
    /// Check-in answers, oldest first.
    var answers: [Answer]
}

enum HealthSignals {
    /// Every signal the facts raise on `now`, with the pairing's state. An ended pairing raises none.
    ///
    /// - Complexity: O(m + a) for m meetings and a answers.
    static func evaluate(_ f: PairingFacts, thresholds t: HealthThresholds, now: Date) -> (HealthState, [HealthSignal]) {
        if f.ended { return (.ended, []) }
        let today = Day(now)
        let days = { (from: Day) in today.daysSince1970 - from.daysSince1970 }
        var signals: [HealthSignal] = []
        let held = f.meetings.filter { $0.status == .held }.sorted { $0.start < $1.start }
        if held.isEmpty, days(f.activatedOn) > t.firstMeetingDays {
            signals.append(HealthSignal(kind: .firstMeetingNotHeld,
                                        detail: "No meeting held \(days(f.activatedOn)) days after the pairing started (the limit is \(t.firstMeetingDays)).",
                                        action: "Ask the pair whether a first date is set; offer to help find one."))
        }
        let quietLimit = max(t.quietDays, f.cadenceWeeks * 7 + t.cadenceGraceDays)
        if let last = held.last, f.programmeRuns, days(Day(last.start)) > quietLimit {
            signals.append(HealthSignal(kind: .quiet,
                                        detail: "No meeting held for \(days(Day(last.start))) days (more than \(quietLimit)).",
                                        action: "Suggest a re-think session, or ask whether the pairing should end."))
        }
        let unlogged = f.meetings.filter { $0.status == .planned && now.timeIntervalSince($0.end) > Double(t.unloggedDays * 86_400) }
        if let oldest = unlogged.min(by: { $0.start < $1.start }) {
            signals.append(HealthSignal(kind: .unlogged,
                                        detail: "\(unlogged.count) planned meeting\(unlogged.count == 1 ? "" : "s") not logged, the oldest on \(Day(oldest.start)).",
                                        action: "Remind the pair to log whether it was held, missed or cancelled."))
        }
        if !f.agreementSigned, days(f.activatedOn) > t.unsignedDays {
            signals.append(HealthSignal(kind: .agreementUnsigned,
                                        detail: "The agreement is not signed by everyone \(days(f.activatedOn)) days after the start.",
                                        action: "Ask the pair to read and sign it together at their next meeting."))
        }
        if f.goals == 0, held.count >= t.goalAfterMeetings {
            signals.append(HealthSignal(kind: .noGoal, detail: "No goal set after \(held.count) meetings.",
                                        action: "Suggest they set one goal each at their next meeting."))
        }
        // Cancellations in a row by the same side, looking back from the latest meeting that was not simply planned.
        let settled = f.meetings.filter { $0.status != .planned }.sorted { $0.start < $1.start }
        if let side = settled.last?.cancelledBy, settled.last?.status == .cancelled {
            let run = settled.reversed().prefix { $0.status == .cancelled && $0.cancelledBy == side }.count
            if run >= t.cancellationsInARow {
                signals.append(HealthSignal(kind: .cancellations,
                                            detail: "\(run) meetings in a row cancelled by the \(side == .mentee ? "mentee (senior)" : "mentor (junior)") side.",
                                            action: side == .mentee ? "Talk to the senior about protecting a fixed slot in their diary."
                                                                    : "Ask the junior whether the timing or the workload is the obstacle."))
            }
        }
        signals += answerSignals(f.answers, thresholds: t)
        let state: HealthState
        if signals.contains(where: { $0.kind.stalls }) { state = .stalled }
        else if !signals.isEmpty { state = .atRisk }
        else {
            let latest = Dictionary(f.answers.filter { !$0.scores.isEmpty }.map { ($0.personID, $0.scores) }, uniquingKeysWith: { _, new in new })
            let all = latest.values.flatMap { $0 }
            let due = f.meetings.filter { $0.status != .planned || $0.end < now }.count
            let share = due == 0 ? 0 : Double(held.count) / Double(due)
            state = !all.isEmpty && all.min() ?? 0 >= 4 && share >= 0.8 ? .thriving : .onTrack
        }
        return (state, signals)
    }

    /// Low, falling, far apart; "not a good fit"; "we need help". Each names the member whose answer raised it.
    static func answerSignals(_ answers: [PairingFacts.Answer], thresholds t: HealthThresholds) -> [HealthSignal] {
        var signals: [HealthSignal] = []
        let byPerson = Dictionary(grouping: answers.filter { !$0.scores.isEmpty }, by: \.personID)
        let names = ["relationship", "psychological safety", "progress"]
        var latest: [UUID: [Int]] = [:]
        for (person, list) in byPerson.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let ordered = list.sorted { $0.day < $1.day }
            guard let last = ordered.last else { continue }
            latest[person] = last.scores
            if let k = last.scores.indices.first(where: { last.scores[$0] <= t.lowScore }) {
                signals.append(HealthSignal(kind: .lowScore, detail: "A member scored \(names[min(k, 2)]) \(last.scores[k]) of 5 on \(last.day).",
                                            action: "Contact that member privately; consider a re-think session.", raisedBy: person))
            } else if ordered.count > 1 {
                let before = ordered[ordered.count - 2].scores
                if let k = last.scores.indices.first(where: { $0 < before.count && before[$0] - last.scores[$0] >= t.scoreDrop }) {
                    signals.append(HealthSignal(kind: .scoreDrop,
                                                detail: "A member's \(names[min(k, 2)]) score fell from \(before[k]) to \(last.scores[k]) on \(last.day).",
                                                action: "Contact that member privately to hear what changed.", raisedBy: person))
                }
            }
        }
        if latest.count >= 2 {
            let lists = Array(latest.values)
            let apart = (0..<3).contains { k in
                let values = lists.compactMap { k < $0.count ? $0[k] : nil }
                return (values.max() ?? 0) - (values.min() ?? 0) >= t.scoresApart
            }
            if apart {
                signals.append(HealthSignal(kind: .scoresApart, detail: "The members' latest check-ins are \(t.scoresApart) or more points apart.",
                                            action: "Talk to each member separately; they may see the pairing differently."))
            }
        }
        for answer in answers where answer.notAGoodFit {
            signals.append(HealthSignal(kind: .notAGoodFit, detail: "A member answered “not a good fit” on \(answer.day).",
                                        action: "Talk to that member; offer a no-fault ending and a re-match.", raisedBy: answer.personID))
        }
        for answer in answers where answer.needsHelp {
            signals.append(HealthSignal(kind: .needsHelp, detail: "A member asked for help on \(answer.day).",
                                        action: "Read their comment and contact them.", raisedBy: answer.personID))
        }
        return signals
    }
}
