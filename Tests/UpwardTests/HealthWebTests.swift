import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

@Suite("Keeping on track in the pages")
struct HealthWebTests {
    /// The demo's sign-in of `role`, signed in.
    func signedIn(_ app: Application, role: Role) async throws -> WebSession {
        let user = try #require(try await User.query(on: app.db).filter(\.$role == role).first())
        let web = WebSession(app)
        #expect(try await web.signIn(user.email, DemoOrganisation.password).status == .seeOther)
        return web
    }

    @Test func homes_board_filters_and_settings_on_the_demo() async throws {
        try await withUpward { app in
            _ = try await UpwardApp.loadDemo(app)
            let lab = try #require(try await Programme.query(on: app.db).filter(\.$name == "Leadership lab").first())
            let labID = try lab.requireID()
            // The coordinator's home: every programme not closed by stage, the running one first with its alerts,
            // and the alerts someone raised about their own pairing.
            let coordinator = try await signedIn(app, role: .coordinator)
            let home = try await coordinator.get("/").body.string
            #expect(home.contains("People asking for your help") && home.contains("“We need help”") && home.contains("“Not a good fit”"))
            #expect(home.contains("Programme health") && home.contains("asking for a new partner"))
            #expect(!home.contains("We keep talking past each other"))   // the comment stays on the pair's health, for the coordinator
            // The board and its filters; a value that is not one of the states is refused with a message.
            let board = try await coordinator.get(WebRoute.programmeHealth.link(labID)).body.string
            #expect(board.contains("12 pairings by state") && board.contains("Meetings planned and held, by week") && board.contains("<svg"))
            let stalled = try await coordinator.get(WebRoute.programmeHealth.link(labID) + "?state=stalled").body.string
            #expect(stalled.contains("3 pairings · page 1 of 1"))
            let wrong = try await coordinator.get(WebRoute.programmeHealth.link(labID) + "?state=worried")
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("state must be one of"))
            #expect(try await coordinator.get(WebRoute.programmeHealth.link(labID) + "?page=99").status == .ok)
            // A sponsor sees programmes in aggregate; never a programme of fewer than five pairs.
            let sponsor = try await signedIn(app, role: .sponsor)
            let theirs = try await sponsor.get("/").body.string
            #expect(theirs.contains("Programmes in numbers") && theirs.contains("12 pairings, 24 people") && theirs.contains("Fewer than 5 pairs"))
            #expect(!theirs.contains("People asking for your help"))
            #expect(try await sponsor.get(WebRoute.programmeHealth.link(labID)).status == .forbidden)
            // Thresholds in the programme form: a number out of range is named, and nothing is saved.
            let edit = WebRoute.editProgramme.link(labID)
            let form = try await coordinator.get(edit).body.string
            #expect(form.contains("healthThresholds.quietDays") && form.contains("checkInSchedule.everyDays"))
            var fields = ProgrammesWebController.fields(ProgrammeInput(lab))
            fields["healthThresholds.lowScore"] = "9"
            let refused = try await coordinator.submit(edit, fields)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("A low check-in score is at or below is a whole number from 1 to 4"))
            #expect(try await Programme.find(labID, on: app.db)?.healthThresholds.lowScore == 2)
            fields["healthThresholds.lowScore"] = "3"
            #expect(try await coordinator.submit(edit, fields).status == .seeOther)
            let saved = try #require(try await Programme.find(labID, on: app.db))
            #expect(saved.healthThresholds.lowScore == 3 && saved.checkInSchedule.everyDays == 21)
        }
    }
}
