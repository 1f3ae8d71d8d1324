/// The same scores as `Scoring`, for every pair of a large programme: each participant's words, skills, channels
/// and slots are interned to small integers once, so scoring a pair is a few merges of short sorted arrays
/// instead of building sets and dictionaries of strings (5 000 applicants make over six million pairs).
/// `Scoring.breakdown` stays the reference: a test checks the two agree.
struct ScoringIndex {
    struct Features {
        var sought: [(Int32, Int)] = []      // (skill, level), sorted by skill
        var wanted = 0
        var offered: [(Int32, Int)] = []
        var offeredAll = 0
        var interests: [Int32] = []          // interests and values, lower-cased, sorted, unique
        var topics: [Int32] = []
        var channels: UInt8 = 0
        var availability: [Int32] = []
        var utcOffset: Double?
        var level = 0
        var diversity: [Int32?] = []          // one value per diversity dimension
        var shortlist: [Int32] = []           // participant ids, interned
        var id: Int32 = 0
    }

    let settings: MatchingSettings
    let mentees: [Features]
    let mentors: [Features]
    let weights: [Double]   // in Criterion.allCases order

    init(mentees: [Participant], mentors: [Participant], settings: MatchingSettings) {
        self.settings = settings
        var words: [String: Int32] = [:]
        func intern(_ word: String) -> Int32 {
            if let id = words[word] { return id }
            let id = Int32(words.count)
            words[word] = id
            return id
        }
        func set(_ list: [String]) -> [Int32] { Array(Set(list.map { intern($0.lowercased()) })).sorted() }
        func skills(_ map: [String: Int]) -> [(Int32, Int)] { map.map { (intern("skill:" + $0.key), $0.value) }.sorted { $0.0 < $1.0 } }
        func features(_ p: Participant) -> Features {
            var f = Features()
            f.sought = skills(p.skillsSought)
            f.wanted = p.skillsSought.values.reduce(0, +)
            f.offered = skills(p.skillsOffered)
            f.interests = set(p.interests + p.values)
            f.topics = set(p.topics)
            for c in p.channels { f.channels |= 1 << UInt8(Participant.Channel.allCases.firstIndex(of: c)!) }
            f.availability = set(p.availability)
            f.utcOffset = p.utcOffset
            f.level = p.level
            f.diversity = settings.diversityDimensions.map { d in p.diversity[d].map { intern("diversity:" + $0) } }
            f.shortlist = p.shortlist.map { intern("id:" + $0) }.sorted()
            f.id = intern("id:" + p.id)
            return f
        }
        self.mentees = mentees.map(features)
        self.mentors = mentors.map(features)
        weights = Criterion.allCases.map { settings.weights[$0] ?? 0 }
    }

    static func coverage(_ seeks: [(Int32, Int)], wanted: Int, _ offers: [(Int32, Int)]) -> Double {
        guard wanted > 0 else { return 0 }
        var met = 0.0
        var k = 0
        for (skill, level) in seeks where level > 0 {
            while k < offers.count && offers[k].0 < skill { k += 1 }
            if k < offers.count && offers[k].0 == skill { met += Double(level) * min(1, Double(offers[k].1) / Double(level)) }
        }
        return met / Double(wanted)
    }

    static func jaccard(_ a: [Int32], _ b: [Int32]) -> Double {
        if a.isEmpty && b.isEmpty { return 0 }
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(common) / Double(a.count + b.count - common)
    }

    /// The weighted score of mentee `i` with mentor `j`; equal to `Scoring.score(Scoring.breakdown(…))`.
    func score(_ i: Int, _ j: Int) -> Double {
        let e = mentees[i], m = mentors[j]
        // Criterion.allCases order: skills, interests, topics, communication, availability, seniority, diversity, shortlist.
        // Plain locals, no array: this runs millions of times.
        let covered = Self.coverage(e.sought, wanted: e.wanted, m.offered)
        let skills = settings.format == .twoWay
            ? (covered + Self.coverage(m.sought, wanted: m.wanted, e.offered)) / 2 : covered
        let interests = Self.jaccard(e.interests, m.interests)
        let topics = Self.jaccard(e.topics, m.topics)
        let common = (e.channels & m.channels).nonzeroBitCount
        let communication = common == 0 ? 0 : Double(common) / Double(max(1, min(e.channels.nonzeroBitCount, m.channels.nonzeroBitCount)))
        var availability = Self.jaccard(e.availability, m.availability)
        if let a = e.utcOffset, let b = m.utcOffset { availability *= max(0, 1 - abs(a - b) / 12) }
        let gap = e.level - m.level
        let seniority = settings.format == .reverse ? min(1, max(0, Double(gap)) / 4) : max(0, 1 - Double(abs(gap)) / 6)
        var diversity = 0.0
        if !settings.diversityDimensions.isEmpty {
            var differ = 0
            for d in settings.diversityDimensions.indices {
                if let a = e.diversity[d], let b = m.diversity[d], a != b { differ += 1 }
            }
            diversity = Double(differ) / Double(settings.diversityDimensions.count)
        }
        let shortlist = (e.shortlist.contains(m.id) ? 0.5 : 0) + (m.shortlist.contains(e.id) ? 0.5 : 0)
        var total = weights[0] * skills + weights[1] * interests + weights[2] * topics + weights[3] * communication
        total += weights[4] * availability + weights[5] * seniority + weights[6] * diversity + weights[7] * shortlist
        return total
    }
}
