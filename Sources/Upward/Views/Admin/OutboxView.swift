/// Messages waiting for mail delivery (`outbox.leaf`).
struct OutboxView: Encodable {
    struct Message: Encodable {
        var recipient: String
        var subject: String
        var body: String
        var created: String
    }

    var messages: [Message]
    var total: Int
}
