/// A user's own account and the password form (`account.leaf`).
struct AccountView: Encodable {
    var name: String
    var email: String
    var role: String
    var personLink: String?
    var current = FieldState()
    var password = FieldState()
    var passwordAction = WebRoute.accountPassword.link()
    var tokensLink = WebRoute.tokens.link()
}
