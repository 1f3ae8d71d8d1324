import Foundation
import Testing
@testable import Matching

@Suite("Scoring index")
struct ScoringIndexTests {
    /// The fast path the pipeline scores every pair with must give the reference `Scoring` values.
    @Test(arguments: [Format.reverse, .twoWay, .advisoryBoard])
    func the_index_agrees_with_the_reference_scoring(format: Format) {
        var rng = SeededGenerator(seed: 77)
        let skills = ["AI tools", "Excel", "Figma", "SQL", "TikTok"]
        let words = ["Jazz", "chess", "jazz", "Cooking", "fairness", "Curiosity"]
        let slots = ["mon-am", "tue-pm", "wed-am", "thu-pm"]
        func person(_ id: String) -> Participant {
            Participant(
                id: id, name: id, level: Int.random(in: 1...7, using: &rng), department: "D",
                skillsOffered: Dictionary(uniqueKeysWithValues: skills.shuffled(using: &rng).prefix(2).map { ($0, Int.random(in: 1...5, using: &rng)) }),
                skillsSought: Dictionary(uniqueKeysWithValues: skills.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)).map { ($0, Int.random(in: 1...5, using: &rng)) }),
                interests: Array(words.shuffled(using: &rng).prefix(2)), values: Array(words.shuffled(using: &rng).prefix(1)),
                topics: Array(["a", "b", "c"].shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng))),
                channels: Array(Participant.Channel.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))),
                availability: Array(slots.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))),
                utcOffset: Bool.random(using: &rng) ? Double(Int.random(in: -8...9, using: &rng)) : nil,
                diversity: Bool.random(using: &rng) ? ["gender": ["woman", "man"].randomElement(using: &rng)!] : [:],
                shortlist: Bool.random(using: &rng) ? ["m0", "e1"] : [])
        }
        let mentees = (0..<6).map { person("e\($0)") }, mentors = (0..<6).map { person("m\($0)") }
        var settings = MatchingSettings.defaults(for: format)
        settings.diversityDimensions = ["gender"]
        let scoring = Scoring(settings: settings)
        let index = ScoringIndex(mentees: mentees, mentors: mentors, settings: settings)
        for i in mentees.indices {
            for j in mentors.indices {
                let reference = scoring.score(scoring.breakdown(mentee: mentees[i], mentor: mentors[j]))
                #expect(abs(index.score(i, j) - reference) < 1e-9, "\(i), \(j)")
            }
        }
    }
}
