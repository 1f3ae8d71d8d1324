import Foundation

/// The outbox (`outbox.leaf`): messages by state, searched and paged, with the delivery's state at the top and, for
/// each message, its attempts, the server's reply or the reason it failed, and retry or cancel.
struct OutboxView: Encodable {
    struct Message: Encodable {
        var recipient: String
        var subject: String
        var body: String
        var created: String
        var status: String
        var statusKey: String
        var attempts: Int
        var detail: String?
        var action: String
        var canRetry: Bool
        var canCancel: Bool
    }

    struct Count: Encodable {
        var label: String
        var count: Int
        var link: String
        var current: Bool
    }

    var messages: [Message]
    var total: Int
    var counts: [Count]
    var q: String
    var statusOptions: [SelectOption]
    var action: String
    var page: Int
    var pageCount: Int
    var previous: String?
    var next: String?
    /// "smtp://user@mail.example.org:587, from Upward <upward@example.org>", or nil when mail is not delivered.
    var delivery: String?

    init(messages: [OutboxMessage], total: Int, counts: [OutboxStatus: Int], filter: OutboxService.Filter, page: Int, per: Int, delivery: String?) {
        let delivering = delivery != nil
        func link(_ status: OutboxStatus?, page: Int = 1) -> String {
            var items: [URLQueryItem] = []
            if let status { items.append(.init(name: "status", value: status.rawValue)) }
            if let q = filter.text, !q.isEmpty { items.append(.init(name: "q", value: q)) }
            if page > 1 { items.append(.init(name: "page", value: String(page))) }
            return WebLink.path(WebRoute.outbox.link(), query: items)
        }
        self.messages = messages.map { m in
            let detail: String? = switch m.status {
            case .sent: m.reply.map { "Sent \(Formatting.dateTime(m.sentAt)): \($0)" }
            case .pending where m.attempts > 0: "Attempt \(m.attempts) failed: \(m.lastError ?? "no reason given"). Next try \(Formatting.dateTime(m.nextAttemptAt))."
            case .failed: "Failed after \(m.attempts) attempt\(m.attempts == 1 ? "" : "s"): \(m.lastError ?? "no reason given")"
            default: nil
            }
            return Message(recipient: m.recipient, subject: m.subject, body: m.bodyForAdmins(mailIsDelivered: delivering), created: Formatting.dateTime(m.createdAt),
                           status: m.status.rawValue.capitalized, statusKey: m.status.rawValue, attempts: m.attempts, detail: detail,
                           action: WebRoute.outboxMessage.link(m.id ?? UUID()), canRetry: [.failed, .cancelled].contains(m.status),
                           canCancel: m.status == .pending)
        }
        self.total = total
        self.counts = [Count(label: "All", count: counts.values.reduce(0, +), link: link(nil), current: filter.status == nil)]
            + OutboxStatus.allCases.map { Count(label: $0.rawValue.capitalized, count: counts[$0] ?? 0, link: link($0), current: filter.status == $0) }
        q = filter.text ?? ""
        statusOptions = [SelectOption(value: "", label: "Any state", selected: filter.status == nil)]
            + OutboxStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue.capitalized, selected: filter.status == $0) }
        action = WebRoute.outbox.link()
        self.page = page
        pageCount = max(1, (total + per - 1) / per)
        previous = page > 1 ? link(filter.status, page: page - 1) : nil
        next = page < pageCount ? link(filter.status, page: page + 1) : nil
        self.delivery = delivery
    }
}
