/// A person's page with their reporting line (`person.leaf`).
struct PersonView: Encodable {
    var person: PersonRow
    var managers: [PersonRow]
    var directReports: [PersonRow]
    var organisationSize: Int
    var showEmploymentDates: Bool
    var directory = WebRoute.directory.link()
}
