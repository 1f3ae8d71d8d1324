import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

@Suite("Keeping on track over the API")
struct HealthAPITests {
    @Test func check_ins_stay_private_and_raise_alerts_the_coordinator_handles() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            pair.programme.status = .running
            try await pair.programme.save(on: app.db)
            let coordinator = try await apiToken(app, role: .coordinator)
            let activated = try #require(try await Pairing.find(pair.id, on: app.db)?.activatedAt)
            app.clock = .fixed(activated.addingTimeInterval(31 * 86_400))
            let checkIns = pair.path + "/check-ins"
            let due = try await apiCall(app, .GET, checkIns, pair.mentor).content.decode(CheckInsDTO.self)
            let pulse = try #require(due.due.first { $0.kind == .pulse })
            #expect(due.privacy.contains("never sees") && !pulse.answered)
            // Strict: every score of a pulse, in range; a fit answer only on a fit check; a day that fell due.
            try expectInvalid(try await apiCall(app, .POST, checkIns, pair.mentor,
                                                #"{"kind":"pulse","day":"\#(pulse.day)","relationship":2,"safety":2,"needsHelp":false}"#), "progress")
            try expectInvalid(try await apiCall(app, .POST, checkIns, pair.mentor,
                                                #"{"kind":"pulse","day":"\#(pulse.day)","relationship":9,"safety":2,"progress":1,"needsHelp":false}"#), "relationship")
            try expectInvalid(try await apiCall(app, .POST, checkIns, pair.mentor, #"{"kind":"pulse","day":"31-02-2026","needsHelp":false}"#), "day")
            #expect(try await apiCall(app, .POST, checkIns, pair.mentor,
                                      #"{"kind":"pulse","day":"2020-01-01","relationship":2,"safety":2,"progress":1,"needsHelp":false}"#).status == .notFound)
            let secret = "My partner never listens to me"
            let body = #"{"kind":"pulse","day":"\#(pulse.day)","relationship":2,"safety":2,"progress":1,"needsHelp":true,"comment":"\#(secret)"}"#
            #expect(try await apiCall(app, .POST, checkIns, pair.mentor, body).status == .created)
            #expect(try await apiCall(app, .POST, checkIns, pair.mentor, body).status == .conflict)
            // The partner never reads it: not in their check-ins, nor anywhere in their space.
            let theirs = try await apiCall(app, .GET, checkIns, pair.mentee).content.decode(CheckInsDTO.self)
            #expect(theirs.answers.isEmpty)
            #expect(!(try await apiCall(app, .GET, pair.path, pair.mentee).body.string.contains(secret)))
            // Participants have no board; the coordinator's board has the alerts, with who raised them, and no comment.
            let board = "/api/v1/programmes/\(try pair.programme.requireID())/health"
            #expect(try await apiCall(app, .GET, board, pair.mentor).status == .forbidden)
            let res = try await apiCall(app, .GET, board, coordinator)
            #expect(res.status == .ok && !res.body.string.contains(secret))
            let dto = try res.content.decode(BoardDTO.self)
            let help = try #require(dto.alerts.first { $0.kind == .needsHelp })
            #expect(Set(dto.alerts.map(\.kind)).isSuperset(of: [.needsHelp, .lowScore]) && help.raisedBy != nil)
            #expect(dto.rows.items.first?.state == .stalled && dto.checkInsAnswered == 1)   // no meeting held yet, too
            try expectInvalid(try await apiCall(app, .GET, board + "?state=worried", coordinator), "state")
            try expectInvalid(try await apiCall(app, .GET, board + "?per=500", coordinator), "per")
            #expect(try await apiCall(app, .GET, board + "?alert=needsHelp", coordinator).content.decode(BoardDTO.self).rows.total == 1)
            // The pairing's health has the answer for the coordinator to read, with who gave it.
            let one = try await apiCall(app, .GET, board + "/\(pair.id)", coordinator).content.decode(PairingHealthDTO.self)
            #expect(one.checkIns.map(\.name) == [pair.mentorName] && one.checkIns.first?.answer.comment == secret)
            // Handling: open is not a way to handle it; resolved once.
            let alert = "/api/v1/programmes/\(try pair.programme.requireID())/alerts/\(help.id)"
            try expectInvalid(try await apiCall(app, .POST, alert, coordinator, #"{"status":"open"}"#), "status")
            let resolved = try await apiCall(app, .POST, alert, coordinator, #"{"status":"resolved","note":"Called them both"}"#)
            #expect(try resolved.content.decode(AlertDTO.self).status == .resolved)
            #expect(try await apiCall(app, .POST, alert, coordinator, #"{"status":"resolved"}"#).status == .conflict)
        }
    }

    @Test func a_re_think_an_ending_and_the_re_match_offer() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            pair.programme.status = .running
            try await pair.programme.save(on: app.db)
            let coordinator = try await apiToken(app, role: .coordinator)
            let programmePath = "/api/v1/programmes/\(try pair.programme.requireID())"
            #expect(try await apiCall(app, .POST, programmePath + "/health/\(pair.id)/rethink-suggestion", coordinator).status == .noContent)
            #expect(try await apiCall(app, .POST, programmePath + "/health/\(UUID())/rethink-suggestion", coordinator).status == .notFound)
            let planned = try await apiCall(app, .POST, pair.path + "/rethink", pair.mentee)
            let meeting = try planned.content.decode(MeetingDTO.self)
            #expect(planned.status == .created && meeting.purpose == .rethink)
            #expect(try await apiCall(app, .POST, pair.path + "/rethink", pair.mentor).status == .conflict)
            // Leaving: a reason is required, then the other is offered a new partner.
            try expectInvalid(try await apiCall(app, .POST, pair.path + "/end", pair.mentor, #"{"reason":"   "}"#), "reason")
            try expectInvalid(try await apiCall(app, .POST, pair.path + "/end", pair.mentor, #"{"reason":"x","why":"y"}"#), "why")
            #expect(try await apiCall(app, .POST, pair.path + "/end", pair.mentor, #"{"reason":"Shifts changed","wantAnother":true}"#).status == .noContent)
            #expect(try await apiCall(app, .POST, programmePath + "/health/\(pair.id)/end", coordinator, #"{"reason":"again"}"#).status == .conflict)
            let answer = try await apiCall(app, .POST, pair.path + "/rematch", pair.mentee, #"{"want":false}"#)
            #expect(try answer.content.decode(RematchDTO.self).rematch == .declined)
            // The space stays readable; writing to it is refused.
            #expect(try await apiCall(app, .GET, pair.path, pair.mentee).status == .ok)
            #expect(try await apiCall(app, .POST, pair.path + "/notes", pair.mentee, #"{"text":"hi","shared":false}"#).status == .conflict)
            // The coordinator reads the reason on the pairing's health; the partner's space never has it.
            let health = try await apiCall(app, .GET, programmePath + "/health/\(pair.id)", coordinator).content.decode(PairingHealthDTO.self)
            #expect(health.endReason == "Shifts changed" && health.row.state == .ended && health.endedBy == pair.mentorName)
            #expect(!(try await apiCall(app, .GET, pair.path, pair.mentee).body.string.contains("Shifts changed")))
        }
    }

    @Test func thresholds_and_the_check_in_schedule_are_programme_settings() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            let coordinator = try await apiToken(app, role: .coordinator)
            let path = "/api/v1/programmes/\(try programme.requireID())"
            try expectInvalid(try await apiCall(app, .PATCH, path, coordinator, #"{"healthThresholds":{"lowScore":9}}"#), "healthThresholds.lowScore")
            try expectInvalid(try await apiCall(app, .PATCH, path, coordinator, #"{"checkInSchedule":{"everyDays":2}}"#), "checkInSchedule.everyDays")
            try expectInvalid(try await apiCall(app, .PATCH, path, coordinator, #"{"healthThresholds":{"quiet":30}}"#), "healthThresholds.quiet")
            let changed = try await apiCall(app, .PATCH, path, coordinator, #"{"healthThresholds":{"quietDays":30},"checkInSchedule":{"firstAfterDays":21}}"#)
            #expect(changed.status == .ok)
            let saved = try #require(try await Programme.find(programme.id, on: app.db))
            #expect(saved.healthThresholds.quietDays == 30 && saved.healthThresholds.lowScore == 2)
            #expect(saved.checkInSchedule.firstAfterDays == 21 && saved.checkInSchedule.everyDays == 60)
            // Keys left out keep the programme's values, not the defaults.
            #expect(try await apiCall(app, .PATCH, path, coordinator, #"{"healthThresholds":{"lowScore":3}}"#).status == .ok)
            let again = try #require(try await Programme.find(programme.id, on: app.db))
            #expect(again.healthThresholds.quietDays == 30 && again.healthThresholds.lowScore == 3)
            // A change that leaves them out keeps them.
            #expect(try await apiCall(app, .PATCH, path, coordinator, #"{"name":"Renamed"}"#).status == .ok)
            #expect(try await Programme.find(programme.id, on: app.db)?.healthThresholds.quietDays == 30)
        }
    }
}
