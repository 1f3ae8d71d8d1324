/// Plain sentences about a match. Participants' sentences never mention diversity attributes (confidential,
/// used only with consent, to score) nor the other side's wishes or blocks (private to whoever made them).
enum Explanation {
    static func forMentee(_ mentee: Participant, mentor: Participant, format: Format) -> String {
        sentence(you: mentee, other: mentor, youLearn: true, format: format)
    }

    static func forMentor(_ mentor: Participant, mentee: Participant, format: Format) -> String {
        sentence(you: mentor, other: mentee, youLearn: false, format: format)
    }

    private static func sentence(you: Participant, other: Participant, youLearn: Bool, format: Format) -> String {
        var parts: [String] = []
        let first = other.name.split(separator: " ").first.map(String.init) ?? other.name
        let shared = common(you.interests + you.values, other.interests + other.values)
        if !shared.isEmpty { parts.append("you both care about \(list(shared.prefix(2)))") }
        let learner = youLearn ? you : other, teacher = youLearn ? other : you
        let taught = learner.skillsSought.keys.filter { teacher.skillsOffered[$0] != nil }.sorted()
        if !taught.isEmpty {
            parts.append(youLearn ? "\(first) offers \(list(taught.prefix(2))), which you asked for"
                                  : "you offer \(list(taught.prefix(2))), which \(first) wants to learn")
        }
        if format == .twoWay {
            let back = teacher.skillsSought.keys.filter { learner.skillsOffered[$0] != nil }.sorted()
            if !back.isEmpty {
                parts.append(youLearn ? "you can teach \(first) \(list(back.prefix(2)))" : "\(first) can teach you \(list(back.prefix(2)))")
            }
        }
        let topics = common(you.topics, other.topics)
        if !topics.isEmpty { parts.append("you share an interest in \(list(topics.prefix(2)))") }
        if let channel = Participant.Channel.allCases.first(where: { you.channels.contains($0) && other.channels.contains($0) }) {
            parts.append("you can both meet \(channel.phrase)")
        }
        // Only your own wish: whether the other asked for you is theirs to tell, so it is never said.
        if you.shortlist.contains(other.id) {
            parts.append("you asked for \(first)")
        }
        if parts.isEmpty { return "\(other.name) is the best fit the programme's rules allow this round." }
        let text = parts.joined(separator: "; ") + "."
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    static func forCoordinator(_ breakdown: [Criterion: Double], weights: [Criterion: Double]) -> String {
        let parts = breakdown.filter { $0.value > 0 && (weights[$0.key] ?? 0) > 0 }
            .sorted { (weights[$0.key] ?? 0) * $0.value > (weights[$1.key] ?? 0) * $1.value || ((weights[$0.key] ?? 0) * $0.value == (weights[$1.key] ?? 0) * $1.value && $0.key < $1.key) }
            .prefix(3)
            .map { "\($0.key.label) \(Int(($0.value * 100).rounded()))%" }
        return parts.isEmpty ? "No criterion scores above zero." : "Strongest: " + parts.joined(separator: ", ") + "."
    }

    static func unmatched(reasons: [String: Int], mentors: Int, allowed: Int, placed: Int, board: Int) -> String {
        if mentors == 0 { return "There are no mentors in this run." }
        if allowed == 0 {
            if reasons.count == 1, let only = reasons.first {
                return mentors == 1 ? "The only mentor is ruled out: \(only.key)." : "Every mentor is ruled out: \(only.key)."
            }
            let detail = reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }
            return "Every mentor is ruled out: " + detail.joined(separator: ", ") + "."
        }
        let what = board > 1 ? "\(placed) of \(board) board members found;" : ""
        return "\(what) the \(allowed) mentors who fit the rules are all needed for other pairs (capacity).".trimmingLeadingSpace
    }

    static func unmatchedMentor(reasons: [String: Int], mentees: Int, allowed: Int, board: Int) -> String {
        if mentees == 0 { return "There are no mentees in this run." }
        if allowed == 0 {
            let detail = reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }
            return (mentees == 1 ? "The only mentee is ruled out: " : "Every mentee is ruled out: ") + detail.joined(separator: ", ") + "."
        }
        let each = board == 1 ? "each mentee has one mentor" : "each mentee has a board of \(board)"
        return "The \(allowed) mentee\(allowed == 1 ? "" : "s") who fit the rules \(allowed == 1 ? "is" : "are") better matched with other mentors (\(each))."
    }

    static func common(_ a: [String], _ b: [String]) -> [String] {
        let other = Set(b.map { $0.lowercased() })
        var seen = Set<String>()
        return a.filter { other.contains($0.lowercased()) && seen.insert($0.lowercased()).inserted }
    }

    static func list<S: Sequence>(_ items: S) -> String where S.Element == String {
        let all = Array(items)
        switch all.count {
        case 0: return ""
        case 1: return all[0]
        default: return all.dropLast().joined(separator: ", ") + " and " + all.last!
        }
    }
}

private extension String {
    var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
}
