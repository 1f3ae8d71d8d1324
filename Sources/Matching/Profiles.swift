/// A participant as the matching engine sees them: what they offer and seek, what they care
/// about, how and when they can meet, where they sit in the organisation, and their own wishes.
public struct Participant: Codable, Sendable, Equatable {
    public enum Channel: String, Codable, Sendable, CaseIterable {
        case inPerson, video, phone, chat, email

        var phrase: String {
            switch self {
            case .inPerson: return "in person"
            case .video: return "on video"
            case .phone: return "by phone"
            case .chat: return "by chat"
            case .email: return "by email"
            }
        }
    }

    public var id: String
    public var name: String
    /// Integer grade, higher is more senior.
    public var level: Int
    public var department: String
    /// Managers above, nearest first (manager, skip-level, …): the reporting line.
    public var managers: [String]
    /// Skill → level 1–5.
    public var skillsOffered: [String: Int]
    public var skillsSought: [String: Int]
    public var interests: [String]
    public var values: [String]
    public var topics: [String]
    public var channels: [Channel]
    /// Free slots such as "mon-am" or "thu-pm".
    public var availability: [String]
    /// Offset from UTC in hours, for overlapping working days.
    public var utcOffset: Double?
    /// Self-declared diversity attributes, present only with the person's consent to use them for matching.
    public var diversity: [String: String]
    /// People this participant would like to be matched with, and would rather not be.
    public var shortlist: [String]
    public var blocks: [String]
    /// Partners from earlier rounds.
    public var earlierPartners: [String]

    public init(id: String, name: String, level: Int, department: String, managers: [String] = [],
                skillsOffered: [String: Int] = [:], skillsSought: [String: Int] = [:], interests: [String] = [],
                values: [String] = [], topics: [String] = [], channels: [Channel] = [], availability: [String] = [],
                utcOffset: Double? = nil, diversity: [String: String] = [:], shortlist: [String] = [],
                blocks: [String] = [], earlierPartners: [String] = []) {
        self.id = id
        self.name = name
        self.level = level
        self.department = department
        self.managers = managers
        self.skillsOffered = skillsOffered
        self.skillsSought = skillsSought
        self.interests = interests
        self.values = values
        self.topics = topics
        self.channels = channels
        self.availability = availability
        self.utcOffset = utcOffset
        self.diversity = diversity
        self.shortlist = shortlist
        self.blocks = blocks
        self.earlierPartners = earlierPartners
    }

    enum CodingKeys: String, CodingKey {
        case id, name, level, department, managers, skillsOffered, skillsSought, interests, values, topics, channels,
             availability, utcOffset, diversity, shortlist, blocks, earlierPartners
    }

    /// Every field but `id`, `name`, `level` and `department` may be left out of a profile file.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            level: try c.decode(Int.self, forKey: .level),
            department: try c.decode(String.self, forKey: .department),
            managers: try c.decodeIfPresent([String].self, forKey: .managers) ?? [],
            skillsOffered: try c.decodeIfPresent([String: Int].self, forKey: .skillsOffered) ?? [:],
            skillsSought: try c.decodeIfPresent([String: Int].self, forKey: .skillsSought) ?? [:],
            interests: try c.decodeIfPresent([String].self, forKey: .interests) ?? [],
            values: try c.decodeIfPresent([String].self, forKey: .values) ?? [],
            topics: try c.decodeIfPresent([String].self, forKey: .topics) ?? [],
            channels: try c.decodeIfPresent([Channel].self, forKey: .channels) ?? [],
            availability: try c.decodeIfPresent([String].self, forKey: .availability) ?? [],
            utcOffset: try c.decodeIfPresent(Double.self, forKey: .utcOffset),
            diversity: try c.decodeIfPresent([String: String].self, forKey: .diversity) ?? [:],
            shortlist: try c.decodeIfPresent([String].self, forKey: .shortlist) ?? [],
            blocks: try c.decodeIfPresent([String].self, forKey: .blocks) ?? [],
            earlierPartners: try c.decodeIfPresent([String].self, forKey: .earlierPartners) ?? [])
    }
}

/// How a programme pairs people (DESIGN.md, Format).
public enum Format: String, Codable, Sendable {
    /// The junior is the mentor.
    case reverse
    /// Each teaches the other: skills count both ways.
    case twoWay
    /// Each mentee gets a board of several mentors, at most one per department.
    case advisoryBoard
}

/// The criteria a score is made of; each is a number in [0, 1].
public enum Criterion: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Comparable {
    case skills, interests, topics, communication, availability, seniority, diversity, shortlist

