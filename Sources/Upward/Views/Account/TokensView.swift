/// A user's personal API tokens, and a new token's secret shown once (`tokens.leaf`).
struct TokensView: Encodable {
    struct Row: Encodable {
        var name: String
        var prefix: String
        var created: String
        var lastUsed: String
        var revoke: String
    }

    var tokens: [Row]
    var secret: String?
    var name = FieldState()
    var action = WebRoute.tokens.link()
}
