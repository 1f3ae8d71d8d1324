import Fluent
import Foundation
import Scheduling
import Testing
import VaporTesting
@testable import Upward

/// An active pair on a reverse programme, made the way it happens: selection, a published run, both accept.
struct ActivePair {
    var id: UUID
    var programme: Programme
    /// API tokens: the senior (mentee, who learns) and the junior (mentor).
    var mentee: String
    var mentor: String
    var menteeName: String
    var mentorName: String

    var path: String { "/api/v1/pairings/\(id)" }

    static func make(_ app: Application) async throws -> ActivePair {
        let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
        let matching = MatchingService(database: app.db)
        let run = try await matching.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
        #expect(try await matching.publish(run, programme: programme, by: "c", linkBase: "http://localhost") == 1)
        for application in juniors + seniors { try await matching.respond(member(app, application), accept: true, reason: nil) }
        let pairingID = try await member(app, seniors[0]).$pairing.id
        let senior = try #require(try await Person.find(seniors[0].$person.id, on: app.db))
        let junior = try #require(try await Person.find(juniors[0].$person.id, on: app.db))
        return ActivePair(id: pairingID, programme: programme, mentee: try await participantToken(app, senior),
                          mentor: try await participantToken(app, junior), menteeName: senior.name, mentorName: junior.name)
    }

    /// The programme's first day: its meetings are planned from here.
    var firstDay: Date { Day(programme.startsOn ?? "")?.startDate ?? Date() }
}

/// A request with `token`, and `body` as JSON when there is one.
func apiCall(_ app: Application, _ method: HTTPMethod, _ path: String, _ token: String,
             _ body: String? = nil) async throws -> TestingHTTPResponse {
    try await app.testing().sendRequest(method, path, headers: body == nil ? .bearer(token) : .bearerJSON(token), body: body.map(json))
}

/// A 422 whose first issue names `field`.
func expectInvalid(_ res: TestingHTTPResponse, _ field: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(res.status == .unprocessableEntity, sourceLocation: sourceLocation)
    #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == field, sourceLocation: sourceLocation)
}

@Suite("Pairing space API")
struct PairingSpaceAPITests {
    @Test func the_caller_sees_their_pairings_and_the_space_without_private_answers() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            let list = try await apiCall(app, .GET, "/api/v1/pairings", pair.mentee).content.decode([MyPairingDTO].self)
            #expect(list.map(\.id) == [pair.id] && list.first?.side == .mentee)
            #expect(list.first?.partners.map(\.name) == [pair.mentorName])
            #expect(list.first?.nextStep.kind == "prepare")

            let res = try await apiCall(app, .GET, pair.path, pair.mentee)
            #expect(res.status == .ok)
            let space = try res.content.decode(PairingSpaceDTO.self)
            #expect(space.partners.map(\.name) == [pair.mentorName])
            #expect(space.partners.first?.email.hasSuffix("@example.org") == true)
            #expect(space.partners.first?.offersYou == ["AI tools"])
            #expect(space.agreement?.version == 1 && space.agreement?.signed == false)
            #expect(space.preparation.acknowledgedAt == nil && !space.preparation.openQuestions.isEmpty)
            #expect(space.meetings.count == pair.programme.sessionCount)
            #expect(space.meetingStats.upcoming == pair.programme.sessionCount)
            for secret in ["diversity", "preferred", "avoided", "reason", "motivation", "swot"] {
                #expect(!res.body.string.contains("\"\(secret)\""), "the space shows \(secret)")
            }

            let prepared = try await apiCall(app, .POST, pair.path + "/preparation", pair.mentee)
            #expect(prepared.status == .ok)
            #expect(try prepared.content.decode(PreparationDTO.self).acknowledgedAt != nil)
            let after = try await apiCall(app, .GET, "/api/v1/pairings", pair.mentee).content.decode([MyPairingDTO].self)
            #expect(after.first?.nextStep.kind == "sign")

