import CSV
import Foundation

/// One problem in an uploaded directory file, located so a person can fix it in a spreadsheet.
/// Rows count the header as row 1, as spreadsheets do.
public struct ImportIssue: Codable, Equatable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: String?
    public var reason: String

    public var description: String {
        if let column { return "row \(row), column \(column): \(reason)" }
        return "row \(row): \(reason)"
    }
}

/// A validated directory row.
struct DirectoryRow: Equatable, Sendable {
    var row: Int
    var externalID: String
    var name: String
    var email: String
    var department: String
    var title: String?
    var level: Int
    var managerID: String?
    var location: String?
    var timeZone: String?
    var hireDate: String?
    var leaveDate: String?
    var birthYear: Int?
    /// `diversity_*` columns without the prefix, e.g. ["gender": "woman"]. Empty cells are left out.
    var diversity: [String: String]
}

/// The columns a directory CSV may carry. Header names are matched case-insensitively,
/// in any order; spaces and dashes count as underscores.
enum DirectoryColumns {
    static let required = ["employee_id", "name", "email", "department", "level"]
    static let optional = ["title", "manager_id", "location", "time_zone", "hire_date", "leave_date", "birth_year"]
    /// Any column starting with this prefix is a self-declared diversity attribute (e.g. `diversity_gender`).
    static let diversityPrefix = "diversity_"
    static let all = required + optional

    static func normalise(_ header: String) -> String {
        header.trimmed
            .lowercased()
            .replacingOccurrences(of: " ", with: "_")
            .replacingOccurrences(of: "-", with: "_")
    }
}

/// A parsed and validated directory file: the rows when there are no issues.
struct DirectoryFile: Sendable {
    var rows: [DirectoryRow] = []
    var issues: [ImportIssue] = []
    /// The columns the file has. On re-import, a column the file lacks leaves that field as it was.
    var columns: Set<String> = []

    /// Parses and validates a whole CSV export. Every problem is reported, not just the first.
    static func parse(_ text: String, today: Day) -> DirectoryFile {
        var file = DirectoryFile()
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        guard !text.trimmed.isEmpty else {
            file.issues.append(.init(row: 1, column: nil, reason: "the file is empty; expected a header row naming the columns \(DirectoryColumns.required.joined(separator: ", "))"))
            return file
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            file.issues.append(.init(row: 1, column: nil, reason: "the header row could not be read as CSV"))
            return file
        }
        let header = (reader.headerRow ?? []).map(DirectoryColumns.normalise)
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if name.isEmpty {
                file.issues.append(.init(row: 1, column: nil, reason: "column \(i + 1) has no name"))
            } else if index[name] != nil {
                file.issues.append(.init(row: 1, column: name, reason: "the column appears twice"))
            } else if !DirectoryColumns.all.contains(name) && !name.hasPrefix(DirectoryColumns.diversityPrefix) {
                file.issues.append(.init(row: 1, column: name, reason: "unknown column; expected \(DirectoryColumns.all.joined(separator: ", ")) or diversity_<attribute>"))
            }
            index[name] = index[name] ?? i
        }
        for name in DirectoryColumns.required where index[name] == nil {
            file.issues.append(.init(row: 1, column: name, reason: "required column is missing"))
        }
        if !file.issues.isEmpty { return file }
        file.columns = Set(header)
        let diversityColumns = header.enumerated().filter { $0.element.hasPrefix(DirectoryColumns.diversityPrefix) }

        var rowNumber = 1
        var firstRowOfID: [String: Int] = [:]
        var firstRowOfEmail: [String: Int] = [:]
        // Managers named by rows with other problems: an unknown one is reported now too, not after those are fixed.
        var managersOfRowsWithProblems: [(row: Int, managerID: String)] = []
        while let fields = reader.next() {
            rowNumber += 1
            if fields.count == 1 && fields[0].trimmed.isEmpty { continue }  // blank line
            if fields.count != header.count {
                file.issues.append(.init(row: rowNumber, column: nil, reason: "the row has \(fields.count) fields but the header has \(header.count)"))
                continue
            }
            var cells = RowReader(fields: fields, index: index, row: rowNumber)
            for (column, i) in index.sorted(by: { $0.value < $1.value }) where i < fields.count {
                if fields[i].count > TextLimit.line { cells.issue(column, "is longer than \(TextLimit.line) characters") }
                if fields[i].unicodeScalars.contains("\u{0}") { cells.issue(column, "contains a NUL character") }
            }
            let externalID = cells.required("employee_id")
            let name = cells.required("name")
            let email = cells.required("email")?.lowercased()
            let department = cells.required("department")
            let level = cells.integer("level", required: true, in: Person.levelRange)
            if let externalID, externalID.count > 64 {
                cells.issue("employee_id", "is longer than 64 characters")
            }
            if let email, !Self.looksLikeEmail(email) {
                cells.issue("email", "'\(email)' is not an email address")
            }
            let timeZone = cells.optional("time_zone")
            if let timeZone, TimeZone(identifier: timeZone) == nil {
                cells.issue("time_zone", "'\(timeZone)' is not a time zone name such as Europe/London")
            }
            let hireDate = cells.day("hire_date")
            let leaveDate = cells.day("leave_date")
            if let hireDate, let leaveDate, leaveDate < hireDate {
                cells.issue("leave_date", "\(leaveDate) is before the hire date \(hireDate)")
            }
            let birthYear = cells.integer("birth_year", required: false, in: 1900...(today.year - 14))
            let managerID = cells.optional("manager_id")
            if let managerID, managerID == externalID {
                cells.issue("manager_id", "a person cannot be their own manager")
            }
            if let externalID {
                if let first = firstRowOfID[externalID] {
                    cells.issue("employee_id", "'\(externalID)' also appears in row \(first)")
                } else {
                    firstRowOfID[externalID] = rowNumber
                }
            }
            if let email {
                if let first = firstRowOfEmail[email] {
                    cells.issue("email", "'\(email)' also appears in row \(first)")
                } else {
                    firstRowOfEmail[email] = rowNumber
                }
            }
            var diversity: [String: String] = [:]
            for (i, column) in diversityColumns {
                let value = fields[i].trimmed
                if !value.isEmpty { diversity[String(column.dropFirst(DirectoryColumns.diversityPrefix.count))] = value }
            }
            file.issues += cells.issues
            if !cells.issues.isEmpty, let managerID, managerID != externalID { managersOfRowsWithProblems.append((rowNumber, managerID)) }
            if cells.issues.isEmpty, let externalID, let name, let email, let department, let level {
                file.rows.append(DirectoryRow(
                    row: rowNumber, externalID: externalID, name: name, email: email, department: department,
                    title: cells.optional("title"), level: level, managerID: managerID,
                    location: cells.optional("location"), timeZone: timeZone,
                    hireDate: hireDate?.description, leaveDate: leaveDate?.description,
                    birthYear: birthYear, diversity: diversity))
            }
        }
        if rowNumber == 1 {
            file.issues.append(.init(row: 1, column: nil, reason: "the file has a header but no people"))
        }
        let knownIDs = Set(firstRowOfID.keys)
        file.issues += Self.reportingLineIssues(file.rows, knownIDs: knownIDs)
        file.issues += managersOfRowsWithProblems.filter { !knownIDs.contains($0.managerID) }.map {
            ImportIssue(row: $0.row, column: "manager_id", reason: "unknown manager '\($0.managerID)': no row has that employee_id")
        }
        file.issues.sort { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        return file
    }

