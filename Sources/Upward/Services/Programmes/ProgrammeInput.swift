import Foundation

/// Everything a coordinator sets when designing a programme, validated in one place for the form and the API.
struct ProgrammeInput: Codable, Equatable, Sendable {
    var name: String
    var objective: ProgrammeObjective
    var objectiveText: String?
    var format: ProgrammeFormat
    var boardSize: Int?
    /// For advisory boards: how many advisors of each kind (`traditional`, `reverse`, `peer`).
    var boardMix: [String: Int]
    var topics: [String]
    var cadenceWeeks: Int
    var sessionMinutes: Int
    var sessionCount: Int
    var enrolmentOpens: String?
    var enrolmentCloses: String?
    var startsOn: String?
    var endsOn: String?
    var capacity: Int
    var mentorEligibility: Eligibility
    var menteeEligibility: Eligibility
    var minLevelGap: Int
    var groundRules: GroundRules
    var conversationStarters: [String]
    var resources: [String]
    /// The brief on policies and terminology members acknowledge before their first meeting; empty or absent: the
    /// default brief on an inclusion programme (`Preparation.brief`), none on others.
    var brief: String?
    /// When pairs check in, and the thresholds of the health signals; absent: the defaults (or, in a change, as
    /// they were). Keys left out inside either take their defaults.
    var checkInSchedule: CheckInSchedule?
    var healthThresholds: HealthThresholds?

    /// Sensible defaults per format. `reverse`: an hour every 4 weeks, 6 sessions, juniors (levels 1–3) mentor
    /// seniors (level 4 and above) at least two levels above them.
    static func defaults(for format: ProgrammeFormat, name: String = "") -> ProgrammeInput {
        var input = ProgrammeInput(
            name: name, objective: .technology, objectiveText: nil, format: format, boardSize: nil, boardMix: [:],
            topics: ["AI tools", "Social media", "Hybrid work"], cadenceWeeks: 4, sessionMinutes: 60, sessionCount: 6,
            enrolmentOpens: nil, enrolmentCloses: nil, startsOn: nil, endsOn: nil, capacity: 10,
            mentorEligibility: Eligibility(minLevel: nil, maxLevel: 3, minTenureMonths: 3),
            menteeEligibility: Eligibility(minLevel: 4, maxLevel: nil, minTenureMonths: nil),
            minLevelGap: 2, groundRules: ProgrammeDefaults.groundRules,
            conversationStarters: ProgrammeDefaults.starters, resources: ProgrammeDefaults.resources)
        switch format {
        case .reverse: break
        case .twoWay:
            input.objective = .culture
            input.cadenceWeeks = 2
            input.sessionMinutes = 45
            input.sessionCount = 8
            input.mentorEligibility = Eligibility(minTenureMonths: 3)
            input.menteeEligibility = Eligibility(minTenureMonths: 3)
            input.minLevelGap = 1
        case .advisoryBoard:
            input.objective = .strategy
            input.cadenceWeeks = 6
            input.sessionMinutes = 60
            input.sessionCount = 4
            input.boardSize = 3
            input.boardMix = [AdvisorKind.traditional.rawValue: 1, AdvisorKind.reverse.rawValue: 1, AdvisorKind.peer.rawValue: 1]
            input.mentorEligibility = .anyone
            input.menteeEligibility = Eligibility(minLevel: 4)
            input.minLevelGap = 0
            input.capacity = 5
        }
        return input
    }

