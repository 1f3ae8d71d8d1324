import Foundation
import Testing
@testable import Upward

/// The health signals on hand-made facts and a fixed day: each signal at its threshold and one day past it.
@Suite("Health signals")
struct HealthSignalsTests {
    let start = Day("2027-01-04")!
    func at(_ days: Int, hour: Int = 10) -> Date { start.adding(days: days).startDate.addingTimeInterval(Double(hour * 3600)) }
    func meeting(_ day: Int, _ status: MeetingStatus, by side: MemberSide? = nil) -> PairingFacts.MeetingFact {
        PairingFacts.MeetingFact(start: at(day), end: at(day, hour: 11), status: status, cancelledBy: side)
    }
    func facts(meetings: [PairingFacts.MeetingFact] = [], answers: [PairingFacts.Answer] = [], signed: Bool = true, goals: Int = 1) -> PairingFacts {
        PairingFacts(activatedOn: start, programmeRuns: true, cadenceWeeks: 4, ended: false, agreementSigned: signed, goals: goals,
                     meetings: meetings, answers: answers)
    }
    func kinds(_ f: PairingFacts, on day: Int) -> [SignalKind] {
        HealthSignals.evaluate(f, thresholds: .defaults, now: at(day)).1.map(\.kind)
    }

    @Test func the_first_meeting_is_due_within_fourteen_days() {
        #expect(kinds(facts(), on: 14) == [])
        #expect(kinds(facts(), on: 15) == [.firstMeetingNotHeld])
        #expect(HealthSignals.evaluate(facts(), thresholds: .defaults, now: at(15)).0 == .stalled)
    }

    @Test func a_pair_goes_quiet_after_the_cadence_and_a_week() {
        let f = facts(meetings: [meeting(3, .held)])
        // max(21, 4 weeks + 7 days) = 35 days after the last held meeting.
        #expect(kinds(f, on: 38) == [])
        #expect(kinds(f, on: 39) == [.quiet])
        var ended = f
        ended.programmeRuns = false
        #expect(kinds(ended, on: 60) == [])
    }

    @Test func planned_meetings_left_unlogged_for_a_week() {
        let f = facts(meetings: [meeting(3, .held), meeting(10, .planned)])
        #expect(kinds(f, on: 17) == [])
        #expect(kinds(f, on: 18) == [.unlogged])
    }

    @Test func an_unsigned_agreement_and_no_goal() {
        #expect(kinds(facts(meetings: [meeting(3, .held)], signed: false), on: 14) == [])
        #expect(kinds(facts(meetings: [meeting(3, .held)], signed: false), on: 15) == [.agreementUnsigned])
        #expect(kinds(facts(meetings: [meeting(3, .held)], goals: 0), on: 10) == [])
        #expect(kinds(facts(meetings: [meeting(3, .held), meeting(8, .held)], goals: 0), on: 10) == [.noGoal])
    }

    @Test func two_cancellations_in_a_row_by_the_same_side() {
        let mixed = facts(meetings: [meeting(3, .held), meeting(8, .cancelled, by: .mentee), meeting(9, .cancelled, by: .mentor)])
        #expect(kinds(mixed, on: 10) == [])
        let senior = facts(meetings: [meeting(3, .held), meeting(8, .cancelled, by: .mentee), meeting(9, .cancelled, by: .mentee)])
        let (state, signals) = HealthSignals.evaluate(senior, thresholds: .defaults, now: at(10))
        #expect(signals.map(\.kind) == [.cancellations] && state == .atRisk)
        #expect(signals[0].detail.contains("senior") && signals[0].action.contains("diary"))
    }

    @Test func check_in_answers_low_falling_apart_unfit_or_asking_for_help() throws {
        let (a, b) = (UUID(), UUID())
        func answer(_ who: UUID, _ day: Int, _ scores: [Int], fit: Bool = false, help: Bool = false) -> PairingFacts.Answer {
            PairingFacts.Answer(personID: who, day: start.adding(days: day), scores: scores, notAGoodFit: fit, needsHelp: help)
        }
        let held = [meeting(3, .held)]
        #expect(kinds(facts(meetings: held, answers: [answer(a, 5, [3, 3, 3]), answer(b, 5, [4, 3, 3])]), on: 6) == [])
        let low = HealthSignals.evaluate(facts(meetings: held, answers: [answer(a, 5, [3, 2, 3])]), thresholds: .defaults, now: at(6)).1
        #expect(low.map(\.kind) == [.lowScore] && low[0].raisedBy == a && low[0].detail.contains("psychological safety 2"))
        #expect(kinds(facts(meetings: held, answers: [answer(a, 5, [5, 5, 5]), answer(a, 6, [3, 5, 5])]), on: 7) == [.scoreDrop])
        #expect(kinds(facts(meetings: held, answers: [answer(a, 5, [5, 5, 5]), answer(b, 5, [3, 5, 5])]), on: 6) == [.scoresApart])
        let fit = HealthSignals.evaluate(facts(meetings: held, answers: [answer(b, 5, [], fit: true)]), thresholds: .defaults, now: at(6)).1
        #expect(fit.map(\.kind) == [.notAGoodFit] && fit[0].raisedBy == b)
        #expect(kinds(facts(meetings: held, answers: [answer(a, 5, [4, 4, 4], help: true)]), on: 6) == [.needsHelp])
    }

    @Test func thriving_needs_good_answers_and_meetings_held() {
        let (a, b) = (UUID(), UUID())
        let answers = [PairingFacts.Answer(personID: a, day: start.adding(days: 5), scores: [5, 4, 4], notAGoodFit: false, needsHelp: false),
                       PairingFacts.Answer(personID: b, day: start.adding(days: 5), scores: [4, 4, 5], notAGoodFit: false, needsHelp: false)]
        #expect(HealthSignals.evaluate(facts(meetings: [meeting(3, .held)], answers: answers), thresholds: .defaults, now: at(6)).0 == .thriving)
        #expect(HealthSignals.evaluate(facts(meetings: [meeting(3, .held)]), thresholds: .defaults, now: at(6)).0 == .onTrack)
        var ended = facts()
        ended.ended = true
        #expect(HealthSignals.evaluate(ended, thresholds: .defaults, now: at(60)) .0 == .ended)
    }
}
