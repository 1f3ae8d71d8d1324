import Fluent
import Foundation

/// Why a programme runs (DESIGN.md, "Programme").
enum ProgrammeObjective: String, Codable, CaseIterable, Sendable {
    case technology, culture, inclusion, strategy, custom

    var label: String {
        switch self {
        case .technology: "Technology and digital skills"
        case .culture: "Culture and the lived experience of the organisation"
        case .inclusion: "Inclusion and diversity"
        case .strategy: "Strategy and change"
        case .custom: "Something else"
        }
    }
}

/// Who teaches whom (DESIGN.md, "Format").
enum ProgrammeFormat: String, Codable, CaseIterable, Sendable {
    case reverse, twoWay, advisoryBoard

    var label: String {
        switch self {
        case .reverse: "Reverse mentoring (the junior is the mentor)"
        case .twoWay: "Two-way (each teaches the other)"
        case .advisoryBoard: "Advisory board (a person gets several advisors)"
        }
    }

    /// What the two sides are called in sentences, plural: the side that gives (mentors) and the side that learns.
    var sideNames: (givers: String, takers: String) {
        switch self {
        case .reverse: ("reverse mentors", "mentees")
        case .twoWay: ("partners", "partners")
        case .advisoryBoard: ("advisors", "board holders")
        }
    }

    /// The roles an applicant may choose.
    var roles: [ApplicationRole] {
        switch self {
        case .reverse: [.mentor, .mentee]
        case .twoWay: [.both]
        case .advisoryBoard: [.mentor, .mentee, .both]
        }
    }
}

/// A programme's stage. It moves only by explicit actions (`ProgrammeAction`).
enum ProgrammeStatus: String, Codable, CaseIterable, Sendable {
    case draft, enrolling, selecting, matching, running, closed

    var label: String { rawValue.capitalized }

    /// Participants may leave on their own until the programme runs; after that, through the coordinator.
    var allowsWithdrawal: Bool { [.enrolling, .selecting, .matching].contains(self) }
}

/// The kinds of advisor on an advisory board.
enum AdvisorKind: String, Codable, CaseIterable, Sendable {
    case traditional, reverse, peer

    var label: String {
        switch self {
        case .traditional: "traditional mentor (more senior)"
        case .reverse: "reverse mentor (more junior)"
        case .peer: "peer (same level)"
        }
    }
}

/// The agreement template pairs will sign.
struct GroundRules: Codable, Equatable, Sendable {
    var confidentiality: String
    var psychologicalSafety: String
    var channel: String
    var cadence: String
}

/// A quote from an earlier round, shown when the next round is publicised.
struct Story: Codable, Equatable, Sendable {
    var quote: String
    var by: String
}

/// Who may apply as which role: a level range and a minimum tenure, each optional.
struct Eligibility: Codable, Equatable, Sendable {
    var minLevel: Int?
    var maxLevel: Int?
    var minTenureMonths: Int?

    static let anyone = Eligibility()

    var summary: String {
        var parts: [String] = []
        switch (minLevel, maxLevel) {
        case let (low?, high?): parts.append(low == high ? "level \(low)" : "levels \(low)–\(high)")
        case let (low?, nil): parts.append("level \(low) and above")
        case let (nil, high?): parts.append("level \(high) and below")
        default: break
        }
        if let months = minTenureMonths, months > 0 { parts.append("at least \(months) months with us") }
        return parts.isEmpty ? "everyone" : parts.joined(separator: ", ")
    }
}

/// One round (cohort) of a reverse mentoring programme.
final class Programme: Model, @unchecked Sendable {
    static let schema = "programmes"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Enum(key: "objective") var objective: ProgrammeObjective
    @OptionalField(key: "objective_text") var objectiveText: String?
    @Enum(key: "format") var format: ProgrammeFormat
    @OptionalField(key: "board_size") var boardSize: Int?
    @Field(key: "board_mix") var boardMixJSON: String
    @Field(key: "topics") var topicsJSON: String
    @Field(key: "cadence_weeks") var cadenceWeeks: Int
    @Field(key: "session_minutes") var sessionMinutes: Int
    @Field(key: "session_count") var sessionCount: Int
    @OptionalField(key: "enrolment_opens") var enrolmentOpens: String?
    @OptionalField(key: "enrolment_closes") var enrolmentCloses: String?
    @OptionalField(key: "starts_on") var startsOn: String?
    @OptionalField(key: "ends_on") var endsOn: String?
    @Field(key: "capacity") var capacity: Int
    @Field(key: "mentor_eligibility") var mentorEligibilityJSON: String
    @Field(key: "mentee_eligibility") var menteeEligibilityJSON: String
    @Field(key: "min_level_gap") var minLevelGap: Int
    @Field(key: "ground_rules") var groundRulesJSON: String
    @Field(key: "conversation_starters") var startersJSON: String
    @Field(key: "resources") var resourcesJSON: String
    @Field(key: "stories") var storiesJSON: String
    @OptionalField(key: "lessons") var lessons: String?
    /// The brief on policies and terminology members acknowledge before their first meeting (inclusion programmes);
    /// nil: the default brief for the programme's objective, if it has one.
    @OptionalField(key: "brief") var brief: String?
    @Field(key: "check_in_schedule") var checkInScheduleJSON: String
    @Field(key: "health_thresholds") var healthThresholdsJSON: String
    @Enum(key: "status") var status: ProgrammeStatus
    @Field(key: "round") var round: Int
    @OptionalParent(key: "previous_id") var previous: Programme?
    @OptionalField(key: "created_by") var createdBy: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// Settings added after the first programmes were made start as `{}`: the defaults.
    init() {
        checkInScheduleJSON = "{}"
        healthThresholdsJSON = "{}"
    }

