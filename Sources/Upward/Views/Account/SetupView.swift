/// The first admin's form, from the one-time setup link (`setup.leaf`).
struct SetupView: Encodable {
    var action: String
    var valid: Bool
    var name = FieldState()
    var email = FieldState()
    var password = FieldState()

    init(token: String, valid: Bool) {
        action = WebRoute.setup.link(token)
        self.valid = valid
    }
}