    init(name: String, objective: ProgrammeObjective, objectiveText: String?, format: ProgrammeFormat, boardSize: Int?,
         boardMix: [String: Int], topics: [String], cadenceWeeks: Int, sessionMinutes: Int, sessionCount: Int,
         enrolmentOpens: String?, enrolmentCloses: String?, startsOn: String?, endsOn: String?, capacity: Int,
         mentorEligibility: Eligibility, menteeEligibility: Eligibility, minLevelGap: Int, groundRules: GroundRules,
         conversationStarters: [String], resources: [String], brief: String? = nil) {
        (self.name, self.objective, self.objectiveText, self.format, self.boardSize, self.boardMix) =
            (name, objective, objectiveText, format, boardSize, boardMix)
        (self.topics, self.cadenceWeeks, self.sessionMinutes, self.sessionCount) = (topics, cadenceWeeks, sessionMinutes, sessionCount)
        (self.enrolmentOpens, self.enrolmentCloses, self.startsOn, self.endsOn, self.capacity) =
            (enrolmentOpens, enrolmentCloses, startsOn, endsOn, capacity)
        (self.mentorEligibility, self.menteeEligibility, self.minLevelGap) = (mentorEligibility, menteeEligibility, minLevelGap)
        (self.groundRules, self.conversationStarters, self.resources, self.brief) = (groundRules, conversationStarters, resources, brief)
    }

    init(_ p: Programme) {
        self.init(name: p.name, objective: p.objective, objectiveText: p.objectiveText, format: p.format, boardSize: p.boardSize,
                  boardMix: Dictionary(uniqueKeysWithValues: p.boardMix.map { ($0.key.rawValue, $0.value) }), topics: p.topics,
                  cadenceWeeks: p.cadenceWeeks, sessionMinutes: p.sessionMinutes, sessionCount: p.sessionCount,
                  enrolmentOpens: p.enrolmentOpens, enrolmentCloses: p.enrolmentCloses, startsOn: p.startsOn, endsOn: p.endsOn,
                  capacity: p.capacity, mentorEligibility: p.mentorEligibility, menteeEligibility: p.menteeEligibility,
                  minLevelGap: p.minLevelGap, groundRules: p.groundRules, conversationStarters: p.conversationStarters,
                  resources: p.resources, brief: p.brief)
        checkInSchedule = p.checkInSchedule
        healthThresholds = p.healthThresholds
    }

    func apply(to p: Programme) {
        p.name = name.trimmed
        p.objective = objective
        p.objectiveText = objectiveText?.trimmed.nilIfEmpty
        p.format = format
        p.boardSize = format == .advisoryBoard ? boardSize : nil
        p.boardMix = format == .advisoryBoard
            ? boardMix.reduce(into: [:]) { result, entry in if let kind = AdvisorKind(rawValue: entry.key) { result[kind] = entry.value } }
            : [:]
        p.topics = topics.map(\.trimmed).filter { !$0.isEmpty }
        p.cadenceWeeks = cadenceWeeks
        p.sessionMinutes = sessionMinutes
        p.sessionCount = sessionCount
        p.enrolmentOpens = enrolmentOpens?.trimmed.nilIfEmpty
        p.enrolmentCloses = enrolmentCloses?.trimmed.nilIfEmpty
        p.startsOn = startsOn?.trimmed.nilIfEmpty
        p.endsOn = endsOn?.trimmed.nilIfEmpty
        p.capacity = capacity
        p.mentorEligibility = mentorEligibility
        p.menteeEligibility = menteeEligibility
        p.minLevelGap = minLevelGap
        p.groundRules = groundRules
        p.conversationStarters = conversationStarters.map(\.trimmed).filter { !$0.isEmpty }
        p.resources = resources.map(\.trimmed).filter { !$0.isEmpty }
        p.brief = brief?.trimmed.nilIfEmpty
        if let checkInSchedule { p.checkInSchedule = checkInSchedule }
        if let healthThresholds { p.healthThresholds = healthThresholds }
    }

