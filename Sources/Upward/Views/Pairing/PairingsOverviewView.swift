import Foundation

/// The coordinator's view of a programme's pairings (`pairings-overview.leaf`): a row per started pairing with its
/// counts — agreement signed, preparation acknowledged, goals, meetings — and the programme's totals. Counts and
/// dates only: no agreement text, goal text or note reaches this page, because `summaries(of:)` never reads them.
struct PairingsOverviewView: Encodable {
    struct Member: Encodable {
        var name: String
        var side: String
        /// Acknowledged the programme's preparation: the coordinator sees who has.
        var prepared: Bool
    }

    /// One pairing's counts, or (with `members` empty) the programme's totals.
    struct Row: Encodable {
        var members: [Member]
        var status: String
        var statusLabel: String
        /// A pairing that finished or ended early says so; an active one needs no badge.
        var showStatus: Bool
        var signed: Bool
        /// "Version 2, signed 3 Mar 2026" / "Version 1, not signed by everyone yet".
        var agreement: String
        /// "1 of 2".
        var prepared: String
        var goalsOpen: Int
        var goalsAchieved: Int
        var goalsDropped: Int
        /// "45%", or "–" without goals.
        var progress: String
        /// "3 of 4 (75%)", or "none due yet".
        var held: String
        var cancelledByMentor: Int
        var cancelledByMentee: Int
        var missed: Int
        var unlogged: Int
        var upcoming: Int
    }

    var p: ProgrammeSummary
    var programmeLink: String
    var matchingLink: String
    /// What the format calls each side, singular: "reverse mentor" and "mentee" in the reverse format.
    var mentorSide: String
    var menteeSide: String
    var rows: [Row]
    var totals: Row
    var total: Int
    var hasPairings: Bool
    var page: Int
    var pageCount: Int
    var isPaged: Bool
    var previous: String?
    var next: String?

    /// A side as this format names one person on it.
    static func sideName(_ side: MemberSide, in format: ProgrammeFormat) -> String {
        switch (format, side) {
        case (.reverse, .mentor): "reverse mentor"
        case (.reverse, .mentee): "mentee"
        case (.twoWay, .mentor): "first partner"
        case (.twoWay, .mentee): "second partner"
        case (.advisoryBoard, .mentor): "advisor"
        case (.advisoryBoard, .mentee): "board holder"
        }
    }

    static func held(_ stats: MeetingStats) -> String {
        guard let share = stats.heldShare else { return stats.held > 0 ? "\(stats.held) held, none of the plan due yet" : "none due yet" }
        return "\(stats.held) of \(stats.due) (\(share)%)"
    }

    init(_ programme: Programme, _ page: PairingSpaceService.PairingsPage, pageLink: (Int) -> String) throws {
        let id = try programme.requireID()
        let format = programme.format
        p = try ProgrammeSummary(programme)
        programmeLink = WebRoute.programme.link(id)
        matchingLink = WebRoute.matching.link(id)
        mentorSide = Self.sideName(.mentor, in: format)
        menteeSide = Self.sideName(.mentee, in: format)
        rows = page.pairings.map { pairing, members in
            let summary = pairing.id.flatMap { page.summaries[$0] } ?? PairingSpaceService.PairingSummary(pairingID: pairing.id ?? UUID())
            let agreement: String =
                switch (summary.agreementVersion, summary.signedAt) {
                case let (version?, signed?): "Version \(version), signed \(Formatting.dateTime(signed))"
                case let (version?, nil): "Version \(version), not signed by everyone yet"
                default: "No agreement yet"
                }
            let stats = summary.meetings
            return Row(
                members: members.map {
                    Member(name: $0.person.name, side: Self.sideName($0.side, in: format), prepared: summary.prepared.contains($0.$person.id))
                },
                status: pairing.status.rawValue, statusLabel: pairing.status.label, showStatus: pairing.status != .active,
                signed: summary.signedAt != nil, agreement: agreement,
                prepared: "\(summary.prepared.count) of \(members.count)",
                goalsOpen: summary.goalsOpen, goalsAchieved: summary.goalsAchieved, goalsDropped: summary.goalsDropped,
                progress: summary.meanProgress.map { "\($0)%" } ?? "–", held: Self.held(stats),
                cancelledByMentor: stats.cancelledByMentor, cancelledByMentee: stats.cancelledByMentee, missed: stats.missed,
                unlogged: stats.unlogged, upcoming: stats.upcoming)
        }
        // Totals over every pairing, not just this page.
        let all = Array(page.summaries.values)
        let stats = all.map(\.meetings).reduce(MeetingStats(), +)
        let signed = all.filter { $0.signedAt != nil }.count
        // Mean progress over every goal not dropped: each pairing's mean weighted by its number of such goals.
        let weights = all.map { ($0.meanProgress ?? 0, $0.goalsOpen + $0.goalsAchieved) }
        let goals = weights.map(\.1).reduce(0, +)
        totals = Row(
            members: [], status: "", statusLabel: "\(page.total) pairings", showStatus: false,
            signed: signed == page.total && page.total > 0,
            agreement: "\(signed) of \(all.count) signed",
            prepared: "\(all.map(\.prepared.count).reduce(0, +)) of \(page.people)",
            goalsOpen: all.map(\.goalsOpen).reduce(0, +), goalsAchieved: all.map(\.goalsAchieved).reduce(0, +),
            goalsDropped: all.map(\.goalsDropped).reduce(0, +),
            progress: goals == 0 ? "–" : "\(weights.map { $0.0 * $0.1 }.reduce(0, +) / goals)%", held: Self.held(stats),
            cancelledByMentor: stats.cancelledByMentor, cancelledByMentee: stats.cancelledByMentee, missed: stats.missed,
            unlogged: stats.unlogged, upcoming: stats.upcoming)
        total = page.total
        hasPairings = page.total > 0
        self.page = page.page
        pageCount = page.pageCount
        isPaged = page.pageCount > 1
        previous = page.page > 1 ? pageLink(page.page - 1) : nil
        next = page.page < page.pageCount ? pageLink(page.page + 1) : nil
    }
}
