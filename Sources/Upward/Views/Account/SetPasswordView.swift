/// Choosing a password from an invitation or a reset link (`set-password.leaf`).
struct SetPasswordView: Encodable {
    var token: String
    var valid: Bool
    var heading: String
    var intro: String
    var action: String
    var name: String?
    var email: String?
    var error: String?
}
