/// Accounts and their roles, for admins (`users.leaf`).
struct UsersView: Encodable {
    struct Row: Encodable {
        var name: String
        var email: String
        var role: String
        var status: String
        var action: String
        var roles: [SelectOption]
    }

    var users: [Row]
    var total: Int
    var q: String
}
