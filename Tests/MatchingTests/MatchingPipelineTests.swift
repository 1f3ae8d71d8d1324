import Testing
@testable import Matching

/// A small organisation: two senior leaders who want to learn, three juniors who can teach.
enum Org {
    static let ceo = Participant(id: "ceo", name: "Grace Okafor", level: 7, department: "Executive",
                                 skillsSought: ["data visualisation": 3, "AI tools": 2], interests: ["accessibility", "climate"],
                                 values: ["candour"], topics: ["technology"], channels: [.video, .inPerson],
                                 availability: ["mon-am", "wed-pm"], utcOffset: 0, diversity: ["gender": "woman"])
    static let cfo = Participant(id: "cfo", name: "Liam Murphy", level: 6, department: "Finance", managers: ["ceo"],
                                 skillsSought: ["social media": 3], interests: ["music"], topics: ["culture"],
                                 channels: [.phone], availability: ["tue-am"], utcOffset: -5)
    static let sam = Participant(id: "sam", name: "Sam Haddad", level: 2, department: "Engineering", managers: ["eng-lead", "cto"],
                                 skillsOffered: ["data visualisation": 4, "AI tools": 3], interests: ["accessibility"],
                                 topics: ["technology"], channels: [.video], availability: ["mon-am"], utcOffset: 1,
                                 diversity: ["gender": "man"])
    static let noor = Participant(id: "noor", name: "Noor Khan", level: 1, department: "Marketing", managers: ["cfo"],
                                  skillsOffered: ["social media": 5], interests: ["music"], topics: ["culture"],
                                  channels: [.phone, .chat], availability: ["tue-am"], utcOffset: -5)
    static let vera = Participant(id: "vera", name: "Vera Novak", level: 1, department: "Data", managers: ["kofi"],
                                  skillsOffered: ["AI tools": 2], interests: ["climate"], channels: [.chat], availability: ["fri-pm"])
}

@Suite("Profiles to proposals")
struct MatchingPipelineTests {
    let reverse = MatchingSettings.defaults(for: .reverse)

    @Test func the_best_pairs_are_proposed_with_a_breakdown_and_reasons() throws {
        let result = try MatchingPipeline.run(mentees: [Org.ceo, Org.cfo], mentors: [Org.sam, Org.noor, Org.vera], settings: reverse)
        let pairs = result.proposals.map { "\($0.menteeID)-\($0.mentorID)" }
        // Noor is in Liam's reporting line, so Liam cannot have Noor.
        #expect(pairs.contains("ceo-sam"))
        #expect(!pairs.contains("cfo-noor"))
        let grace = try #require(result.proposals.first { $0.menteeID == "ceo" })
        #expect(grace.breakdown[.skills] == 1)
        #expect(grace.breakdown.values.allSatisfy { (0...1).contains($0) })
        #expect(grace.menteeExplanation == "You both care about accessibility; Sam offers AI tools and data visualisation, which you asked for; you share an interest in technology; you can both meet on video.")
        #expect(grace.mentorExplanation.contains("you offer AI tools and data visualisation, which Grace wants to learn"))
        #expect(grace.coordinatorNote.hasPrefix("Strongest: skill coverage 100%"))
    }

    @Test func explanations_for_participants_never_mention_diversity() throws {
        var settings = reverse
        settings.diversityDimensions = ["gender"]
        settings.weights[.diversity] = 10
        let result = try MatchingPipeline.run(mentees: [Org.ceo], mentors: [Org.sam, Org.vera], settings: settings)
        let grace = try #require(result.proposals.first)
        #expect(grace.breakdown[.diversity] == 1)
        for text in [grace.menteeExplanation, grace.mentorExplanation] {
            #expect(!text.lowercased().contains("gender") && !text.contains("woman") && !text.lowercased().contains("divers"))
        }
        #expect(grace.coordinatorNote.contains("diversity"))
    }

    @Test func an_unmatched_mentee_is_told_why() throws {
        // Noor is the only mentor and sits in Liam's reporting line.
        let alone = try MatchingPipeline.run(mentees: [Org.cfo], mentors: [Org.noor], settings: reverse)
        #expect(alone.proposals.isEmpty)
        #expect(alone.unmatchedMentees == [Unmatched(id: "cfo", reason: "The only mentor is ruled out: in one reporting line.")])
        // Two mentees, one mentor who fits both: the weaker pair loses out for capacity.
        let crowded = try MatchingPipeline.run(mentees: [Org.ceo, Org.cfo], mentors: [Org.sam], settings: reverse)
        #expect(crowded.unmatchedMentees.first?.reason.contains("needed for other pairs") == true)
    }

