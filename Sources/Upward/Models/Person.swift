import Fluent
import SQLKit
import Foundation

/// One employee from the directory (HRIS export). Day dates are ISO `yyyy-MM-dd` strings:
/// they compare correctly as text, carry no time zone, and are stored the same way by SQLite and PostgreSQL.
extension Person {
    /// The grades a directory may use: the import, eligibility, invitations and searches all hold to this range.
    static let levelRange = 0...99
}

final class Person: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Field(key: "external_id") var externalID: String
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "department") var department: String
    @OptionalField(key: "title") var title: String?
    @Field(key: "level") var level: Int
    @OptionalField(key: "manager_external_id") var managerExternalID: String?
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "time_zone") var timeZone: String?
    @OptionalField(key: "hire_date") var hireDate: String?
    @OptionalField(key: "leave_date") var leaveDate: String?
    @OptionalField(key: "birth_year") var birthYear: Int?
    /// Self-declared diversity attributes as a JSON object. Confidential: never shown for one person.
    @OptionalField(key: "diversity") var diversity: String?
    /// Lower-cased name, email, department and title, so one portable `LIKE` searches them all.
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Whether this person has left the organisation on `today` (an ISO day).
    func hasLeft(asOf today: String) -> Bool { Self.hasLeft(leaveDate: leaveDate, asOf: today) }

    /// The rule, in one place: a leave date on or before today. ISO days compare correctly as text.
    /// (The directory's SQL filter is its negation: no leave date, or one after today.)
    static func hasLeft(leaveDate: String?, asOf today: String) -> Bool {
        leaveDate.map { $0 <= today } ?? false
    }

    /// The SQL form of "has not left on `day`" (the negation of `hasLeft`), for raw statements.
    static func currentStaffSQL(on day: Day) -> SQLQueryString {
        "(leave_date IS NULL OR leave_date > \(bind: day.description))"
    }

    static func searchText(name: String, email: String, department: String, title: String?) -> String {
        [name, email, department, title ?? ""].joined(separator: " ").lowercased()
    }
}

extension QueryBuilder where Model == Person {
    /// Current staff on `day`: the query form of "has not left" (`Person.hasLeft`), the one way every list,
    /// count and search leaves leavers out.
    func currentStaff(on day: Day) -> Self {
        group(.or) { $0.filter(\.$leaveDate == nil).filter(\.$leaveDate > day.description) }
    }
}
