import Foundation

/// The bell's page: the person's notifications, newest first, paged.
struct NotificationsView: Encodable {
    struct Item: Encodable {
        var id: String
        var subject: String
        var body: String
        var link: String?
        var created: String
        var unread: Bool
    }

    var items: [Item]
    var total: Int
    var unread: Int
    var page: Int
    var pageCount: Int
    var previous: String?
    var next: String?
    var readAction = WebRoute.notificationsRead.link()
    var preferencesLink = WebRoute.notificationPreferences.link()

    init(items: [AppNotification], total: Int, unread: Int, page: PageRequest) {
        self.items = items.map { n in
            Item(id: n.id?.uuidString ?? "", subject: n.subject, body: n.body, link: n.link,
                 created: Formatting.dateTime(n.createdAt), unread: n.readAt == nil)
        }
        self.total = total
        self.unread = unread
        self.page = page.page
        pageCount = page.pageCount(of: total)
        let base = WebRoute.notifications.link()
        previous = page.page > 1 ? base + "?page=\(page.page - 1)" : nil
        next = page.page < pageCount ? base + "?page=\(page.page + 1)" : nil
    }
}

/// How each kind of message reaches the person: one group of choices per kind.
struct NotificationPreferencesView: Encodable {
    struct Choice: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Kind: Encodable {
        var field: String
        var id: String
        var label: String
        var choices: [Choice]
    }

    var kinds: [Kind]
    var essential: [String]
    var action = WebRoute.notificationPreferences.link()
    var notificationsLink = WebRoute.notifications.link()

    init(_ preferences: [(kind: NotificationKind, delivery: NotificationDelivery)]) {
        kinds = preferences.map { kind, delivery in
            Kind(field: kind.rawValue, id: kind.rawValue.replacingOccurrences(of: ".", with: "-"), label: kind.label,
                 choices: kind.deliveries.map { Choice(value: $0.rawValue, label: $0.label, checked: $0 == delivery) })
        }
        essential = NotificationKind.allCases.filter(\.isEssential).map(\.label)
    }
}

/// The one-click unsubscribe page: what the address stops, and the button (or what was done).
struct UnsubscribeView: Encodable {
    var topic: String
    var email: String
    /// Someone with an account still finds these messages under Notifications.
    var hasAccount: Bool
    var done: Bool
    var action: String
    var preferencesLink = WebRoute.notificationPreferences.link()
}
