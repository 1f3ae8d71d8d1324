import Vapor

/// What every page's layout needs: title, who is signed in, navigation, the CSRF token, a flash message.
struct Chrome: Encodable {
    struct NavLink: Encodable {
        let label: String
        let href: String
        let current: Bool
    }

    let title: String
    let user: UserBadge?
    let csrf: String
    let nav: [NavLink]
    let flash: String?
    var links = CommonLinks()
    /// Shown to admins while no mail server is configured.
    var mailBanner: String? = nil
    /// The bell: how many notifications are unread.
    var bell: Bell? = nil
}

struct Bell: Encodable {
    var unread: Int
    var href = WebRoute.notifications.link()
    /// What a screen reader says for the link.
    var label: String { unread == 0 ? "Notifications, none unread" : "Notifications, \(unread) unread" }

    enum CodingKeys: String, CodingKey { case unread, href, label }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unread, forKey: .unread)
        try c.encode(href, forKey: .href)
        try c.encode(label, forKey: .label)
    }
}

/// Links every template may need, from the route table.
struct CommonLinks: Encodable {
    var home = WebRoute.home.link()
    var signIn = WebRoute.signIn.link()
    var signOut = WebRoute.signOut.link()
    var forgotPassword = WebRoute.forgotPassword.link()
    var openAPI = WebRoute.openAPI.link()
    var outbox = WebRoute.outbox.link()
}

struct UserBadge: Encodable {
    let name: String
    let email: String
    let role: String
}

/// A Leaf context: the layout's chrome plus the page's own typed body.
struct Page<Body: Encodable>: Encodable {
    let chrome: Chrome
    let body: Body
}

extension Request {
    func page<Body: Encodable>(_ template: String, title: String, _ body: Body, status: HTTPStatus = .ok) async throws -> Response {
        let user = auth.get(User.self)
        // Pages outside the web routes (an unknown address) have no session.
        let flash = hasSession ? session.data["flash"] : nil
        if flash != nil { session.data["flash"] = nil }
        var bell: Bell?
        if let userID = user?.id { bell = Bell(unread: try await notifications.unreadCount(for: userID)) }
        var chrome = Chrome(
            title: title,
            user: user.map { UserBadge(name: $0.name, email: $0.email, role: $0.role.rawValue) },
            csrf: hasSession ? csrfToken : "",
            nav: Navigation.links(for: user?.role, currentPath: url.path),
            flash: flash,
            mailBanner: user?.role == .admin && application.upward.smtp == nil
                ? "Mail is not being delivered: messages wait in the outbox. Set UPWARD_SMTP_URL and UPWARD_MAIL_FROM to send them." : nil)
        chrome.bell = bell
        let view = try await self.view.render(template, Page(chrome: chrome, body: body))
        let response = try await view.encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Redirect after a successful form, with a message shown once on the next page.
    func redirect(to path: String, flash: String) -> Response {
        session.data["flash"] = flash
        return redirect(to: path)
    }
}

enum Navigation {
    static func links(for role: Role?, currentPath: String) -> [Chrome.NavLink] {
        guard let role else { return [] }
        var items: [(String, String)] = [("Home", WebRoute.home.link())]
        if role != .sponsor {
            items.append(("Programmes", WebRoute.programmes.link()))
            items.append(("Directory", WebRoute.directory.link()))
        }
        if role == .admin || role == .coordinator { items.append(("Import", WebRoute.importPeople.link())) }
        if role == .admin {
            items.append(("Users", WebRoute.users.link()))
            items.append(("Outbox", WebRoute.outbox.link()))
            items.append(("Jobs", WebRoute.jobs.link()))
        }
        items.append(("Account", WebRoute.account.link()))
        // The longest link that the path starts with is the current section.
        let current = items.map(\.1).filter { $0 == "/" ? currentPath == "/" : currentPath.hasPrefix($0) }.max { $0.count < $1.count }
        return items.map { label, href in Chrome.NavLink(label: label, href: href, current: href == current) }
    }
}

struct ErrorView: Encodable {
    let status: Int
    let title: String
    let detail: String
}
