import Foundation
import Testing
import VaporTesting
@testable import Upward

/// Rules that live in one place (a pure type or one service function) and that both the pages and the API use.
@Suite("Rules in one place")
struct RulesTests {
    @Test func weak_proposals_are_the_lowest_tenth_or_under_half_the_median() {
        let weak = WeakProposals(scores: [0.2, 0.9, 0.8, 0.85, 0.7, 0.75, 0.8, 0.9, 0.95, 0.88, 0.3])
        #expect(weak.contains(0.2) && weak.contains(0.3))
        #expect(!weak.contains(0.7))
        #expect(!WeakProposals(scores: [0.1]).contains(0.1))   // nothing to compare with
    }

    @Test func small_groups_are_held_back() {
        let (shown, hidden) = Privacy.shown([("Sales", 12), ("Legal", 4), ("Design", 5)], size: \.1)
        #expect(shown.map(\.0) == ["Sales", "Design"] && hidden == 1)
    }

    @Test func days_count_exactly_across_months_leap_years_and_1970() throws {
        let day = try #require(Day("2024-02-28"))
        #expect(day.adding(days: 1).description == "2024-02-29")
        #expect(day.adding(days: 2).description == "2024-03-01")
        #expect(try #require(Day("1970-01-01")).daysSince1970 == 0)
        #expect(Day(daysSince1970: -1).description == "1969-12-31")
        #expect(Day(daysSince1970: 20_780).description == "2026-11-23")
        #expect(Day(Date(timeIntervalSince1970: 1_795_000_000)).description == "2026-11-18")
        for n in stride(from: -800_000, through: 800_000, by: 997) { #expect(Day(daysSince1970: n).daysSince1970 == n) }
    }

    @Test func drafts_are_for_coordinators_only() {
        let draft = Programme()
        draft.status = .draft
        #expect(ProgrammeService.maySee(draft, as: .coordinator) && ProgrammeService.maySee(draft, as: .admin))
        #expect(!ProgrammeService.maySee(draft, as: .participant) && !ProgrammeService.maySee(draft, as: .sponsor))
    }

    @Test func wishes_name_only_people_one_could_be_matched_with() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 2, mentees: 2, capacity: 5)
            let service = app.services.matching(app.serviceContext())
            // The other side is offered; one's own side is not.
            let offered = try await service.preferenceCandidates(for: seniors[0], in: programme).map { $0.$person.id }
            #expect(Set(offered) == Set(juniors.map { $0.$person.id }))
            await #expect(throws: InvalidInput.self) {
                try await service.setPreferences(seniors[0], preferred: [seniors[1].$person.id], avoided: [], programme: programme)
            }
            try await service.setPreferences(seniors[0], preferred: [juniors[0].$person.id], avoided: [juniors[1].$person.id], programme: programme)
            #expect(seniors[0].preferred == [juniors[0].$person.id])
        }
    }
}

@Suite("Page queries read strictly")
struct PageQueryTests {
    @Test func a_new_programme_starts_from_a_named_format_and_an_unknown_one_is_named() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let twoWay = try await web.get("/programmes/new?format=twoWay")
            #expect(twoWay.status == .ok && twoWay.body.string.contains(#"<option value="twoWay" selected>"#))
            let bogus = try await web.get("/programmes/new?format=fourWay")
            #expect(bogus.status == .unprocessableEntity)
            #expect(bogus.body.string.contains("twoWay"))   // the message names the formats there are
        }
    }
}