            // Someone outside the pairing is told it does not exist.
            let stranger = try await apiToken(app, role: .participant)
            #expect(try await apiCall(app, .GET, pair.path, stranger).status == .notFound)
            #expect(try await apiCall(app, .GET, "/api/v1/pairings", stranger).content.decode([MyPairingDTO].self).isEmpty)
        }
    }

    @Test func an_edit_after_a_signature_makes_a_version_both_sign_again() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            let sign = pair.path + "/agreement/sign"
            let first = try await apiCall(app, .GET, pair.path + "/agreement", pair.mentee).content.decode(AgreementDTO.self)
            #expect(first.current.version == 1 && first.earlier.isEmpty && !first.status.signed)
            #expect(first.status.unsigned.count == 2)
            for token in [pair.mentee, pair.mentor] {
                #expect(try await apiCall(app, .POST, sign, token, #"{"version": 1}"#).status == .ok)
            }
            let signed = try #require(try await apiCall(app, .GET, pair.path, pair.mentor).content.decode(PairingSpaceDTO.self).agreement)
            #expect(signed.signed && signed.signedAt != nil && signed.signatures.count == 2)

            // The senior changes what is off limits: version 2, signed by nobody yet; version 1 stays readable.
            var terms = first.current.terms
            terms.offLimits = "Pay, promotions, and the reorganisation."
            let encoded = { (terms: AgreementTermsDTO, basedOn: Int) throws -> String in
                var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(terms)) as? [String: Any])
                object["basedOn"] = basedOn   // the version edited
                return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            }
            // An edit of a version that is not current is a 409 and saves nothing.
            #expect(try await apiCall(app, .PUT, pair.path + "/agreement", pair.mentee, try encoded(terms, 7)).status == .conflict)
            let edit = try await apiCall(app, .PUT, pair.path + "/agreement", pair.mentee, try encoded(terms, 1))
            #expect(edit.status == .ok)
            let second = try edit.content.decode(AgreementDTO.self)
            #expect(second.current.version == 2 && !second.status.signed && second.status.signatures.isEmpty)
            #expect(second.current.writtenBy?.name == pair.menteeName)
            #expect(second.earlier.map(\.version) == [1] && second.earlier.first?.signatures.count == 2)

            // The junior read version 1: signing it now is a 409, and nothing is signed.
            #expect(try await apiCall(app, .POST, sign, pair.mentor, #"{"version": 1}"#).status == .conflict)
            for token in [pair.mentee, pair.mentor] {
                #expect(try await apiCall(app, .POST, sign, token, #"{"version": 2}"#).content.decode(AgreementDTO.self).status.signedByYou)
            }
            let final = try await apiCall(app, .GET, pair.path + "/agreement", pair.mentor).content.decode(AgreementDTO.self)
            #expect(final.status.signed && final.current.terms.offLimits == "Pay, promotions, and the reorganisation.")

            // Bad input: every field is required, versions are bounded, the midpoint is a real day.
            let partial = #"{"confidentiality": "Nothing leaves us."}"#
            try expectInvalid(try await apiCall(app, .PUT, pair.path + "/agreement", pair.mentee, partial), "psychologicalSafety")
            try expectInvalid(try await apiCall(app, .POST, sign, pair.mentee, #"{"version": 0}"#), "version")
            // Beyond any integer: Foundation's decoder refuses it without naming the field.
            #expect(try await apiCall(app, .POST, sign, pair.mentee, #"{"version": 99999999999999999999}"#).status == .unprocessableEntity)
            terms.midpointReview = "2027-02-30"
            try expectInvalid(try await apiCall(app, .PUT, pair.path + "/agreement", pair.mentee, try encoded(terms, 2)), "midpointReview")
        }
    }

    @Test func goals_keep_every_revision_with_who_when_and_why() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            let created = try await apiCall(app, .POST, pair.path + "/goals", pair.mentee, """
                {"title": "Use the analytics dashboard", "measure": "I build the weekly view myself", "progressFromTasks": true,
                 "tasks": [{"title": "Sign in", "done": true}, {"title": "Build a view", "done": false}]}
                """)
            #expect(created.status == .created)
            let goal = try created.content.decode(GoalDTO.self)
            #expect(goal.content.learner == .mentee && goal.content.progress == 50 && goal.revision == 1)
            #expect(goal.learnerLabel == "\(pair.menteeName) learns")

            let goalPath = pair.path + "/goals/\(goal.id)"
            let change = """
                {"learner": "mentee", "title": "Use the analytics dashboard", "measure": "I build the weekly view myself",
                 "targetDate": "2030-01-31", "tasks": [{"title": "Sign in", "done": true}, {"title": "Build a view", "done": true}],
                 "progress": 100, "status": "achieved", "why": "Built it at the leadership meeting.", "revision": 1}
                """
            let changed = try await apiCall(app, .PATCH, goalPath, pair.mentor, change)
            #expect(changed.status == .ok)
            let revised = try changed.content.decode(GoalDTO.self)
            #expect(revised.revision == 2 && revised.content.status == .achieved && revised.content.targetDate == "2030-01-31")
            // The senior edited revision 1 too: their change would overwrite the junior's, so it is refused.
            let stale = change.replacingOccurrences(of: "\"progress\": 100", with: "\"progress\": 90")
            #expect(try await apiCall(app, .PATCH, goalPath, pair.mentee, stale).status == .conflict)

            let history = try #require(try await apiCall(app, .GET, goalPath, pair.mentee).content.decode(GoalDTO.self).revisions)
            #expect(history.map(\.revision) == [2, 1])
            #expect(history[0].changedBy?.name == pair.mentorName && history[0].why == "Built it at the leadership meeting.")
            #expect(history[0].content.progress == 100 && history[1].content.progress == 50)
            #expect(history[0].changes.contains("Progress 50% → 100%"))
            #expect(history[1].changedBy?.name == pair.menteeName && history[1].changes == ["Set"])
            #expect(try await apiCall(app, .GET, pair.path + "/goals", pair.mentor).content.decode([GoalDTO].self).map(\.id) == [goal.id])

            // Bad input, each named: progress out of range, an unknown key, a learner that is not one, no title.
            let goals = pair.path + "/goals"
            let newGoal = { (extra: String) in #"{"title": "T", "measure": "M", \#(extra)}"# }
            try expectInvalid(try await apiCall(app, .POST, goals, pair.mentee, newGoal(#""progress": 150"#)), "progress")
            try expectInvalid(try await apiCall(app, .POST, goals, pair.mentee, newGoal(#""colour": "red""#)), "colour")
            let learner = try await apiCall(app, .POST, goals, pair.mentee, #"{"title": "T", "measure": "M", "learner": "teacher"}"#)
            try expectInvalid(learner, "learner")
            #expect(learner.body.string.contains("mentee, mentor, both"))
            let empty = try await apiCall(app, .POST, goals, pair.mentee, #"{"title": " ", "measure": "M", "targetDate": "2030-02-30"}"#)
            #expect(empty.status == .unprocessableEntity)
            #expect(Set(try JSONDecoder().decode(Problem.self, from: empty.body).fields?.map(\.field) ?? []) == ["title", "targetDate"])
            let tasks = (0...50).map { #"{"title": "Task \#($0)", "done": false}"# }.joined(separator: ",")
            try expectInvalid(try await apiCall(app, .POST, goals, pair.mentee, newGoal(#""tasks": [\#(tasks)]"#)), "tasks")
            let badRevision = change.replacingOccurrences(of: "\"revision\": 1", with: "\"revision\": -4")
            try expectInvalid(try await apiCall(app, .PATCH, goalPath, pair.mentee, badRevision), "revision")
            #expect(try await apiCall(app, .GET, pair.path + "/goals/\(UUID())", pair.mentee).status == .notFound)
        }
    }

    @Test func meetings_move_cancel_by_side_and_are_logged() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            // Forty days into the programme: its first meeting is behind, the rest ahead.
            let now = pair.firstDay.addingTimeInterval(40 * 86_400)
            app.clock = .fixed(now)
            let meetings = try await apiCall(app, .GET, pair.path + "/meetings", pair.mentee).content.decode([MeetingDTO].self)
            let past = try #require(meetings.first { $0.start < now })
            let ahead = meetings.filter { $0.start > now }
            try #require(ahead.count >= 2)
            let actions = { (meeting: MeetingDTO) in pair.path + "/meetings/\(meeting.id)/actions" }
            let calendar = { (meeting: MeetingDTO) in pair.path + "/meetings/\(meeting.id)/ics" }

            // The past one was held; the next one moves by a day and an hour, with a reason.
            let held = try await apiCall(app, .POST, actions(past), pair.mentee, #"{"action": "held"}"#)
            #expect(try held.content.decode(MeetingDTO.self).status == .held)
            let newStart = ahead[0].start.addingTimeInterval(25 * 3600)
            let rfc3339 = ISO8601DateFormatter()
            let move = #"{"action": "reschedule", "start": "\#(rfc3339.string(from: newStart))", "minutes": 45, "reason": "Travelling"}"#
            let moved = try await apiCall(app, .POST, actions(ahead[0]), pair.mentor, move)
            #expect(moved.status == .ok)
            let meeting = try moved.content.decode(MeetingDTO.self)
            #expect(meeting.start == newStart && meeting.minutes == 45 && meeting.sequence == 1 && meeting.status == .planned)
            #expect(meeting.history?.last?.kind == "rescheduled" && meeting.history?.last?.by?.name == pair.mentorName)
            #expect(meeting.history?.last?.from == ahead[0].start && meeting.history?.last?.reason == "Travelling")

            // The calendar file carries the new time and a higher SEQUENCE, under the same UID.
            let ics = try await apiCall(app, .GET, calendar(ahead[0]), pair.mentee)
            #expect(ics.status == .ok)
            #expect(ics.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(ics.body.string.contains("SEQUENCE:1\r\n") && ics.body.string.contains("DTSTART:\(ICalendar.utc(newStart))\r\n"))
            #expect(ics.body.string.contains("UID:\(ahead[0].id.uuidString.lowercased())@upward"))

            // The junior (the mentor side) cancels the one after: counted as cancelled by the mentor.
            let cancelled = try await apiCall(app, .POST, actions(ahead[1]), pair.mentor, #"{"action": "cancel", "reason": "Sick"}"#)
                .content.decode(MeetingDTO.self)
            #expect(cancelled.status == .cancelled && cancelled.cancelledBy == .mentor && cancelled.cancelReason == "Sick")
            #expect(try await apiCall(app, .GET, calendar(ahead[1]), pair.mentee).body.string.contains("STATUS:CANCELLED"))

            // A meeting they had outside the plan, logged after the fact.
            let logged = rfc3339.string(from: now.addingTimeInterval(-3 * 86_400))
            let log = try await apiCall(app, .POST, pair.path + "/meetings", pair.mentee,
                                     #"{"start": "\#(logged)", "minutes": 30, "agenda": "Coffee, dashboards", "held": true}"#)
            #expect(log.status == .created)
            let extra = try log.content.decode(MeetingDTO.self)
            #expect(extra.status == .held && extra.logged && extra.minutes == 30 && extra.history?.first?.kind == "logged")
            let stats = try await apiCall(app, .GET, pair.path, pair.mentor).content.decode(PairingSpaceDTO.self).meetingStats
            // The cancelled meeting is still ahead: it counts against the mentor side once its time has passed.
            #expect(stats.held == 2 && stats.cancelledByMentor == 0 && stats.cancelledByMentee == 0)
            #expect(stats.total == meetings.count + 1)

            // A new place raises the sequence again.
            let placed = try await apiCall(app, .PATCH, pair.path + "/meetings/\(ahead[0].id)", pair.mentee, #"{"location": "Room 4.12"}"#)
                .content.decode(MeetingDTO.self)
            #expect(placed.location == "Room 4.12" && placed.sequence == 2)

            // Bad input: no minutes, a day or an hour that does not exist, an action that is not one, no start.
            let add = pair.path + "/meetings"
            let noMinutes = #"{"start": "\#(logged)", "minutes": 0, "held": true}"#
            try expectInvalid(try await apiCall(app, .POST, add, pair.mentee, noMinutes), "minutes")
            let noSuchDay = #"{"start": "2026-02-30T10:00:00Z", "minutes": 60, "held": false}"#
            try expectInvalid(try await apiCall(app, .POST, add, pair.mentee, noSuchDay), "start")
            let noSuchHour = #"{"action": "reschedule", "start": "2026-03-01T24:00:00Z"}"#
            try expectInvalid(try await apiCall(app, .POST, actions(ahead[0]), pair.mentee, noSuchHour), "start")
            let postpone = try await apiCall(app, .POST, actions(ahead[0]), pair.mentee, #"{"action": "postpone"}"#)
            try expectInvalid(postpone, "action")
            #expect(postpone.body.string.contains("reschedule, held, cancel, missed"))
            try expectInvalid(try await apiCall(app, .POST, actions(ahead[0]), pair.mentee, #"{"action": "reschedule"}"#), "start")
            let huge = #"{"action": "reschedule", "start": "\#(logged)", "minutes": 9223372036854775807}"#
            try expectInvalid(try await apiCall(app, .POST, actions(ahead[0]), pair.mentee, huge), "minutes")
            // A cancelled meeting cannot be held.
            #expect(try await apiCall(app, .POST, actions(ahead[1]), pair.mentee, #"{"action": "held"}"#).status == .conflict)
        }
    }

    @Test func notes_are_their_authors_unless_shared_and_no_other_role_reads_any() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            let meetings = try await apiCall(app, .GET, pair.path + "/meetings", pair.mentee).content.decode([MeetingDTO].self)
            let meetingID = try #require(meetings.first).id
            let notes = pair.path + "/notes"
            let privateText = "Private: ask about the reorganisation", sharedText = "Shared: thank you for the demo"
            let privateBody = #"{"text": "\#(privateText)", "shared": false, "meeting": "\#(meetingID)"}"#
            let written = try await apiCall(app, .POST, notes, pair.mentee, privateBody)
            #expect(written.status == .created)
            let privateNote = try written.content.decode(NoteDTO.self)
            #expect(privateNote.mine && !privateNote.shared && privateNote.meetingId == meetingID)
            let sharedNote = try await apiCall(app, .POST, notes, pair.mentee, #"{"text": "\#(sharedText)", "shared": true}"#)
                .content.decode(NoteDTO.self)
            let (privateID, sharedID) = (privateNote.id, sharedNote.id)

            // The partner reads only the shared note, and cannot change it or touch the private one.
            let partnerView = try await apiCall(app, .GET, notes, pair.mentor)
            let seen = try partnerView.content.decode([NoteDTO].self)
            #expect(seen.map(\.id) == [sharedID] && seen.first?.mine == false && seen.first?.author?.name == pair.menteeName)
            #expect(!partnerView.body.string.contains(privateText))
            let meetingView = try await apiCall(app, .GET, pair.path + "/meetings/\(meetingID)", pair.mentor)
            #expect(try meetingView.content.decode(MeetingDTO.self).notes?.isEmpty == true)
            #expect(!meetingView.body.string.contains(privateText))
            #expect(try await apiCall(app, .PATCH, notes + "/\(sharedID)", pair.mentor, #"{"text": "Changed"}"#).status == .forbidden)
            #expect(try await apiCall(app, .DELETE, notes + "/\(privateID)", pair.mentor).status == .notFound)

            // Admin, coordinator and sponsor: every notes route and the space itself is a 404 with no note in it.
            for role in [Role.admin, .coordinator, .sponsor] {
                let token = try await apiToken(app, role: role)
                let attempts: [(HTTPMethod, String, String?)] = [
                    (.GET, pair.path, nil), (.GET, notes, nil), (.GET, pair.path + "/meetings/\(meetingID)", nil),
                    (.POST, notes, #"{"text": "Coordinator was here", "shared": true}"#),
                    (.PATCH, notes + "/\(privateID)", #"{"shared": true}"#), (.PATCH, notes + "/\(sharedID)", #"{"text": "x"}"#),
                    (.DELETE, notes + "/\(privateID)", nil), (.DELETE, notes + "/\(sharedID)", nil),
                ]
                for (method, path, body) in attempts {
                    let res = try await apiCall(app, method, path, token, body)
                    #expect(res.status == .notFound, "\(role) \(method) \(path)")
                    #expect(!res.body.string.contains(privateText) && !res.body.string.contains(sharedText))
                }
            }
            // Nothing they tried changed anything: the author still has both notes, as written.
            let kept = try await apiCall(app, .GET, notes, pair.mentee).content.decode([NoteDTO].self)
            #expect(Set(kept.map(\.id)) == [privateID, sharedID])
            #expect(kept.first { $0.id == privateID }?.shared == false && kept.first { $0.id == sharedID }?.text == sharedText)

            // The author shares, edits and deletes their own.
            let shared = try await apiCall(app, .PATCH, notes + "/\(privateID)", pair.mentee, #"{"shared": true}"#)
            #expect(try shared.content.decode(NoteDTO.self).shared)
            #expect(try await apiCall(app, .GET, notes, pair.mentor).content.decode([NoteDTO].self).count == 2)
            #expect(try await apiCall(app, .DELETE, notes + "/\(sharedID)", pair.mentee).status == .noContent)
            #expect(try await apiCall(app, .PATCH, notes + "/\(sharedID)", pair.mentee, #"{"shared": false}"#).status == .notFound)

            // Bad input: an empty note, a meeting of no pairing of theirs, a key the route does not take.
            try expectInvalid(try await apiCall(app, .POST, notes, pair.mentee, #"{"text": "  ", "shared": false}"#), "text")
            let elsewhere = #"{"text": "x", "shared": false, "meeting": "\#(UUID())"}"#
            try expectInvalid(try await apiCall(app, .POST, notes, pair.mentee, elsewhere), "meeting")
            try expectInvalid(try await apiCall(app, .PATCH, notes + "/\(privateID)", pair.mentee, #"{"author": "someone"}"#), "author")
        }
    }

    @Test func a_calendar_address_is_made_replaced_and_revoked() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            let feedBase = app.upward.publicURL + "/calendar/"
            #expect(try await apiCall(app, .GET, "/api/v1/calendar", pair.mentee).content.decode(CalendarStatusDTO.self).active == false)
            let made = try await apiCall(app, .POST, "/api/v1/calendar", pair.mentee)
            #expect(made.status == .created)
            let first = try made.content.decode(CalendarFeedDTO.self).url
            #expect(first.hasPrefix(feedBase) && first.hasSuffix(".ics"))
            let second = try await apiCall(app, .POST, "/api/v1/calendar", pair.mentee).content.decode(CalendarFeedDTO.self).url
            #expect(second != first)
            let status = try await apiCall(app, .GET, "/api/v1/calendar", pair.mentee).content.decode(CalendarStatusDTO.self)
            #expect(status.active && status.createdAt != nil)
            // The first address stopped working when the second was made; the second works until revoked.
            let service = PairingSpaceService(database: app.db, clock: app.clock)
            let secret = { (url: String) in String(url.dropFirst(feedBase.count).dropLast(".ics".count)) }
            #expect(try await service.feed(token: secret(first)) == nil)
            #expect(try await service.feed(token: secret(second))?.contains("BEGIN:VCALENDAR") == true)
            #expect(try await apiCall(app, .DELETE, "/api/v1/calendar", pair.mentee).status == .noContent)
            #expect(try await apiCall(app, .GET, "/api/v1/calendar", pair.mentee).content.decode(CalendarStatusDTO.self).active == false)
            #expect(try await service.feed(token: secret(second)) == nil)
        }
    }

    @Test func the_coordinator_sees_counts_and_never_the_pairs_words() async throws {
        try await withUpward { app in
            let pair = try await ActivePair.make(app)
            let goal = #"{"title": "Secret goal title", "measure": "Secret measure", "progress": 30}"#
            #expect(try await apiCall(app, .POST, pair.path + "/goals", pair.mentee, goal).status == .created)
            let note = #"{"text": "Secret note", "shared": true}"#
            #expect(try await apiCall(app, .POST, pair.path + "/notes", pair.mentee, note).status == .created)
            for token in [pair.mentee, pair.mentor] {
                #expect(try await apiCall(app, .POST, pair.path + "/agreement/sign", token, #"{"version": 1}"#).status == .ok)
            }
            #expect(try await apiCall(app, .POST, pair.path + "/preparation", pair.mentor).status == .ok)
            let coordinator = try await apiToken(app, role: .coordinator)
            let res = try await apiCall(app, .GET, "/api/v1/programmes/\(try pair.programme.requireID())/pairings", coordinator)
            #expect(res.status == .ok)
            let pairing = try #require(try res.content.decode([PairingDTO].self).first { $0.id == pair.id })
            let space = try #require(pairing.space)
            #expect(space.agreementVersion == 1 && space.signedAt != nil)
            #expect(space.goals.open == 1 && space.meanProgress == 30 && space.preparedCount == 1)
            #expect(space.meetings.total == pair.programme.sessionCount)
            for secret in ["Secret", "confidentiality", "Nothing leaves"] { #expect(!res.body.string.contains(secret)) }
        }
    }
}
