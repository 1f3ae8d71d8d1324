import Foundation
import Testing
@testable import Upward

@Suite("Directory file validation")
struct DirectoryFileTests {
    let today = Day("2026-11-22")!

    @Test func valid_export_parses_every_row_with_its_columns() throws {
        let file = DirectoryFile.parse(try fixture("people.csv"), today: today)
        #expect(file.issues.isEmpty)
        #expect(file.rows.count == 10)
        let aiko = try #require(file.rows.first { $0.externalID == "E008" })
        #expect(aiko.name == "Tanaka, Aiko")  // a quoted comma stays in the field
        #expect(aiko.row == 9)
        #expect(aiko.diversity.isEmpty)
        let noor = try #require(file.rows.first { $0.externalID == "E005" })
        #expect(noor.managerID == "E003")
        #expect(noor.timeZone == "Asia/Singapore")
        #expect(noor.level == 1)
        #expect(noor.hireDate == "2024-09-01")
        #expect(noor.birthYear == 2002)
        #expect(noor.diversity == ["gender": "woman"])
    }

    @Test func headers_match_in_any_case_order_and_spacing() throws {
        let file = DirectoryFile.parse(try fixture("people-update.csv"), today: today)
        #expect(file.issues.isEmpty)
        #expect(file.rows.count == 10)
        #expect(file.rows.first?.timeZone == "Europe/London")
    }

    @Test func every_bad_row_is_reported_with_row_column_and_reason() throws {
        let issues = DirectoryFile.parse(try fixture("people-errors.csv"), today: today).issues
        func has(_ row: Int, _ column: String?, _ words: String) -> Bool {
            issues.contains { $0.row == row && $0.column == column && $0.reason.contains(words) }
        }
        #expect(has(3, "level", "'senior' is not a whole number"))
        #expect(has(4, "manager_id", "unknown manager 'E999'"))
        #expect(has(5, "hire_date", "'2022-13-01' is not a date"))
        #expect(has(6, "employee_id", "'E004' also appears in row 5"))
        #expect(has(7, "email", "also appears in row 2"))
        #expect(has(7, "time_zone", "'Mars/Olympus' is not a time zone"))
        #expect(has(7, "leave_date", "before the hire date"))
        #expect(has(8, "email", "'not-an-email' is not an email address"))
        #expect(has(9, nil, "the row has 8 fields but the header has 11"))
        #expect(issues.count == 9, "\(issues)")
        #expect(issues.map(\.row) == issues.map(\.row).sorted())
    }

    @Test func a_loop_in_the_reporting_line_is_reported_once() throws {
        let issues = DirectoryFile.parse(try fixture("people-cycle.csv"), today: today).issues
        #expect(issues.count == 1)
        #expect(issues.first?.row == 3)
        #expect(issues.first?.column == "manager_id")
        #expect(issues.first?.reason.contains("loops: B1 → C1 → D1 → B1") == true)
    }

    @Test func header_problems_are_reported_before_any_row() {
        let issues = DirectoryFile.parse("employee_id,name,emial,level\nE1,Ann,a@b.org,3\n", today: today).issues
        #expect(issues.contains { $0.row == 1 && $0.column == "emial" && $0.reason.contains("unknown column") })
        #expect(issues.contains { $0.row == 1 && $0.column == "email" && $0.reason.contains("required column is missing") })
        #expect(issues.contains { $0.row == 1 && $0.column == "department" })
    }

    @Test func empty_and_header_only_files_say_what_is_missing() {
        #expect(DirectoryFile.parse("", today: today).issues.first?.reason.contains("the file is empty") == true)
        #expect(DirectoryFile.parse("employee_id,name,email,department,level\n", today: today).issues.first?.reason.contains("no people") == true)
    }

    @Test func a_byte_order_mark_and_blank_lines_are_ignored() {
        let file = DirectoryFile.parse("\u{FEFF}employee_id,name,email,department,level\nE1,Ann,ann@example.org,Ops,3\n\n", today: today)
        #expect(file.issues.isEmpty)
        #expect(file.rows.count == 1)
    }

    @Test func someone_cannot_manage_themselves_and_levels_are_bounded() {
        let issues = DirectoryFile.parse("employee_id,name,email,department,level,manager_id,birth_year\nE1,Ann,ann@example.org,Ops,300,E1,1800\n", today: today).issues
        #expect(issues.contains { $0.column == "manager_id" && $0.reason.contains("own manager") })
        #expect(issues.contains { $0.column == "level" && $0.reason.contains("outside 0–99") })
        #expect(issues.contains { $0.column == "birth_year" && $0.reason.contains("outside 1900") })
    }

    @Test func days_are_validated_strictly() {
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2023-2-01") == nil)
        #expect(Day("01/02/2023") == nil)
        #expect(Day("2023-04-31") == nil)
        #expect(Day("2023-12-31")!.description == "2023-12-31")
    }
}

@Suite("Import problem wording")
struct ImportIssueWordingTests {
    @Test func a_problem_reads_as_row_column_reason() {
        #expect("\(ImportIssue(row: 3, column: "level", reason: "'senior' is not a whole number"))" == "row 3, column level: 'senior' is not a whole number")
        #expect("\(ImportIssue(row: 9, column: nil, reason: "the row has 8 fields"))" == "row 9: the row has 8 fields")
    }
}

@Suite("Secrets")
struct SecretsTests {
    @Test func tokens_are_long_random_and_url_safe() {
        let tokens = (0..<200).map { _ in Secrets.newToken() }
        #expect(Set(tokens).count == 200)
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
    }

    @Test func base64url_matches_the_standard_alphabet() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf, 0x00, 0x10]
        let standard = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(Secrets.base64URL(bytes) == standard)
        #expect(Secrets.base64URL([1]) == "AQ")
        #expect(Secrets.base64URL([]) == "")
    }

    @Test func trimming_handles_unicode_space() {
        #expect("  Ann \t".trimmed == "Ann")
        #expect("\u{00A0}Zoë\u{2003}".trimmed == "Zoë")
        #expect("   ".trimmed == "")
        #expect("plain".trimmed == "plain")
    }
}