    /// One `@` with text before it, a dotted domain after it, and no spaces. Checked on UTF-8 bytes:
    /// this runs once per row of a 100 000-row import.
    static func looksLikeEmail(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at != bytes.startIndex else { return false }
        let domain = bytes[bytes.index(after: at)...]
        guard let first = domain.first, let last = domain.last, first != UInt8(ascii: "."), last != UInt8(ascii: "."),
              domain.contains(UInt8(ascii: ".")), !domain.contains(UInt8(ascii: "@")) else { return false }
        return !bytes.contains { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    }

    /// Unknown managers, and loops in the reporting line (each loop reported once, at its first row).
    /// `knownIDs` holds every id in the file, also of rows with other problems, so a manager
    /// whose own row has a typo is not reported as unknown too.
    static func reportingLineIssues(_ rows: [DirectoryRow], knownIDs: Set<String>) -> [ImportIssue] {
        var issues: [ImportIssue] = []
        var rowOf: [String: Int] = [:]
        var managerOf: [String: String] = [:]
        for r in rows {
            rowOf[r.externalID] = r.row
            if let m = r.managerID { managerOf[r.externalID] = m }
        }
        for r in rows {
            if let m = r.managerID, !knownIDs.contains(m) {
                issues.append(.init(row: r.row, column: "manager_id", reason: "unknown manager '\(m)': no row has that employee_id"))
            }
        }
        // Walk up from each person; 0 = unvisited, 1 = on the current path, 2 = known to reach the top.
        var state: [String: UInt8] = [:]
        for start in rows.map(\.externalID) where state[start] == nil {
            var path: [String] = []
            var current: String? = start
            while let id = current, rowOf[id] != nil, state[id] == nil {
                state[id] = 1
                path.append(id)
                current = managerOf[id]
            }
            if let id = current, state[id] == 1, let loopStart = path.firstIndex(of: id) {
                let loop = Array(path[loopStart...])
                // Report the loop at its earliest row (every id on the path has a row: the walk only follows those).
                let row = loop.compactMap { rowOf[$0] }.min() ?? 0
                issues.append(.init(row: row, column: "manager_id",
                                    reason: "the reporting line loops: \((loop + [loop[0]]).joined(separator: " → "))"))
            }
            for id in path { state[id] = 2 }
        }
        return issues
    }
}

/// Reads cells of one row by column name, collecting issues.
private struct RowReader {
    let fields: [String]
    let index: [String: Int]
    let row: Int
    var issues: [ImportIssue] = []

    mutating func issue(_ column: String, _ reason: String) {
        issues.append(.init(row: row, column: column, reason: reason))
    }

    func optional(_ column: String) -> String? {
        guard let i = index[column] else { return nil }
        let value = fields[i].trimmed
        return value.isEmpty ? nil : value
    }

    mutating func required(_ column: String) -> String? {
        guard let value = optional(column) else {
            issue(column, "is empty; it is required")
            return nil
        }
        return value
    }

    mutating func integer(_ column: String, required: Bool, in range: ClosedRange<Int>) -> Int? {
        guard let text = required ? self.required(column) : optional(column) else { return nil }
        guard let value = Int(text) else {
            issue(column, "'\(text)' is not a whole number")
            return nil
        }
        guard range.contains(value) else {
            issue(column, "\(value) is outside \(range.lowerBound)–\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func day(_ column: String) -> Day? {
        guard let text = optional(column) else { return nil }
        guard let day = Day(text) else {
            issue(column, "'\(text)' is not a date written YYYY-MM-DD")
            return nil
        }
        return day
    }
}

extension String {
    /// Without leading and trailing white space. Foundation's `trimmingCharacters(in:)` goes through
    /// NSString on Linux and was a quarter of a large import's time.
    var trimmed: String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self  // the usual case: nothing to trim
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }
}