    /// The ranges a check-in schedule and the health thresholds keep: (field, label, range, value).
    static func healthSettings(_ schedule: CheckInSchedule, _ t: HealthThresholds) -> [(field: String, label: String, range: ClosedRange<Int>, value: Int)] {
        [
            ("checkInSchedule.firstAfterDays", "The first check-in (days after the start)", 1...365, schedule.firstAfterDays),
            ("checkInSchedule.everyDays", "Check-ins every (days)", 7...365, schedule.everyDays),
            ("healthThresholds.firstMeetingDays", "First meeting within (days)", 1...120, t.firstMeetingDays),
            ("healthThresholds.quietDays", "No meeting for longer than (days)", 7...180, t.quietDays),
            ("healthThresholds.cadenceGraceDays", "Days of grace beyond the cadence", 0...60, t.cadenceGraceDays),
            ("healthThresholds.unloggedDays", "A meeting left unlogged for (days)", 1...60, t.unloggedDays),
            ("healthThresholds.lowScore", "A low check-in score is at or below", 1...4, t.lowScore),
            ("healthThresholds.scoreDrop", "A drop in score of", 1...4, t.scoreDrop),
            ("healthThresholds.scoresApart", "Members' scores apart by", 1...4, t.scoresApart),
            ("healthThresholds.unsignedDays", "Agreement unsigned after (days)", 1...120, t.unsignedDays),
            ("healthThresholds.goalAfterMeetings", "No goal after (meetings held)", 1...20, t.goalAfterMeetings),
            ("healthThresholds.cancellationsInARow", "Cancellations in a row by one side", 2...10, t.cancellationsInARow),
        ]
    }

    /// Every field that needs fixing, with a message that says how.
    func problems() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func add(_ field: String, _ message: String) { issues.append(FieldIssue(field: field, message: message)) }
        let name = name.trimmed
        if name.isEmpty { add("name", "Give the programme a name.") }
        if name.count > 120 { add("name", "Keep the name under 120 characters (it has \(name.count)).") }
        if objective == .custom && (objectiveText ?? "").trimmed.isEmpty {
            add("objectiveText", "Describe the objective in a sentence, since it is not one of the usual ones.")
        }
        if !(1...12).contains(cadenceWeeks) { add("cadenceWeeks", "Pairs meet every 1 to 12 weeks; \(cadenceWeeks) is outside that.") }
        if !(15...240).contains(sessionMinutes) { add("sessionMinutes", "A session lasts 15 to 240 minutes.") }
        if !(1...52).contains(sessionCount) { add("sessionCount", "Plan between 1 and 52 sessions.") }
        if !(1...10_000).contains(capacity) { add("capacity", "Capacity is the number of pairs (or boards), from 1 to 10 000.") }
        if !(0...10).contains(minLevelGap) { add("minLevelGap", "The minimum level gap is between 0 and 10.") }
        if topics.count > 30 { add("topics", "Keep to 30 topics or fewer.") }
        if let long = topics.first(where: { $0.trimmed.count > 60 }) { add("topics", "Topic “\(long.prefix(20))…” is too long: keep topics under 60 characters.") }
        var days: [String: Day] = [:]
        for (field, value, label) in [("enrolmentOpens", enrolmentOpens, "Enrolment opens"), ("enrolmentCloses", enrolmentCloses, "Enrolment closes"),
                                      ("startsOn", startsOn, "Start date"), ("endsOn", endsOn, "End date")] {
            guard let text = value?.trimmed, !text.isEmpty else { continue }
            if let day = Day(text) { days[field] = day } else { add(field, "\(label) “\(text)” is not a date: write it as YYYY-MM-DD.") }
        }
        if let opens = days["enrolmentOpens"], let closes = days["enrolmentCloses"], closes < opens {
            add("enrolmentCloses", "Enrolment closes (\(closes)) before it opens (\(opens)): swap the dates or move one.")
        }
        if let closes = days["enrolmentCloses"], let starts = days["startsOn"], starts < closes {
            add("startsOn", "The programme starts (\(starts)) before enrolment closes (\(closes)): start it on or after \(closes).")
        }
        if let starts = days["startsOn"], let ends = days["endsOn"], ends <= starts {
            add("endsOn", "The programme ends (\(ends)) on or before it starts (\(starts)): end it after \(starts).")
        }
        for (field, eligibility, side) in [("mentorEligibility", mentorEligibility, "mentors"), ("menteeEligibility", menteeEligibility, "mentees")] {
            if let low = eligibility.minLevel, let high = eligibility.maxLevel, low > high {
                add(field, "The lowest level for \(side) (\(low)) is above the highest (\(high)).")
            }
            if [eligibility.minLevel, eligibility.maxLevel].compactMap({ $0 }).contains(where: { !Person.levelRange.contains($0) }) {
                add(field, "Levels for \(side) are whole numbers from \(Person.levelRange.lowerBound) to \(Person.levelRange.upperBound).")
            }
            if let months = eligibility.minTenureMonths, !(0...600).contains(months) { add(field, "Tenure for \(side) is 0 to 600 months.") }
        }
        // Board settings are checked whatever the format: a value sent and silently ignored hides a client's mistake.
        if let size = boardSize, size > 8 { add("boardSize", "A board has at most 8 advisors.") }
        if let size = boardSize, size < 1, format != .advisoryBoard { add("boardSize", "A board has 1 to 8 advisors.") }
        if let unknown = boardMix.keys.sorted().first(where: { AdvisorKind(rawValue: $0) == nil }) {
            add("boardMix", "“\(unknown.prefix(40))” is not a kind of advisor; use traditional, reverse or peer.")
        }
        if boardMix.values.contains(where: { !(0...8).contains($0) }) { add("boardMix", "Each advisor count is between 0 and 8.") }
        if format == .advisoryBoard {
            let size = boardSize ?? 0
            if size < 1 { add("boardSize", "A board needs at least one advisor: set the board size to 1 or more.") }
            if (1...8).contains(size), boardMix.values.allSatisfy({ (0...8).contains($0) }), boardMix.values.reduce(0, +) != size {
                add("boardMix", "The mix adds up to \(boardMix.values.reduce(0, +)) advisors but the board has \(size): make them match.")
            }
        }
        for setting in Self.healthSettings(checkInSchedule ?? .defaults, healthThresholds ?? .defaults) where !setting.range.contains(setting.value) {
            add(setting.field, "\(setting.label) is a whole number from \(setting.range.lowerBound) to \(setting.range.upperBound); it was \(setting.value).")
        }
        issues += TextLimit.problems([
            ("objectiveText", objectiveText, TextLimit.paragraph),
            ("groundRules.confidentiality", groundRules.confidentiality, TextLimit.paragraph),
            ("groundRules.psychologicalSafety", groundRules.psychologicalSafety, TextLimit.paragraph),
            ("groundRules.channel", groundRules.channel, TextLimit.paragraph), ("groundRules.cadence", groundRules.cadence, TextLimit.paragraph),
            ("brief", brief, TextLimit.paragraph),
        ])
        issues += TextLimit.problems(list: "conversationStarters", conversationStarters, itemLimit: TextLimit.paragraph)
        issues += TextLimit.problems(list: "resources", resources, itemLimit: TextLimit.paragraph)
        for (field, rule) in [("groundRules.confidentiality", groundRules.confidentiality), ("groundRules.psychologicalSafety", groundRules.psychologicalSafety),
                              ("groundRules.channel", groundRules.channel), ("groundRules.cadence", groundRules.cadence)] where rule.trimmed.isEmpty {
            add(field, "Write this ground rule: pairs sign the agreement built from it.")
        }
        return issues
    }

    /// Throws `InvalidInput` listing every problem.
    func validated() throws -> ProgrammeInput {
        let issues = problems()
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return self
    }
}

