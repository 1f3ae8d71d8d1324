import Foundation

/// A moment as a member of a pairing reads it: in their own time zone, with UTC beside it, so two people in
/// different places agree on when they meet.
struct ZonedTime: Encodable, Equatable {
    /// For `<time datetime>`: the instant in ISO 8601, UTC.
    var iso: String
    /// "Tue 24 Nov 2026, 10:30", in the viewer's zone.
    var local: String
    /// The viewer's zone, "Europe/London".
    var zone: String
    /// "09:30 UTC", with the day too when it differs from the local one ("Wed 25 Nov, 01:30 UTC").
    var utc: String

    init(_ date: Date, in zone: TimeZone) {
        iso = ISO8601DateFormatter().string(from: date)
        local = Self.format(date, "EEE d MMM yyyy, HH:mm", zone)
        self.zone = zone.identifier
        let sameDay = Self.format(date, "yyyyMMdd", zone) == Self.format(date, "yyyyMMdd", .gmt)
        utc = Self.format(date, sameDay ? "HH:mm 'UTC'" : "EEE d MMM, HH:mm 'UTC'", .gmt)
    }

    static func format(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = zone
        f.dateFormat = pattern
        return f.string(from: date)
    }

    /// "24 Nov 2026", in the viewer's zone: when something was signed or written.
    static func day(_ date: Date?, in zone: TimeZone) -> String {
        guard let date else { return "" }
        return format(date, "d MMM yyyy", zone)
    }

    /// "24 Nov 2026, 10:30": when something happened, in the viewer's zone.
    static func moment(_ date: Date?, in zone: TimeZone) -> String {
        guard let date else { return "" }
        return format(date, "d MMM yyyy, HH:mm", zone)
    }

    /// The `yyyy-MM-dd` and `HH:mm` a date and a time field show for `date` in `zone`.
    static func fields(_ date: Date, in zone: TimeZone) -> (date: String, time: String) {
        (format(date, "yyyy-MM-dd", zone), format(date, "HH:mm", zone))
    }
}

/// The link back to the space that every page of it starts with.
struct PairingCrumbs: Encodable {
    var spaceLink: String
    var label: String

    init(_ space: PairingSpaceService.Space) {
        spaceLink = WebRoute.pairing.link(space.pairingID)
        label = "Your pairing in \(space.programme.name)"
    }
}

extension PairingSpaceService.Space {
    /// "You" for the viewer, else the member's name (or "someone" for a person no longer in the pairing).
    func name(of personID: UUID?) -> String {
        guard let personID else { return "Upward" }
        if personID == myPersonID { return "You" }
        return member(personID)?.person.name ?? "A former member"
    }

    /// The names of the people on one side, as a cancellation count names them.
    func names(on side: MemberSide) -> String {
        if isBoard && side == .mentor { return "the advisors" }
        let names = members.filter { $0.side == side }.map { $0.$person.id == myPersonID ? "you" : $0.person.name }
        return names.isEmpty ? "nobody" : names.joined(separator: " and ")
    }

    /// What a member is in this programme's words: "Reverse mentor", "Board holder", "Partner".
    func role(of member: PairingMember) -> String {
        switch (programme.format, member.side) {
        case (.reverse, .mentor): "Reverse mentor"
        case (.reverse, .mentee): "Mentee"
        case (.twoWay, _): "Partner"
        case (.advisoryBoard, .mentor): "Advisor"
        case (.advisoryBoard, .mentee): "Board holder"
        }
    }

    /// The viewer's own time zone.
    var myZone: TimeZone { PairingSpaceService.timeZone(of: me) }
}

/// A list of issues as the form pages show them: every message at the top, and each field's first one beside it.
struct FormIssues {
    var list: [String]
    var byField: [String: String]

    init(_ issues: [FieldIssue]) {
        list = issues.map(\.message)
        var byField: [String: String] = [:]
        for issue in issues where byField[issue.field] == nil { byField[issue.field] = issue.message }
        self.byField = byField
    }

    func field(_ name: String, _ value: String) -> FieldState { FieldState(value: value, error: byField[name]) }
}