    var boardMix: [AdvisorKind: Int] {
        get { JSONText.decode([String: Int].self, boardMixJSON).reduce(into: [:]) { result, entry in
            if let kind = AdvisorKind(rawValue: entry.key) { result[kind] = entry.value } } }
        set { boardMixJSON = JSONText.encode(Dictionary(uniqueKeysWithValues: newValue.map { ($0.key.rawValue, $0.value) })) }
    }
    @JSONColumn(\Programme.$topicsJSON, default: []) var topics: [String]
    @JSONColumn(\Programme.$mentorEligibilityJSON, default: .anyone) var mentorEligibility: Eligibility
    @JSONColumn(\Programme.$menteeEligibilityJSON, default: .anyone) var menteeEligibility: Eligibility
    @JSONColumn(\Programme.$groundRulesJSON, default: ProgrammeDefaults.groundRules) var groundRules: GroundRules
    @JSONColumn(\Programme.$startersJSON, default: []) var conversationStarters: [String]
    @JSONColumn(\Programme.$resourcesJSON, default: []) var resources: [String]
    @JSONColumn(\Programme.$storiesJSON, default: []) var stories: [Story]
    /// When pairs check in; `{}` (the default) reads as `CheckInSchedule.defaults`.
    @JSONColumn(\Programme.$checkInScheduleJSON, default: .defaults) var checkInSchedule: CheckInSchedule
    @JSONColumn(\Programme.$healthThresholdsJSON, default: .defaults) var healthThresholds: HealthThresholds
}

/// The role a person applies for.
enum ApplicationRole: String, Codable, CaseIterable, Sendable {
    case mentor, mentee, both

    func label(in format: ProgrammeFormat) -> String {
        switch (format, self) {
        case (.reverse, .mentor): "Reverse mentor"
        case (.reverse, .mentee): "Mentee (the senior learner)"
        case (.twoWay, _): "Partner (teach and learn)"
        case (.advisoryBoard, .mentor): "Advisor on someone's board"
        case (.advisoryBoard, .mentee): "Board holder (gets a board of advisors)"
        case (_, .both): "Both mentor and mentee"
        case (_, .mentor): "Mentor"
        case (_, .mentee): "Mentee"
        }
    }

    var mentors: Bool { self != .mentee }
    var mentees: Bool { self != .mentor }
}

/// Where an application stands (DESIGN.md, "ProgrammeApplication"); `draft` until submitted.
enum ApplicationStatus: String, Codable, CaseIterable, Sendable {
    case draft, submitted, selected, waitlisted, declined, withdrawn

    var label: String {
        switch self {
        case .draft: "Draft (not submitted)"
        case .submitted: "Submitted, awaiting selection"
        case .selected: "Selected"
        case .waitlisted: "On the waiting list"
        case .declined: "Not selected this round"
        case .withdrawn: "Withdrawn"
        }
    }

    /// Counts as applied in the balance and in selection.
    var isActive: Bool { Self.active.contains(self) }
    static let active: [ApplicationStatus] = [.submitted, .selected, .waitlisted]
    /// Shows as "applied" in a programme's invitations: submitted, whatever was decided since, and not withdrawn.
    var countsAsApplied: Bool { self != .draft && self != .withdrawn }
    /// Still the applicant's to change: a draft, or submitted and not decided yet.
    var isEditable: Bool { self == .draft || self == .submitted }
    /// The applicant may still withdraw it (while the programme allows leaving, `ProgrammeStatus.allowsWithdrawal`).
    var isWithdrawable: Bool { isEditable || self == .selected || self == .waitlisted }
}

enum CommunicationChannel: String, Codable, CaseIterable, Sendable {
    case inPerson, video, phone, chat, email

    var label: String {
        switch self {
        case .inPerson: "In person"
        case .video: "Video call"
        case .phone: "Phone"
        case .chat: "Chat"
        case .email: "Email"
        }
    }
}

/// A skill with a level from 1 (beginner) to 5 (expert).
struct SkillLevel: Codable, Equatable, Sendable {
    var name: String
    var level: Int
}

/// Strengths, weaknesses, opportunities, threats: a personal SWOT.
struct SWOT: Codable, Equatable, Sendable {
    var strengths = ""
    var weaknesses = ""
    var opportunities = ""
    var threats = ""

    init(strengths: String = "", weaknesses: String = "", opportunities: String = "", threats: String = "") {
        (self.strengths, self.weaknesses, self.opportunities, self.threats) = (strengths, weaknesses, opportunities, threats)
    }

