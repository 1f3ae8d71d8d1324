import Vapor

/// A person's private calendar feed, which Google Calendar, Outlook and Apple Calendar fetch on their own schedule:
/// no session, no cookie, no CSRF — the secret in the address is the key (`/calendar/SECRET.ics`). Registered on
/// the plain application, like `SystemController`, so the page middleware never sees these requests.
struct CalendarFeedController {
    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.calendarFeed.components, use: feed)
    }

    func feed(req: Request) async throws -> Response {
        var token = req.parameters.get("token") ?? ""
        if token.hasSuffix(".ics") { token.removeLast(4) }
        guard let calendar = try await req.pairingSpace.feed(token: token) else {
            // Plain text: a calendar application shows this, not a person's browser with a session.
            var headers = HTTPHeaders()
            headers.contentType = .plainText
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return Response(status: .notFound, headers: headers,
                            body: .init(string: "No calendar at this address: it was replaced or revoked. Make a new address on your account page in Upward.\n"))
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: calendar))
    }
}
