/// Scores a (mentee, mentor) pair criterion by criterion, and says which hard rule forbids it.
public struct Scoring: Sendable {
    public let settings: MatchingSettings

    public init(settings: MatchingSettings) { self.settings = settings }

    /// Each criterion in [0, 1].
    public func breakdown(mentee: Participant, mentor: Participant) -> [Criterion: Double] {
        var b: [Criterion: Double] = [:]
        let covered = Self.coverage(seeks: mentee.skillsSought, offers: mentor.skillsOffered)
        b[.skills] = settings.format == .twoWay
            ? (covered + Self.coverage(seeks: mentor.skillsSought, offers: mentee.skillsOffered)) / 2
            : covered
        b[.interests] = Self.jaccard(mentee.interests + mentee.values, mentor.interests + mentor.values)
        b[.topics] = Self.jaccard(mentee.topics, mentor.topics)
        let channels = Set(mentee.channels).intersection(mentor.channels).count
        b[.communication] = channels == 0 ? 0 : Double(channels) / Double(max(1, min(Set(mentee.channels).count, Set(mentor.channels).count)))
        var availability = Self.jaccard(mentee.availability, mentor.availability)
        if let a = mentee.utcOffset, let m = mentor.utcOffset {
            availability *= max(0, 1 - abs(a - m) / 12)
        }
        b[.availability] = availability
        let gap = mentee.level - mentor.level
        b[.seniority] = settings.format == .reverse
            ? min(1, max(0, Double(gap)) / 4)
            : max(0, 1 - Double(abs(gap)) / 6)
        let dimensions = settings.diversityDimensions.filter { mentee.diversity[$0] != nil && mentor.diversity[$0] != nil }
        b[.diversity] = settings.diversityDimensions.isEmpty ? 0
            : Double(dimensions.filter { mentee.diversity[$0] != mentor.diversity[$0] }.count) / Double(settings.diversityDimensions.count)
        b[.shortlist] = (mentee.shortlist.contains(mentor.id) ? 0.5 : 0) + (mentor.shortlist.contains(mentee.id) ? 0.5 : 0)
        return b
    }

    /// The weighted sum of the breakdown.
    public func score(_ breakdown: [Criterion: Double]) -> Double {
        breakdown.reduce(0) { $0 + (settings.weights[$1.key] ?? 0) * $1.value }
    }

    /// Why the pair may not be made, or nil when it may.
    public func forbiddenReason(mentee: Participant, mentor: Participant) -> String? {
        if mentee.id == mentor.id { return "the same person" }
        if settings.excludeReportingLine && (mentee.managers.contains(mentor.id) || mentor.managers.contains(mentee.id)) {
            return "in one reporting line"
        }
        if settings.excludeSameManagerPeers, let a = mentee.managers.first, a == mentor.managers.first {
            return "peers under one manager"
        }
        if mentee.blocks.contains(mentor.id) || mentor.blocks.contains(mentee.id) { return "one asked not to be paired with the other" }
        if settings.avoidRepeats && (mentee.earlierPartners.contains(mentor.id) || mentor.earlierPartners.contains(mentee.id)) {
            return "paired in an earlier round"
        }
        if settings.format == .reverse && mentee.level - mentor.level < settings.minimumLevelGap {
            return "less than \(settings.minimumLevelGap) levels apart"
        }
        if settings.requireDifferentDepartment && mentee.department == mentor.department { return "in the same department" }
        return nil
    }

    /// How much of what `seeks` asks for (weighted by the level sought) `offers` covers.
    static func coverage(seeks: [String: Int], offers: [String: Int]) -> Double {
        let wanted = seeks.values.reduce(0, +)
        guard wanted > 0 else { return 0 }
        var met = 0.0
        for (skill, level) in seeks where level > 0 {
            if let offered = offers[skill] { met += Double(level) * min(1, Double(offered) / Double(level)) }
        }
        return met / Double(wanted)
    }

    static func jaccard(_ a: [String], _ b: [String]) -> Double {
        let x = Set(a.map { $0.lowercased() }), y = Set(b.map { $0.lowercased() })
        let union = x.union(y).count
        return union == 0 ? 0 : Double(x.intersection(y).count) / Double(union)
    }
}
