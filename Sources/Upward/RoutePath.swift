import Foundation
import Vapor

/// How many `:parameter` segments a route has, as a type: `RoutePath<OneParameter>` builds a link
/// only from exactly one value, so a link with a parameter left out does not compile.
protocol RouteParameters: Sendable {
    static var count: Int { get }
}

enum NoParameters: RouteParameters { static let count = 0 }
enum OneParameter: RouteParameters { static let count = 1 }
enum TwoParameters: RouteParameters { static let count = 2 }

/// A route whatever its parameters, so every route can sit in one list (`WebRoute.all`, `APIRoute.all`).
protocol RouteTemplate: Sendable {
    var template: String { get }
    var components: [PathComponent] { get }
    /// How many values a link to this route takes: what its type declares, which a test compares with its template.
    var parameterCount: Int { get }
}

/// One route's path, used both to register the route and to build links to it,
/// so a link cannot point at a route that no longer exists.
struct RoutePath<Parameters: RouteParameters>: RouteTemplate {
    let template: String

    init(_ template: String) { self.template = template }

    var components: [PathComponent] { template.pathComponents }

    var parameterCount: Int { Parameters.count }

    /// The path with each `:parameter` replaced, in order, by one of `values` (as many as the type declares),
    /// each percent-encoded as a single segment: a `/`, `?`, `#` or space in a value cannot change the link's shape.
    fileprivate func filled(_ values: [String]) -> String {
        var values = values.makeIterator()
        let parts = template.split(separator: "/").map { part in
            part.hasPrefix(":") ? PathSegment.encoded(values.next() ?? "") : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

extension RoutePath where Parameters == NoParameters {
    func link() -> String { filled([]) }
}

extension RoutePath where Parameters == OneParameter {
    func link(_ a: some CustomStringConvertible) -> String { filled([a.description]) }
}

extension RoutePath where Parameters == TwoParameters {
    func link(_ a: some CustomStringConvertible, _ b: some CustomStringConvertible) -> String {
        filled([a.description, b.description])
    }
}

/// One value as one path segment. Only RFC 3986's unreserved characters stay as they are; Vapor percent-decodes a
/// parameter when it reads it. (A static constant cannot live in the generic `RoutePath`, hence this enum.)
private enum PathSegment {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}

/// Every page.
enum WebRoute {
    static let home = RoutePath<NoParameters>("/")
    static let signIn = RoutePath<NoParameters>("sign-in")
    static let signOut = RoutePath<NoParameters>("sign-out")
    static let setup = RoutePath<OneParameter>("setup/:token")
    static let invitation = RoutePath<OneParameter>("invitation/:token")
    static let forgotPassword = RoutePath<NoParameters>("forgot-password")
    static let resetPassword = RoutePath<OneParameter>("reset-password/:token")
    static let directory = RoutePath<NoParameters>("directory")
    static let person = RoutePath<OneParameter>("directory/people/:personID")
    static let importPeople = RoutePath<NoParameters>("directory/import")
    static let account = RoutePath<NoParameters>("account")
    static let accountPassword = RoutePath<NoParameters>("account/password")
    static let tokens = RoutePath<NoParameters>("account/tokens")
    static let revokeToken = RoutePath<OneParameter>("account/tokens/:tokenID/revoke")
    static let users = RoutePath<NoParameters>("admin/users")
    static let userRole = RoutePath<OneParameter>("admin/users/:userID/role")
    static let outbox = RoutePath<NoParameters>("admin/outbox")
    static let outboxMessage = RoutePath<OneParameter>("admin/outbox/:messageID")
    /// Admins: background jobs that failed or are being tried again, and running a failed one again.
    static let jobs = RoutePath<NoParameters>("admin/jobs")
    static let job = RoutePath<OneParameter>("admin/jobs/:jobID")
    static let programmes = RoutePath<NoParameters>("programmes")
    static let newProgramme = RoutePath<NoParameters>("programmes/new")
    static let programme = RoutePath<OneParameter>("programmes/:programmeID")
    static let editProgramme = RoutePath<OneParameter>("programmes/:programmeID/edit")
    static let programmeAction = RoutePath<OneParameter>("programmes/:programmeID/actions")
    static let runAgain = RoutePath<OneParameter>("programmes/:programmeID/run-again")
    static let apply = RoutePath<OneParameter>("programmes/:programmeID/apply")
    static let withdraw = RoutePath<OneParameter>("programmes/:programmeID/withdraw")
    static let invitations = RoutePath<OneParameter>("programmes/:programmeID/invitations")
    static let selection = RoutePath<OneParameter>("programmes/:programmeID/selection")
    static let applyRanking = RoutePath<OneParameter>("programmes/:programmeID/selection/ranking")
    static let decision = RoutePath<TwoParameters>("programmes/:programmeID/selection/:applicationID")
    static let balance = RoutePath<OneParameter>("programmes/:programmeID/balance")
    static let preferences = RoutePath<OneParameter>("programmes/:programmeID/preferences")
    static let matching = RoutePath<OneParameter>("programmes/:programmeID/matching")
    static let matchingRun = RoutePath<TwoParameters>("programmes/:programmeID/matching/runs/:runID")
    static let runAdjust = RoutePath<TwoParameters>("programmes/:programmeID/matching/runs/:runID/adjust")
    static let runPublish = RoutePath<TwoParameters>("programmes/:programmeID/matching/runs/:runID/publish")
    static let nudge = RoutePath<OneParameter>("programmes/:programmeID/matching/nudge")
    static let myMatch = RoutePath<OneParameter>("programmes/:programmeID/my-match")
    /// The coordinator's view of a running programme's pairings: signed, held, goals — counts, never the pair's words.
    static let programmePairings = RoutePath<OneParameter>("programmes/:programmeID/pairings")
    // The pairing's shared space: its members only.
    static let pairing = RoutePath<OneParameter>("pairings/:pairingID")
    static let preparation = RoutePath<OneParameter>("pairings/:pairingID/preparation")
    static let agreement = RoutePath<OneParameter>("pairings/:pairingID/agreement")
    static let agreementSign = RoutePath<OneParameter>("pairings/:pairingID/agreement/sign")
    static let newGoal = RoutePath<OneParameter>("pairings/:pairingID/goals/new")
    static let goal = RoutePath<TwoParameters>("pairings/:pairingID/goals/:goalID")
    static let newMeeting = RoutePath<OneParameter>("pairings/:pairingID/meetings/new")
    static let meeting = RoutePath<TwoParameters>("pairings/:pairingID/meetings/:meetingID")
    static let meetingAction = RoutePath<TwoParameters>("pairings/:pairingID/meetings/:meetingID/actions")
    static let meetingCalendar = RoutePath<TwoParameters>("pairings/:pairingID/meetings/:meetingID/calendar.ics")
    static let notes = RoutePath<OneParameter>("pairings/:pairingID/notes")
    static let note = RoutePath<TwoParameters>("pairings/:pairingID/notes/:noteID")
    static let checkIns = RoutePath<OneParameter>("pairings/:pairingID/check-ins")
    static let rethink = RoutePath<OneParameter>("pairings/:pairingID/rethink")
    static let pairingEnd = RoutePath<OneParameter>("pairings/:pairingID/end")
    static let rematch = RoutePath<OneParameter>("pairings/:pairingID/rematch")
    /// The coordinator's programme-health board, one pairing's summary on it, and what they do from there.
    static let programmeHealth = RoutePath<OneParameter>("programmes/:programmeID/health")
    static let healthPairing = RoutePath<TwoParameters>("programmes/:programmeID/health/:pairingID")
    static let healthPairingAction = RoutePath<TwoParameters>("programmes/:programmeID/health/:pairingID/actions")
    static let alert = RoutePath<TwoParameters>("programmes/:programmeID/alerts/:alertID")
    /// A person's calendar address: made (or replaced) and revoked from their account page.
    static let accountCalendar = RoutePath<NoParameters>("account/calendar")
    static let accountCalendarRevoke = RoutePath<NoParameters>("account/calendar/revoke")
    /// The private feed itself: no session, the secret in the address is the key (`/calendar/SECRET.ics`).
    static let calendarFeed = RoutePath<OneParameter>("calendar/:token")
    /// One-click unsubscribe from one kind of message (or a digest): no session, the key in the address says whose.
    static let unsubscribe = RoutePath<TwoParameters>("unsubscribe/:token/:topic")
    /// The bell's page, marking read, and each person's choice of how each kind of message reaches them.
    static let notifications = RoutePath<NoParameters>("notifications")
    static let notificationsRead = RoutePath<NoParameters>("notifications/read")
    static let notificationPreferences = RoutePath<NoParameters>("account/notifications")
    static let health = RoutePath<NoParameters>("health")
    static let openAPI = RoutePath<NoParameters>("openapi.json")

    /// Every route above, for the test that checks each is registered with as many parameters as it declares.
    static let all: [any RouteTemplate] = [
        home, signIn, signOut, setup, invitation, forgotPassword, resetPassword, directory, person, importPeople,
        account, accountPassword, tokens, revokeToken, users, userRole, outbox, outboxMessage, programmes, newProgramme, programme,
        editProgramme, programmeAction, runAgain, apply, withdraw, invitations, selection, applyRanking, decision,
        balance, preferences, matching, matchingRun, runAdjust, runPublish, nudge, myMatch, health, openAPI,
        pairing, preparation, agreement, agreementSign, newGoal, goal, newMeeting, meeting, meetingAction, meetingCalendar, notes, note,
        programmePairings, accountCalendar, accountCalendarRevoke, calendarFeed, checkIns, rethink, pairingEnd, rematch,
        programmeHealth, healthPairing, healthPairingAction, alert, unsubscribe, notifications, notificationsRead,
        notificationPreferences, jobs, job,
    ]
}

/// Every JSON API route, under `/api/v1`. `openapi.json` describes exactly these (a test checks it).
enum APIRoute {
    static let me = RoutePath<NoParameters>("api/v1/me")
    static let people = RoutePath<NoParameters>("api/v1/people")
    static let person = RoutePath<OneParameter>("api/v1/people/:personID")
    static let importPeople = RoutePath<NoParameters>("api/v1/people/import")
    static let departments = RoutePath<NoParameters>("api/v1/departments")
    static let tokens = RoutePath<NoParameters>("api/v1/tokens")
    static let token = RoutePath<OneParameter>("api/v1/tokens/:tokenID")
    static let users = RoutePath<NoParameters>("api/v1/users")
    static let user = RoutePath<OneParameter>("api/v1/users/:userID")
    static let outbox = RoutePath<NoParameters>("api/v1/outbox")
    /// The caller's notifications (the bell), marking them read, and how each kind of message reaches them.
    static let notifications = RoutePath<NoParameters>("api/v1/notifications")
    static let notificationsRead = RoutePath<NoParameters>("api/v1/notifications/read")
    static let notificationPreferences = RoutePath<NoParameters>("api/v1/notification-preferences")
    static let outboxMessage = RoutePath<OneParameter>("api/v1/outbox/:messageID")
    static let jobs = RoutePath<NoParameters>("api/v1/jobs")
    static let programmes = RoutePath<NoParameters>("api/v1/programmes")
    static let programme = RoutePath<OneParameter>("api/v1/programmes/:programmeID")
    static let programmeActions = RoutePath<OneParameter>("api/v1/programmes/:programmeID/actions")
    static let runAgain = RoutePath<OneParameter>("api/v1/programmes/:programmeID/run-again")
    static let balance = RoutePath<OneParameter>("api/v1/programmes/:programmeID/balance")
    static let invitations = RoutePath<OneParameter>("api/v1/programmes/:programmeID/invitations")
    static let applications = RoutePath<OneParameter>("api/v1/programmes/:programmeID/applications")
    static let ranking = RoutePath<OneParameter>("api/v1/programmes/:programmeID/ranking")
    static let myApplication = RoutePath<OneParameter>("api/v1/programmes/:programmeID/application")
    static let withdraw = RoutePath<OneParameter>("api/v1/programmes/:programmeID/application/withdraw")
    static let application = RoutePath<OneParameter>("api/v1/applications/:applicationID")
    static let decision = RoutePath<OneParameter>("api/v1/applications/:applicationID/decision")
    static let preferences = RoutePath<OneParameter>("api/v1/programmes/:programmeID/application/preferences")
    static let runs = RoutePath<OneParameter>("api/v1/programmes/:programmeID/runs")
    static let run = RoutePath<OneParameter>("api/v1/runs/:runID")
    static let runAdjustments = RoutePath<OneParameter>("api/v1/runs/:runID/adjustments")
    static let runPublish = RoutePath<OneParameter>("api/v1/runs/:runID/publish")
    static let pairings = RoutePath<OneParameter>("api/v1/programmes/:programmeID/pairings")
    static let nudge = RoutePath<OneParameter>("api/v1/programmes/:programmeID/nudge")
    static let myMatch = RoutePath<OneParameter>("api/v1/programmes/:programmeID/match")
    static let matchAnswer = RoutePath<OneParameter>("api/v1/programmes/:programmeID/match/answer")
    // The pairing's shared space: its members only.
    static let myPairings = RoutePath<NoParameters>("api/v1/pairings")
    static let pairing = RoutePath<OneParameter>("api/v1/pairings/:pairingID")
    static let preparation = RoutePath<OneParameter>("api/v1/pairings/:pairingID/preparation")
    static let agreement = RoutePath<OneParameter>("api/v1/pairings/:pairingID/agreement")
    static let agreementSign = RoutePath<OneParameter>("api/v1/pairings/:pairingID/agreement/sign")
    static let goals = RoutePath<OneParameter>("api/v1/pairings/:pairingID/goals")
    static let goal = RoutePath<TwoParameters>("api/v1/pairings/:pairingID/goals/:goalID")
    static let meetings = RoutePath<OneParameter>("api/v1/pairings/:pairingID/meetings")
    static let meeting = RoutePath<TwoParameters>("api/v1/pairings/:pairingID/meetings/:meetingID")
    static let meetingActions = RoutePath<TwoParameters>("api/v1/pairings/:pairingID/meetings/:meetingID/actions")
    static let meetingCalendar = RoutePath<TwoParameters>("api/v1/pairings/:pairingID/meetings/:meetingID/ics")
    static let notes = RoutePath<OneParameter>("api/v1/pairings/:pairingID/notes")
    static let note = RoutePath<TwoParameters>("api/v1/pairings/:pairingID/notes/:noteID")
    static let checkIns = RoutePath<OneParameter>("api/v1/pairings/:pairingID/check-ins")
    static let rethink = RoutePath<OneParameter>("api/v1/pairings/:pairingID/rethink")
    static let pairingEnd = RoutePath<OneParameter>("api/v1/pairings/:pairingID/end")
    static let rematch = RoutePath<OneParameter>("api/v1/pairings/:pairingID/rematch")
    /// The coordinator's programme-health board, one pairing on it, and what they do from there.
    static let health = RoutePath<OneParameter>("api/v1/programmes/:programmeID/health")
    static let healthPairing = RoutePath<TwoParameters>("api/v1/programmes/:programmeID/health/:pairingID")
    static let rethinkSuggestion = RoutePath<TwoParameters>("api/v1/programmes/:programmeID/health/:pairingID/rethink-suggestion")
    static let endPairing = RoutePath<TwoParameters>("api/v1/programmes/:programmeID/health/:pairingID/end")
    static let alert = RoutePath<TwoParameters>("api/v1/programmes/:programmeID/alerts/:alertID")
    /// The caller's private calendar feed: whether they have one (GET), a new address (POST), revoked (DELETE).
    static let calendar = RoutePath<NoParameters>("api/v1/calendar")

    /// Every route above, for the test that checks each is registered with as many parameters as it declares.
    static let all: [any RouteTemplate] = [
        me, people, person, importPeople, departments, tokens, token, users, user, outbox, outboxMessage, programmes, programme,
        programmeActions, runAgain, balance, invitations, applications, ranking, myApplication, withdraw, application,
        decision, preferences, runs, run, runAdjustments, runPublish, pairings, nudge, myMatch, matchAnswer,
        myPairings, pairing, preparation, agreement, agreementSign, goals, goal, meetings, meeting, meetingActions, meetingCalendar,
        notes, note, calendar, checkIns, rethink, pairingEnd, rematch, health, healthPairing, rethinkSuggestion, endPairing, alert,
        notifications, notificationsRead, notificationPreferences, jobs,
    ]
}