    public static func < (a: Criterion, b: Criterion) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    public var label: String {
        switch self {
        case .skills: return "skill coverage"
        case .interests: return "shared interests and values"
        case .topics: return "topic fit"
        case .communication: return "communication"
        case .availability: return "availability"
        case .seniority: return "seniority gap"
        case .diversity: return "difference on chosen diversity dimensions"
        case .shortlist: return "their own shortlists"
        }
    }
}

/// Programme settings for matching: weights the coordinator sees and edits, and hard rules.
public struct MatchingSettings: Codable, Sendable, Equatable {
    public var format: Format
    public var weights: [Criterion: Double]
    /// Never pair someone with their manager or skip-level (or anyone above them in their reporting line).
    public var excludeReportingLine: Bool
    /// Also keep apart people who share a manager.
    public var excludeSameManagerPeers: Bool
    /// For `reverse`: the mentee must be at least this many levels above the mentor.
    public var minimumLevelGap: Int
    public var requireDifferentDepartment: Bool
    public var avoidRepeats: Bool
    /// Mentees each mentor may take.
    public var mentorCapacity: Int
    /// Mentors per mentee for `advisoryBoard`.
    public var boardSize: Int
    /// Deferred acceptance instead of the highest total.
    public var stable: Bool
    /// The diversity attributes (with consent) whose *difference* the `diversity` criterion rewards.
    public var diversityDimensions: [String]

    public static func defaults(for format: Format) -> MatchingSettings {
        MatchingSettings(
            format: format,
            weights: [.skills: 3, .interests: 2, .topics: 1.5, .communication: 1, .availability: 1,
                      .seniority: format == .reverse ? 1 : 0.5, .diversity: 0.5, .shortlist: 2],
            excludeReportingLine: true, excludeSameManagerPeers: false,
            minimumLevelGap: format == .reverse ? 2 : 0, requireDifferentDepartment: false, avoidRepeats: true,
            mentorCapacity: 1, boardSize: format == .advisoryBoard ? 3 : 1, stable: false, diversityDimensions: [])
    }

    public init(format: Format, weights: [Criterion: Double], excludeReportingLine: Bool, excludeSameManagerPeers: Bool,
                minimumLevelGap: Int, requireDifferentDepartment: Bool, avoidRepeats: Bool, mentorCapacity: Int,
                boardSize: Int, stable: Bool, diversityDimensions: [String]) {
        self.format = format
        self.weights = weights
        self.excludeReportingLine = excludeReportingLine
        self.excludeSameManagerPeers = excludeSameManagerPeers
        self.minimumLevelGap = minimumLevelGap
        self.requireDifferentDepartment = requireDifferentDepartment
        self.avoidRepeats = avoidRepeats
        self.mentorCapacity = mentorCapacity
        self.boardSize = boardSize
        self.stable = stable
        self.diversityDimensions = diversityDimensions
    }

    /// Settings in a profile file may name only what differs from the format's defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try c.decodeIfPresent(Format.self, forKey: .format) ?? .reverse
        var s = MatchingSettings.defaults(for: format)
        if let weights = try c.decodeIfPresent([String: Double].self, forKey: .weights) {
            for (key, value) in weights {
                guard let criterion = Criterion(rawValue: key) else {
                    throw DecodingError.dataCorruptedError(forKey: .weights, in: c, debugDescription:
                        "unknown criterion '\(key)'; use \(Criterion.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                s.weights[criterion] = value
            }
        }
        s.excludeReportingLine = try c.decodeIfPresent(Bool.self, forKey: .excludeReportingLine) ?? s.excludeReportingLine
        s.excludeSameManagerPeers = try c.decodeIfPresent(Bool.self, forKey: .excludeSameManagerPeers) ?? s.excludeSameManagerPeers
        s.minimumLevelGap = try c.decodeIfPresent(Int.self, forKey: .minimumLevelGap) ?? s.minimumLevelGap
        s.requireDifferentDepartment = try c.decodeIfPresent(Bool.self, forKey: .requireDifferentDepartment) ?? s.requireDifferentDepartment
        s.avoidRepeats = try c.decodeIfPresent(Bool.self, forKey: .avoidRepeats) ?? s.avoidRepeats
        s.mentorCapacity = try c.decodeIfPresent(Int.self, forKey: .mentorCapacity) ?? s.mentorCapacity
        s.boardSize = try c.decodeIfPresent(Int.self, forKey: .boardSize) ?? s.boardSize
        s.stable = try c.decodeIfPresent(Bool.self, forKey: .stable) ?? s.stable
        s.diversityDimensions = try c.decodeIfPresent([String].self, forKey: .diversityDimensions) ?? s.diversityDimensions
        self = s
    }
}
