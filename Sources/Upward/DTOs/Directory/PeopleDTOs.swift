import Vapor

/// What the API says about a person. No birth year and no diversity data: those never leave in a single record.
struct PersonDTO: Content {
    var id: UUID
    var employeeID: String
    var name: String
    var email: String
    var department: String
    var title: String?
    var level: Int
    var managerEmployeeID: String?
    var location: String?
    var timeZone: String?
    var hireDate: String?
    var leaveDate: String?
    var hasLeft: Bool

    init(_ person: Person, access: DirectoryAccess) {
        id = person.id ?? UUID()
        employeeID = person.externalID
        name = person.name
        email = person.email
        department = person.department
        title = person.title
        level = person.level
        managerEmployeeID = person.managerExternalID
        location = person.location
        timeZone = person.timeZone
        hireDate = access.seesEmployment ? person.hireDate : nil
        leaveDate = access.seesEmployment ? person.leaveDate : nil
        hasLeft = person.hasLeft(asOf: access.today.description)
    }
}

struct PersonDetailDTO: Content {
    var person: PersonDTO
    /// Nearest first.
    var managers: [PersonDTO]
    var directReports: [PersonDTO]
    var organisationSize: Int
}

struct PageDTO<Item: Content>: Content {
    var items: [Item]
    var page: Int
    var per: Int
    var total: Int
    var pageCount: Int
}

extension ImportSummary: Content {}
extension DirectoryService.DepartmentCount: Content {}
