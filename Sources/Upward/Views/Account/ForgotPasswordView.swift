/// Asking for a reset link, and the answer that one is on its way (`forgot-password.leaf`).
struct ForgotPasswordView: Encodable {
    var sent: Bool
}
