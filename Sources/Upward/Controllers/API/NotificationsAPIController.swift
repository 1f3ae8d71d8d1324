import Vapor

/// `/api/v1/notifications` and `/api/v1/notification-preferences`: the caller's own, whatever their role.
struct NotificationsAPIController {
    func register(on routes: any RoutesBuilder) {
        routes.get(APIRoute.notifications.components, use: list)
        routes.post(APIRoute.notificationsRead.components, use: markRead)
        routes.get(APIRoute.notificationPreferences.components, use: preferences)
        routes.patch(APIRoute.notificationPreferences.components, use: setPreferences)
    }

    struct ListQuery: Decodable {
        var page: Int?
        var per: Int?
    }

    func list(req: Request) async throws -> NotificationPageDTO {
        let query = try req.strictQuery(ListQuery.self)
        let page = try PageRequest(page: query.page, per: query.per, maxPer: NotificationService.maxPer)
        let result = try await req.notifications.page(for: try req.user().requireID(), page)
        return NotificationPageDTO(items: result.items.map(NotificationDTO.init), page: page.page, per: page.per, total: result.total,
                                   pageCount: page.pageCount(of: result.total), unread: result.unread)
    }

    func markRead(req: Request) async throws -> MarkedReadDTO {
        let body = try req.jsonBody(MarkReadRequest.self, whenAbsent: MarkReadRequest())
        if let ids = body.ids, ids.count > NotificationService.maxPer {
            throw InvalidInput(issues: [FieldIssue(field: "ids", message: "Send at most \(NotificationService.maxPer) ids at a time; it had \(ids.count).")])
        }
        return MarkedReadDTO(marked: try await req.notifications.markRead(for: try req.user().requireID(), ids: body.ids))
    }

    func preferences(req: Request) async throws -> [NotificationPreferenceDTO] {
        try await req.notifications.preferences(for: try req.user().requireID()).map(NotificationPreferenceDTO.init)
    }

    func setPreferences(req: Request) async throws -> [NotificationPreferenceDTO] {
        let body = try req.jsonBody(NotificationPreferencesRequest.self)
        var choices: [NotificationKind: NotificationDelivery] = [:]
        var issues: [FieldIssue] = []
        for (key, value) in body.preferences.sorted(by: { $0.key < $1.key }) {
            let field = "preferences.\(key)"
            guard let kind = NotificationKind(rawValue: key) else {
                issues.append(FieldIssue(field: field, message: "“\(key)” is not a kind of message. GET /api/v1/notification-preferences lists them."))
                continue
            }
            guard !kind.isEssential else {
                issues.append(FieldIssue(field: field, message: "\(kind.label) always goes by email: it cannot be changed."))
                continue
            }
            guard let delivery = NotificationDelivery(rawValue: value), kind.deliveries.contains(delivery) else {
                issues.append(FieldIssue(field: field, message: "\(field) must be one of: \(kind.deliveries.map(\.rawValue).joined(separator: ", "))."))
                continue
            }
            choices[kind] = delivery
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        let userID = try req.user().requireID()
        do {
            try await req.notifications.setPreferences(for: userID, choices)
        } catch let invalid as InvalidInput {
            throw InvalidInput(issues: invalid.issues.map { FieldIssue(field: "preferences.\($0.field)", message: $0.message) })
        }
        return try await req.notifications.preferences(for: userID).map(NotificationPreferenceDTO.init)
    }
}

struct NotificationDTO: Content {
    var id: UUID?
    var kind: String
    var subject: String
    var body: String
    var link: String?
    var createdAt: Date
    var readAt: Date?

    init(_ n: AppNotification) {
        (id, kind, subject, body, link, createdAt, readAt) = (n.id, n.kind.rawValue, n.subject, n.body, n.link, n.createdAt, n.readAt)
    }
}

struct NotificationPageDTO: Content {
    var items: [NotificationDTO]
    var page: Int
    var per: Int
    var total: Int
    var pageCount: Int
    var unread: Int
}

struct MarkReadRequest: Decodable {
    /// The notifications to mark read; without it, all of the caller's.
    var ids: [UUID]?
}

struct MarkedReadDTO: Content {
    var marked: Int
}

struct NotificationPreferencesRequest: Decodable {
    /// Kind → `email`, `daily`, `weekly` or `in-app`; kinds left out keep their choice.
    var preferences: [String: String]
}

struct NotificationPreferenceDTO: Content {
    var kind: String
    var label: String
    var delivery: String
    var deliveries: [String]

    init(_ p: (kind: NotificationKind, delivery: NotificationDelivery)) {
        (kind, label, delivery, deliveries) = (p.kind.rawValue, p.kind.label, p.delivery.rawValue, p.kind.deliveries.map(\.rawValue))
    }
}
