/// The sign-in form (`sign-in.leaf`).
struct SignInView: Encodable {
    var email = ""
    var next = ""
    var error: String?
}
