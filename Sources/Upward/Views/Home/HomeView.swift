/// The home page: what each role needs first (`home.leaf`). The template shows a role's cards by the booleans here.
struct HomeView: Encodable {
    struct Links: Encodable {
        var directory = WebRoute.directory.link()
        var importPeople = WebRoute.importPeople.link()
        var users = WebRoute.users.link()
        var outbox = WebRoute.outbox.link()
        var account = WebRoute.account.link()
        var tokens = WebRoute.tokens.link()
    }

    struct LastImport: Encodable {
        var when: String
        var by: String
        var summary: String
    }

    /// Accounts and the outbox.
    var isAdmin: Bool
    /// The directory's size and the last import.
    var managesDirectory: Bool
    /// Their own directory entry and programmes.
    var isParticipant: Bool
    /// The organisation in numbers.
    var isSponsor: Bool
    var firstName: String
    var people: Int
    var departmentCount: Int
    var departments: [DirectoryService.DepartmentCount]
    var hiddenDepartments: Int
    var lastImport: LastImport?
    var pendingInvitations: Int
    var accounts: Int
    var me: PersonRow?
    var myManager: PersonRow?
    var directoryEmpty: Bool
    var links = Links()

    init(role: Role, firstName: String, people: Int, departmentCount: Int, departments: [DirectoryService.DepartmentCount],
         hiddenDepartments: Int, lastImport: LastImport?, pendingInvitations: Int, accounts: Int, me: PersonRow?, myManager: PersonRow?) {
        isAdmin = role == .admin
        managesDirectory = role == .admin || role == .coordinator
        isParticipant = role == .participant
        isSponsor = role == .sponsor
        self.firstName = firstName
        self.people = people
        self.departmentCount = departmentCount
        self.departments = departments
        self.hiddenDepartments = hiddenDepartments
        self.lastImport = lastImport
        self.pendingInvitations = pendingInvitations
        self.accounts = accounts
        self.me = me
        self.myManager = myManager
        directoryEmpty = people == 0
    }
}
