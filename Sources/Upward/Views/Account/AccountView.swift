/// A user's own account and the password form (`account.leaf`).
struct AccountView: Encodable {
    var name: String
    var email: String
    var role: String
    var personLink: String?
    var current = FieldState()
    var password = FieldState()
    var passwordAction = WebRoute.accountPassword.link()
    var tokensLink = WebRoute.tokens.link()
    var notificationsLink = WebRoute.notificationPreferences.link()
    /// The private calendar feed; nil for an account linked to nobody in the directory (feeds are for participants).
    var calendar: CalendarFeedSection?
}

/// The account page's calendar section: whether the person has a feed address and since when, and, once, the new
/// address itself (only its digest is stored).
struct CalendarFeedSection: Encodable {
    var exists: Bool
    /// "3 Mar 2026, 09:30 UTC".
    var since: String?
    /// The full address, shown once right after it was made.
    var newAddress: String?
    var makeAction = WebRoute.accountCalendar.link()
    var revokeAction = WebRoute.accountCalendarRevoke.link()
}
