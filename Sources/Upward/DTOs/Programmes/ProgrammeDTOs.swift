import Matching
import Vapor

/// A programme over the API: its design (the same keys `POST`/`PATCH` take) plus its state.
struct ProgrammeDTO: Content {
    var id: UUID
    var status: ProgrammeStatus
    var round: Int
    var previousId: UUID?
    var lessons: String?
    var stories: [Story]
    /// The actions that may move it on from its current status.
    var actions: [ProgrammeAction]
    var settings: ProgrammeInput
    /// On a single programme: what will not work as meant although it is valid (an eligibility nobody meets).
    var warnings: [String]?

    init(_ p: Programme, warnings: [String]? = nil) {
        self.warnings = warnings
        id = p.id ?? UUID()
        status = p.status
        round = p.round
        previousId = p.$previous.id
        lessons = p.lessons
        stories = p.stories
        actions = ProgrammeAction.available(from: p.status)
        settings = ProgrammeInput(p)
    }

    enum StateKeys: String, CodingKey { case id, status, round, previousId, lessons, stories, actions, warnings }

    /// Flat: the settings' keys sit beside the state's.
    func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var c = encoder.container(keyedBy: StateKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(round, forKey: .round)
        try c.encode(previousId, forKey: .previousId)
        try c.encode(lessons, forKey: .lessons)
        try c.encode(stories, forKey: .stories)
        try c.encode(actions, forKey: .actions)
        try c.encodeIfPresent(warnings, forKey: .warnings)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: StateKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        status = try c.decode(ProgrammeStatus.self, forKey: .status)
        round = try c.decode(Int.self, forKey: .round)
        previousId = try c.decodeIfPresent(UUID.self, forKey: .previousId)
        lessons = try c.decodeIfPresent(String.self, forKey: .lessons)
        stories = try c.decode([Story].self, forKey: .stories)
        actions = try c.decode([ProgrammeAction].self, forKey: .actions)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings)
        settings = try ProgrammeInput(from: decoder)
    }
}

/// An application over the API. Coordinators see everyone's; a participant only their own. No diversity data.
struct ApplicationDTO: Content {
    struct Applicant: Content {
        var id: UUID
        var name: String
        var department: String
        var level: Int
    }

    var id: UUID
    var programmeId: UUID
    var applicant: Applicant?
    var status: ApplicationStatus
    var waitlistPosition: Int?
    var motivationReview: Int?
    var submittedAt: Date?
    var decidedAt: Date?
    var answers: ApplicationInput
    /// Matching wishes (person ids): seen only by the applicant and coordinators.
    var preferred: [UUID]
    var avoided: [UUID]

    init(_ a: ProgrammeApplication, person: Person?) {
        id = a.id ?? UUID()
        programmeId = a.$programme.id
        applicant = person.map { Applicant(id: $0.id ?? UUID(), name: $0.name, department: $0.department, level: $0.level) }
        status = a.status
        waitlistPosition = a.waitlistPosition
        motivationReview = a.motivationReview
        submittedAt = a.submittedAt
        decidedAt = a.decidedAt
        answers = ApplicationInput(a)
        preferred = a.preferred
        avoided = a.avoided
    }
}

struct DecisionDTO: Content {
    var status: ApplicationStatus
    var decidedBy: String
    var note: String?
    var at: Date?
}

struct RankedDTO: Content {
    var rank: Int
    var points: Double
    var firstTime: Bool
    var breakdown: [String: Double]
    var application: ApplicationDTO
}

struct InvitationDTO: Content {
    var personId: UUID
    var name: String
    var department: String
    var level: Int
    var audience: String
    var invitedAt: Date?
    var openedAt: Date?
    var application: ApplicationStatus?
}

/// Matching settings over the API as a patch: only the keys sent change, on top of the programme's current
/// settings (its last run's, or its format's defaults). The format always follows the programme.
struct MatchingSettingsPatch: Codable, Sendable {
    var format: String?
    var weights: [String: Double]?
    var excludeReportingLine: Bool?
    var excludeSameManagerPeers: Bool?
    var minimumLevelGap: Int?
    var requireDifferentDepartment: Bool?
    var avoidRepeats: Bool?
    var mentorCapacity: Int?
    var boardSize: Int?
    var stable: Bool?
    var diversityDimensions: [String]?

    func applied(to base: MatchingSettings) throws -> MatchingSettings {
        var s = base
        var issues: [FieldIssue] = []
        if let format, format != base.format.rawValue {
            issues.append(FieldIssue(field: "settings.format", message: "The format follows the programme (\(base.format.rawValue)); leave it out."))
        }
        for (key, value) in weights ?? [:] {
            if let criterion = Criterion(rawValue: key) {
                s.weights[criterion] = value
            } else {
                issues.append(FieldIssue(field: "settings.weights.\(key.prefix(40))",
                                         message: "“\(key.prefix(40))” is not a criterion; use \(Criterion.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        s.excludeReportingLine = excludeReportingLine ?? s.excludeReportingLine
        s.excludeSameManagerPeers = excludeSameManagerPeers ?? s.excludeSameManagerPeers
        s.minimumLevelGap = minimumLevelGap ?? s.minimumLevelGap
        s.requireDifferentDepartment = requireDifferentDepartment ?? s.requireDifferentDepartment
        s.avoidRepeats = avoidRepeats ?? s.avoidRepeats
        s.mentorCapacity = mentorCapacity ?? s.mentorCapacity
        s.boardSize = boardSize ?? s.boardSize
        s.stable = stable ?? s.stable
        s.diversityDimensions = diversityDimensions ?? s.diversityDimensions
        return s
    }
}
