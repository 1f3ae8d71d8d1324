import Vapor

func routes(_ app: Application) throws {
    SystemController().register(on: app)
    // The calendar feed: fetched by calendar applications, so no session and no CSRF; the address's secret is the key.
    CalendarFeedController().register(on: app)
    // One-click unsubscribe from a message: works without signing in (RFC 8058); the key in the address says whose.
    UnsubscribeController().register(on: app)

    // Pages: sessions in the database, the signed-in user, CSRF on every form.
    let web = app.grouped(app.sessions.middleware, SessionUserMiddleware(), CSRFMiddleware())
    AuthWebController().register(on: web)
    HomeWebController().register(on: web.grouped(RequireRole(.admin, .coordinator, .participant, .sponsor)))
    DirectoryWebController().register(on: web)
    AccountWebController().register(on: web)
    AdminWebController().register(on: web)
    ProgrammesWebController().register(on: web)
    MatchingWebController().register(on: web)
    PairingWebController().register(on: web)
    PairingsOverviewWebController().register(on: web)
    HealthWebController().register(on: web)
    NotificationsWebController().register(on: web)

    // JSON API: personal tokens only (no cookies, so no CSRF).
    let api = app.grouped(APITokenAuthenticator(), RequireRole(.admin, .coordinator, .participant, .sponsor))
    PeopleAPIController().register(on: api)
    AccountAPIController().register(on: api)
    ProgrammesAPIController().register(on: api)
    MatchingAPIController().register(on: api)
    PairingAPIController().register(on: api)
    HealthAPIController().register(on: api)
    NotificationsAPIController().register(on: api)
}