    @Test func hard_rules_forbid_pairs() {
        let scoring = Scoring(settings: reverse)
        #expect(scoring.forbiddenReason(mentee: Org.cfo, mentor: Org.noor) == "in one reporting line")
        var blocked = Org.ceo
        blocked.blocks = ["sam"]
        #expect(scoring.forbiddenReason(mentee: blocked, mentor: Org.sam) == "one asked not to be paired with the other")
        var again = Org.ceo
        again.earlierPartners = ["sam"]
        #expect(scoring.forbiddenReason(mentee: again, mentor: Org.sam) == "paired in an earlier round")
        var close = Org.sam
        close.level = 6
        #expect(scoring.forbiddenReason(mentee: Org.ceo, mentor: close) == "less than 2 levels apart")
        var strict = reverse
        strict.requireDifferentDepartment = true
        var colleague = Org.sam
        colleague.department = "Executive"
        #expect(Scoring(settings: strict).forbiddenReason(mentee: Org.ceo, mentor: colleague) == "in the same department")
        var peers = reverse
        peers.excludeSameManagerPeers = true
        var sibling = Org.noor
        sibling.managers = Org.vera.managers
        #expect(Scoring(settings: peers).forbiddenReason(mentee: sibling, mentor: Org.vera) == "peers under one manager")
    }

    @Test func pins_stay_and_declined_pairs_never_come_back() throws {
        let first = try MatchingPipeline.run(mentees: [Org.ceo, Org.cfo], mentors: [Org.sam, Org.noor, Org.vera], settings: reverse)
        let kept = try #require(first.proposals.first { $0.menteeID == "cfo" })
        // Grace declined Sam: re-match her, keeping Liam's accepted pair.
        let rematch = try MatchingPipeline.run(mentees: [Org.ceo, Org.cfo], mentors: [Org.sam, Org.noor, Org.vera], settings: reverse,
                                               pinned: [(kept.menteeID, kept.mentorID)], forbidden: [("ceo", "sam")])
        #expect(rematch.proposals.contains { $0.menteeID == "cfo" && $0.mentorID == kept.mentorID && $0.pinned })
        #expect(!rematch.proposals.contains { $0.menteeID == "ceo" && $0.mentorID == "sam" })
        #expect(rematch.proposals.contains { $0.menteeID == "ceo" })
        #expect(throws: MatchingPipeline.InputProblem.self) {
            try MatchingPipeline.run(mentees: [Org.ceo], mentors: [Org.sam], settings: reverse, pinned: [("ceo", "nobody")])
        }
    }

    @Test func two_way_counts_skills_in_both_directions() throws {
        var learner = Org.ceo
        learner.skillsOffered = ["negotiation": 5]
        var teacher = Org.sam
        teacher.skillsSought = ["negotiation": 3]
        let settings = MatchingSettings.defaults(for: .twoWay)
        let both = Scoring(settings: settings).breakdown(mentee: learner, mentor: teacher)[.skills]
        let oneWay = Scoring(settings: settings).breakdown(mentee: Org.ceo, mentor: Org.sam)[.skills]
        #expect(both == 1 && oneWay == 0.5)
        let result = try MatchingPipeline.run(mentees: [learner], mentors: [teacher], settings: settings)
        #expect(result.proposals.first?.menteeExplanation.contains("you can teach Sam negotiation") == true)
    }

    @Test func advisory_boards_take_one_advisor_per_department() throws {
        var settings = MatchingSettings.defaults(for: .advisoryBoard)
        settings.boardSize = 2
        settings.minimumLevelGap = 0
        settings.mentorCapacity = 2
        var twin = Org.sam
        twin.id = "sam2"
        let result = try MatchingPipeline.run(mentees: [Org.ceo], mentors: [Org.sam, twin, Org.vera], settings: settings)
        let departments = result.proposals.map { p in [Org.sam, twin, Org.vera].first { $0.id == p.mentorID }!.department }
        #expect(result.proposals.count == 2)
        #expect(Set(departments).count == 2)
    }

    @Test func a_stable_run_has_no_blocking_pair() throws {
        var settings = reverse
        settings.stable = true
        let result = try MatchingPipeline.run(mentees: [Org.ceo, Org.cfo], mentors: [Org.sam, Org.noor, Org.vera], settings: settings)
        #expect(result.method.contains("stable"))
        #expect(!result.proposals.isEmpty)
    }

    @Test func settings_read_from_a_file_fill_in_the_format_defaults() throws {
        let json = #"{"format": "twoWay", "weights": {"skills": 5}, "mentorCapacity": 2}"#
        let settings = try JSONDecoderForTests.decode(MatchingSettings.self, json)
        #expect(settings.format == .twoWay && settings.weights[.skills] == 5 && settings.weights[.interests] == 2 && settings.mentorCapacity == 2)
        #expect(throws: (any Error).self) { try JSONDecoderForTests.decode(MatchingSettings.self, #"{"weights": {"charisma": 1}}"#) }
    }
}