    /// Every part is optional: an applicant may fill in only their strengths.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        strengths = try c.decodeIfPresent(String.self, forKey: .strengths) ?? ""
        weaknesses = try c.decodeIfPresent(String.self, forKey: .weaknesses) ?? ""
        opportunities = try c.decodeIfPresent(String.self, forKey: .opportunities) ?? ""
        threats = try c.decodeIfPresent(String.self, forKey: .threats) ?? ""
    }

    enum CodingKeys: String, CodingKey { case strengths, weaknesses, opportunities, threats }
}

/// The re-match offer after a pairing ends early.
enum RematchAnswer: String, Codable, Sendable {
    /// Offered, not answered yet.
    case offered
    case wanted, declined
}

/// A person's enrolment in a programme.
final class ProgrammeApplication: Model, @unchecked Sendable {
    static let schema = "applications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "person_id") var person: Person
    @Enum(key: "role") var role: ApplicationRole
    @Enum(key: "status") var status: ApplicationStatus
    @Field(key: "skills_offered") var skillsOfferedJSON: String
    @Field(key: "skills_sought") var skillsSoughtJSON: String
    @Field(key: "topics") var topicsJSON: String
    @Field(key: "interests") var interestsJSON: String
    @Field(key: "personal_values") var valuesJSON: String
    @Field(key: "goals") var goals: String
    @Field(key: "swot") var swotJSON: String
    @Field(key: "motivation") var motivation: String
    @Field(key: "communication") var communicationJSON: String
    @Field(key: "availability") var availabilityJSON: String
    @OptionalField(key: "time_zone") var timeZone: String?
    @Field(key: "commitment_acknowledged") var commitmentAcknowledged: Bool
    @Field(key: "diversity_consent") var diversityConsent: Bool
    /// The coordinator's review of the motivation, 1–5.
    @OptionalField(key: "motivation_review") var motivationReview: Int?
    @OptionalField(key: "waitlist_position") var waitlistPosition: Int?
    /// People this applicant would like to be matched with, and would rather not be (person ids).
    /// Private to the applicant and the coordinator.
    @Field(key: "preferred") var preferredJSON: String
    @Field(key: "avoided") var avoidedJSON: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// After a pairing of theirs ended early: whether they want a new partner for the rest of the programme. Only
    /// nil (never paired, or still paired) and `wanted` put them in a re-matching run; nobody is re-matched unasked.
    @OptionalEnum(key: "rematch") var rematch: RematchAnswer?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    @JSONColumn(\ProgrammeApplication.$skillsOfferedJSON, default: []) var skillsOffered: [SkillLevel]
    @JSONColumn(\ProgrammeApplication.$skillsSoughtJSON, default: []) var skillsSought: [SkillLevel]
    @JSONColumn(\ProgrammeApplication.$topicsJSON, default: []) var topics: [String]
    @JSONColumn(\ProgrammeApplication.$interestsJSON, default: []) var interests: [String]
    @JSONColumn(\ProgrammeApplication.$valuesJSON, default: []) var values: [String]
    @JSONColumn(\ProgrammeApplication.$swotJSON, default: SWOT()) var swot: SWOT
    @JSONColumn(\ProgrammeApplication.$communicationJSON, default: []) var communication: [CommunicationChannel]
    @JSONColumn(\ProgrammeApplication.$availabilityJSON, default: []) var availability: [String]
    @JSONColumn(\ProgrammeApplication.$preferredJSON, default: []) var preferred: [UUID]
    @JSONColumn(\ProgrammeApplication.$avoidedJSON, default: []) var avoided: [UUID]
}

/// Every selection decision, with who made it and when: the audit trail of selection.
final class SelectionDecision: Model, @unchecked Sendable {
    static let schema = "selection_decisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: ProgrammeApplication
    @Enum(key: "status") var status: ApplicationStatus
    @Field(key: "decided_by") var decidedBy: String
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(applicationID: UUID, status: ApplicationStatus, decidedBy: String, note: String? = nil) {
        self.$application.id = applicationID
        self.status = status
        self.decidedBy = decidedBy
        self.note = note
    }
}

/// A person invited to apply to a programme, and whether they opened its page.
final class ProgrammeInvitation: Model, @unchecked Sendable {
    static let schema = "programme_invitations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "person_id") var person: Person
    @Field(key: "audience") var audience: String
    @Field(key: "invited_by") var invitedBy: String
    @OptionalField(key: "opened_at") var openedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// JSON in a text column: the same on SQLite and PostgreSQL, and readable in either's shell.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T where T: ExpressibleByArrayLiteral {
        (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? []
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T where T: ExpressibleByDictionaryLiteral {
        (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? [:]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, default value: T) -> T {
        (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? value
    }
}

extension Programme {
    /// The time a participant commits to, the one sentence every page, form and message uses:
    /// "6 sessions of 60 minutes, every 4 weeks".
    var commitment: String {
        "\(sessionCount) sessions of \(sessionMinutes) minutes, every \(cadenceWeeks) week\(cadenceWeeks == 1 ? "" : "s")"
    }
}