/// A partial programme for the API: only the keys present change.
struct ProgrammePatch: Decodable, Sendable {
    var name: String?
    var objective: ProgrammeObjective?
    var objectiveText: String?
    var format: ProgrammeFormat?
    var boardSize: Int?
    var boardMix: [String: Int]?
    var topics: [String]?
    var cadenceWeeks: Int?
    var sessionMinutes: Int?
    var sessionCount: Int?
    var enrolmentOpens: String?
    var enrolmentCloses: String?
    var startsOn: String?
    var endsOn: String?
    var capacity: Int?
    var mentorEligibility: Eligibility?
    var menteeEligibility: Eligibility?
    var minLevelGap: Int?
    var groundRules: GroundRules?
    var conversationStarters: [String]?
    var resources: [String]?
    var brief: String?
    /// Only the keys present change; the others keep the programme's values (or the defaults, for a new one).
    var checkInSchedule: CheckInSchedulePatch?
    var healthThresholds: HealthThresholdsPatch?

    func applied(to base: ProgrammeInput) -> ProgrammeInput {
        var input = base
        if let name { input.name = name }
        if let objective { input.objective = objective }
        if let objectiveText { input.objectiveText = objectiveText }
        if let format, format != base.format {
            // A new format brings its own board settings.
            let defaults = ProgrammeInput.defaults(for: format)
            input.format = format
            input.boardSize = defaults.boardSize
            input.boardMix = defaults.boardMix
        }
        if let boardSize { input.boardSize = boardSize }
        if let boardMix { input.boardMix = boardMix }
        if let topics { input.topics = topics }
        if let cadenceWeeks { input.cadenceWeeks = cadenceWeeks }
        if let sessionMinutes { input.sessionMinutes = sessionMinutes }
        if let sessionCount { input.sessionCount = sessionCount }
        if let enrolmentOpens { input.enrolmentOpens = enrolmentOpens }
        if let enrolmentCloses { input.enrolmentCloses = enrolmentCloses }
        if let startsOn { input.startsOn = startsOn }
        if let endsOn { input.endsOn = endsOn }
        if let capacity { input.capacity = capacity }
        if let mentorEligibility { input.mentorEligibility = mentorEligibility }
        if let menteeEligibility { input.menteeEligibility = menteeEligibility }
        if let minLevelGap { input.minLevelGap = minLevelGap }
        if let groundRules { input.groundRules = groundRules }
        if let conversationStarters { input.conversationStarters = conversationStarters }
        if let resources { input.resources = resources }
        if let brief { input.brief = brief }
        if let checkInSchedule { input.checkInSchedule = checkInSchedule.applied(to: base.checkInSchedule ?? .defaults) }
        if let healthThresholds { input.healthThresholds = healthThresholds.applied(to: base.healthThresholds ?? .defaults) }
        return input
    }
}

