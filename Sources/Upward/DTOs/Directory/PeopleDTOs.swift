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

struct UserDTO: Content {
    var id: UUID
    var email: String
    var name: String
    var role: Role
    var personID: UUID?
    var active: Bool
    var hasPassword: Bool
    var lastSignInAt: Date?

    init(_ user: User) {
        id = user.id ?? UUID()
        email = user.email
        name = user.name
        role = user.role
        personID = user.$person.id
        active = user.isActive
        hasPassword = user.passwordHash != nil
        lastSignInAt = user.lastSignInAt
    }
}

struct APITokenDTO: Content {
    var id: UUID
    var name: String
    var prefix: String
    var createdAt: Date?
    var lastUsedAt: Date?

    init(_ token: APIToken) {
        id = token.id ?? UUID()
        name = token.name
        prefix = token.prefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
    }
}

struct CreatedAPITokenDTO: Content {
    var token: APITokenDTO
    /// The secret, shown this once.
    var secret: String
}

struct CreateAPITokenRequest: Content {
    var name: String
}

struct UpdateUserRequest: Content {
    var role: Role
}

struct OutboxMessageDTO: Content {
    var id: UUID
    var recipient: String
    var subject: String
    var body: String
    var createdAt: Date?

    init(_ message: OutboxMessage) {
        id = message.id ?? UUID()
        recipient = message.recipient
        subject = message.subject
        body = message.body
        createdAt = message.createdAt
    }
}

extension ImportSummary: Content {}
extension DirectoryService.DepartmentCount: Content {}
