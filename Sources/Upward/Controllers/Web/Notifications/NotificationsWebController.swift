import Vapor

/// The bell's page, marking notifications read, and the choices of how each kind of message reaches a person.
struct NotificationsWebController {
    func register(on routes: any RoutesBuilder) {
        let signedIn = routes.grouped(RequireRole(.admin, .coordinator, .participant, .sponsor))
        signedIn.get(WebRoute.notifications.components, use: list)
        signedIn.post(WebRoute.notificationsRead.components, use: markRead)
        signedIn.get(WebRoute.notificationPreferences.components, use: preferences)
        signedIn.post(WebRoute.notificationPreferences.components, use: savePreferences)
    }

    static let perPage = 20

    struct ListQuery: Decodable { var page: Int? }

    func list(req: Request) async throws -> Response {
        let userID = try req.user().requireID()
        let query = try req.query.decode(ListQuery.self)
        let page = PageRequest(lenientPage: query.page, per: Self.perPage)
        let result = try await req.notifications.page(for: userID, page)
        return try await req.page("notifications", title: "Notifications",
                                  NotificationsView(items: result.items, total: result.total, unread: result.unread, page: page))
    }

    struct ReadForm: Decodable {
        /// One notification; without it, all of them.
        var id: UUID?
        /// Present: go on to the page the notification is about.
        var open: String?
    }

    /// Marks one notification read (and opens its page, when asked) or all of them.
    func markRead(req: Request) async throws -> Response {
        let userID = try req.user().requireID()
        let form = try req.content.decode(ReadForm.self)
        let count = try await req.notifications.markRead(for: userID, ids: form.id.map { [$0] })
        // The page is the notification's own, as Upward stored it: the form names no address, so cannot send anyone elsewhere.
        if form.open != nil, let id = form.id, let link = try await req.notifications.link(of: id, for: userID) {
            return req.redirect(to: link)
        }
        return req.redirect(to: WebRoute.notifications.link(),
                            flash: form.id == nil ? (count == 0 ? "Nothing was unread." : "All notifications are marked read.") : "Marked read.")
    }

    func preferences(req: Request) async throws -> Response {
        let userID = try req.user().requireID()
        return try await req.page("notification-preferences", title: "What Upward sends you",
                                  NotificationPreferencesView(try await req.notifications.preferences(for: userID)))
    }

    func savePreferences(req: Request) async throws -> Response {
        let userID = try req.user().requireID()
        let form = try req.content.decode([String: String].self)
        var choices: [NotificationKind: NotificationDelivery] = [:]
        var issues: [FieldIssue] = []
        for kind in NotificationKind.choosable {
            guard let value = form[kind.rawValue] else { continue }
            guard let delivery = NotificationDelivery(rawValue: value) else {
                issues.append(FieldIssue(field: kind.rawValue, message: "Choose how \(kind.label.lowercased()) reaches you."))
                continue
            }
            choices[kind] = delivery
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        try await req.notifications.setPreferences(for: userID, choices)
        return req.redirect(to: WebRoute.notificationPreferences.link(), flash: "Your choices are saved.")
    }
}

/// One-click unsubscribe (RFC 8058): the address in a message's `List-Unsubscribe` header works without signing in —
/// its key says whose choices change. Opening it only shows what it would stop (mail scanners open links); the
/// button, or a mail application's one-click `POST`, stops that kind of mail (it stays in Upward, under the bell).
/// Registered on the plain application, like the calendar feed: no session, no CSRF.
struct UnsubscribeController {
    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.unsubscribe.components, use: show)
        routes.post(WebRoute.unsubscribe.components, use: unsubscribe)
    }

    private func unsubscription(_ req: Request) async throws -> NotificationService.Unsubscription {
        let token = req.parameters.get("token") ?? "", topic = req.parameters.get("topic") ?? ""
        guard let found = try await req.notifications.unsubscription(token: token, topic: topic) else {
            throw Abort(.notFound, reason: "This unsubscribe link is not known. Sign in and choose what Upward sends you on your account page.")
        }
        return found
    }

    func show(req: Request) async throws -> Response {
        let found = try await unsubscription(req)
        return try await req.page("unsubscribe", title: "Unsubscribe",
                                  UnsubscribeView(topic: found.topicLabel, email: found.email, hasAccount: found.hasAccount, done: false, action: req.url.path))
    }

    func unsubscribe(req: Request) async throws -> Response {
        let found = try await unsubscription(req)
        try await req.notifications.unsubscribe(found)
        return try await req.page("unsubscribe", title: "Unsubscribed",
                                  UnsubscribeView(topic: found.topicLabel, email: found.email, hasAccount: found.hasAccount, done: true, action: req.url.path))
    }
}
