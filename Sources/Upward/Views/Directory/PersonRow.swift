/// A person as a row in a list or a card.
struct PersonRow: Encodable {
    var link: String
    var employeeID: String
    var name: String
    var email: String
    var department: String
    var title: String
    var level: Int
    var location: String?
    var timeZone: String?
    var hireDate: String?
    var leaveDate: String?
    var hasLeft: Bool

    init(_ person: Person, access: DirectoryAccess) throws {
        link = WebRoute.person.link(try person.requireID())
        employeeID = person.externalID
        name = person.name
        email = person.email
        department = person.department
        title = person.title ?? ""
        level = person.level
        location = person.location
        timeZone = person.timeZone
        hireDate = access.seesEmployment ? person.hireDate : nil
        leaveDate = access.seesEmployment ? person.leaveDate : nil
        hasLeft = person.hasLeft(asOf: access.today.description)
    }
}
