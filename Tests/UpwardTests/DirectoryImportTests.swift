import Fluent
import Testing
import VaporTesting
@testable import Upward

@Suite("Directory import")
struct DirectoryImportTests {
    func importer(_ app: Application) -> DirectoryImporter {
        DirectoryImporter(database: app.db, linkBase: "http://upward.test")
    }

    @Test func first_import_adds_everyone_and_invites_them() async throws {
        try await withUpward { app in
            let summary = try await importer(app).run(csv: try fixture("people.csv"), dryRun: false)
            #expect(summary.succeeded)
            #expect(summary.created == 10)
            #expect(summary.invited == 10)
            #expect(try await Person.query(on: app.db).count() == 10)
            let users = try await User.query(on: app.db).all()
            #expect(users.count == 10)
            #expect(users.allSatisfy { $0.role == .participant && $0.passwordHash == nil && $0.$person.id != nil })
            #expect(try await OneTimeToken.query(on: app.db).filter(\.$purpose == .invitation).count() == 10)
            let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "noor.khan@example.org").first())
            #expect(message.body.contains("http://upward.test/invitation/"))
            let person = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E005").first())
            #expect(person.diversity == #"{"gender":"woman"}"#)
            #expect(try await DirectoryImportRecord.query(on: app.db).count() == 1)
        }
    }

    @Test func reimport_updates_by_employee_id_and_marks_leavers() async throws {
        try await withUpward { app in
            _ = try await importer(app).run(csv: try fixture("people.csv"), dryRun: false)
            let rosa = try #require(try await User.query(on: app.db).filter(\.$email == "rosa.silva@example.org").first())
            #expect(rosa.isActive)
            let summary = try await importer(app).run(csv: try fixture("people-update.csv"), dryRun: false)
            #expect(summary.succeeded)
            #expect(summary.created == 1)      // E011
            #expect(summary.leavers == 1)      // E007 is missing from the file
            #expect(summary.updated == 1)      // E003 promoted; columns missing from this file (birth_year) are left alone
            #expect(summary.unchanged == 8)
            #expect(summary.changes.contains { $0.employeeID == "E003" && $0.columns.contains("level") && $0.columns.contains("title") })
            let priya = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E003").first())
            #expect(priya.level == 5)
            #expect(priya.title == "Director of Engineering")
            let left = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E007").first())
            #expect(left.leaveDate == UpwardClock.system.today.description)
            let noor = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E005").first())
            #expect(noor.birthYear == 2002)
            // The leaver's account stops working.
            let rosaAfter = try #require(try await User.find(rosa.id, on: app.db))
            #expect(!rosaAfter.isActive)
            #expect(try await Person.query(on: app.db).count() == 11)
            // Importing the same file again changes nothing.
            let again = try await importer(app).run(csv: try fixture("people-update.csv"), dryRun: false)
            #expect(again.created == 0 && again.updated == 0 && again.leavers == 0 && again.unchanged == 10)
        }
    }

    @Test func a_file_with_errors_changes_nothing() async throws {
        try await withUpward { app in
            _ = try await importer(app).run(csv: try fixture("people.csv"), dryRun: false)
            let before = try await Person.query(on: app.db).sort(\.$externalID).all().map { "\($0.externalID) \($0.name) \($0.level) \($0.leaveDate ?? "-")" }
            let messagesBefore = try await OutboxMessage.query(on: app.db).count()
            let summary = try await importer(app).run(csv: try fixture("people-errors.csv"), dryRun: false)
            #expect(!summary.succeeded)
            #expect(summary.issues.count == 9)
            let after = try await Person.query(on: app.db).sort(\.$externalID).all().map { "\($0.externalID) \($0.name) \($0.level) \($0.leaveDate ?? "-")" }
            #expect(before == after)
            #expect(try await OutboxMessage.query(on: app.db).count() == messagesBefore)
            #expect(try await DirectoryImportRecord.query(on: app.db).count() == 1)
        }
    }

    @Test func a_dry_run_reports_the_changes_and_saves_nothing() async throws {
        try await withUpward { app in
            let summary = try await importer(app).run(csv: try fixture("people.csv"), dryRun: true)
            #expect(summary.dryRun)
            #expect(summary.created == 10 && summary.invited == 10)
            #expect(summary.changes.count == 10)
            #expect(try await Person.query(on: app.db).count() == 0)
            #expect(try await User.query(on: app.db).count() == 0)
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
        }
    }

    @Test func an_email_still_held_by_a_former_employee_is_refused() async throws {
        try await withUpward { app in
            _ = try await importer(app).run(csv: try fixture("people.csv"), dryRun: false)
            _ = try await importer(app).run(csv: try fixture("people-update.csv"), dryRun: false)  // E007 leaves
            let csv = try fixture("people-update.csv") + "E099,Rosa Silva,rosa.silva@example.org,Finance,Analyst,2,E006,,,,\n"
            let summary = try await importer(app).run(csv: csv, dryRun: false)
            #expect(summary.issues.count == 1)
            #expect(summary.issues.first?.row == 12)
            #expect(summary.issues.first?.reason.contains("already belongs to E007") == true)
        }
    }

    @Test func without_invitations_nobody_gets_an_account() async throws {
        try await withUpward { app in
            let summary = try await importer(app).run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            #expect(summary.invited == 0)
            #expect(try await User.query(on: app.db).count() == 0)
            // A later import with invitations invites those without an account.
            let later = try await importer(app).run(csv: try fixture("people.csv"), dryRun: false, invite: true)
            #expect(later.invited == 10)
        }
    }

    @Test func a_large_directory_imports_in_batches() async throws {
        try await withUpward { app in
            var lines = ["employee_id,name,email,department,level,manager_id"]
            lines.append("P0,Boss,boss@example.org,Ops,9,")
            for i in 1..<2500 {
                lines.append("P\(i),Person \(i),p\(i)@example.org,Dept \(i % 12),\(i % 7),P\(i / 10)")
            }
            let summary = try await importer(app).run(csv: lines.joined(separator: "\n"), dryRun: false)
            #expect(summary.succeeded, "\(summary.issues.prefix(3))")
            #expect(summary.created == 2500)
            #expect(try await Person.query(on: app.db).count() == 2500)
            #expect(try await User.query(on: app.db).count() == 2500)
        }
    }
}