/// A change to a check-in schedule: the keys present.
struct CheckInSchedulePatch: Codable, Sendable {
    var firstAfterDays: Int?
    var everyDays: Int?
    var fitCheck: Bool?

    func applied(to s: CheckInSchedule) -> CheckInSchedule {
        var out = s
        if let firstAfterDays { out.firstAfterDays = firstAfterDays }
        if let everyDays { out.everyDays = everyDays }
        if let fitCheck { out.fitCheck = fitCheck }
        return out
    }
}

/// A change to the health thresholds: the keys present.
struct HealthThresholdsPatch: Codable, Sendable {
    var firstMeetingDays: Int?, quietDays: Int?, cadenceGraceDays: Int?, unloggedDays: Int?, lowScore: Int?, scoreDrop: Int?
    var scoresApart: Int?, unsignedDays: Int?, goalAfterMeetings: Int?, cancellationsInARow: Int?

    func applied(to t: HealthThresholds) -> HealthThresholds {
        var out = t
        let pairs: [(Int?, WritableKeyPath<HealthThresholds, Int>)] = [
            (firstMeetingDays, \.firstMeetingDays), (quietDays, \.quietDays), (cadenceGraceDays, \.cadenceGraceDays),
            (unloggedDays, \.unloggedDays), (lowScore, \.lowScore), (scoreDrop, \.scoreDrop), (scoresApart, \.scoresApart),
            (unsignedDays, \.unsignedDays), (goalAfterMeetings, \.goalAfterMeetings), (cancellationsInARow, \.cancellationsInARow),
        ]
        for (value, key) in pairs { if let value { out[keyPath: key] = value } }
        return out
    }
}

enum ProgrammeDefaults {
    static let groundRules = GroundRules(
        confidentiality: "What we discuss stays between us unless we both agree to share it.",
        psychologicalSafety: "No question is naive; we listen to learn, disagree with respect, and rank does not win arguments.",
        channel: "We meet on video unless we are in the same office, and use chat between sessions.",
        cadence: "We meet as the programme plans and reschedule rather than cancel; the senior partner does not cancel twice in a row.")
    static let starters = [
        "What is one thing about how we work that would surprise our leaders?",
        "Show me a tool you use every day that I have never opened.",
        "What did you expect from this company before you joined, and what did you find?",
    ]
    static let resources = [
        "Guide: getting the most from reverse mentoring (both sides)",
        "Checklist for a first session",
    ]
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
