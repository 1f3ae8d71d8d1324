import Foundation

/// The coordinator's programme-health board (`health-board.leaf`): shares by state, the figures, two charts with
/// their tables, open alerts with what to do, and the pairings, filtered and sorted. Signals and counts only.
struct HealthBoardView: Encodable {
    struct Figure: Encodable {
        var label: String
        var value: String
        var detail: String?
    }

    struct StateShare: Encodable {
        var key: String
        var label: String
        var count: Int
        var percent: String
        var link: String
    }

    struct AlertLine: Encodable {
        var id: String
        var kind: String
        var label: String
        var pair: String
        var pairLink: String
        var detail: String
        var action: String
        var raised: String
        var acknowledged: Bool
        var note: String?
        var handleAction: String
        var mailto: String
        /// The member whose answer raised it (the coordinator's to know), and a message to them alone.
        var raisedBy: String?
        var raisedByMailto: String?
        var rethinkAction: String
        var canRethink: Bool
    }

    struct Row: Encodable {
        var pair: String
        var link: String
        var departments: String
        var stateKey: String
        var state: String
        var signals: [String]
        var held: String
        var lastMet: String
        var signed: Bool
        var goals: String
        var checkIns: String
    }

    struct WeekRow: Encodable {
        var week: String
        var planned: Int
        var held: Int
    }

    struct ScoreRow: Encodable {
        var month: String
        var answers: Int
        var relationship: String
        var safety: String
        var progress: String
    }

    var programmeName: String
    var programmeLink: String
    var pairingsLink: String
    var matchingLink: String
    var pairings: Int
    var states: [StateShare]
    var figures: [Figure]
    var rematchWanted: Int
    var weeksChart: String
    var weeks: [WeekRow]
    var scoresChart: String?
    var scores: [ScoreRow]
    var alerts: [AlertLine]
    /// Open alerts beyond the ones listed: the pairings' filter by alert shows them all.
    var moreAlerts: Int
    var rows: [Row]
    var matching: Int
    var filter: Filter
    var page: Int
    var pageCount: Int
    var previous: String?
    var next: String?
    var alertsTotal: Int
    /// "How we count": the state rules with this programme's thresholds.
    var howWeCount: String

    struct Filter: Encodable {
        var action: String
        var states: [SelectOption]
        var departments: [SelectOption]
        var alerts: [SelectOption]
        var sorts: [SelectOption]
        var active: Bool
    }

    /// The most severe, newest alerts listed on the board; the rest are a filter away.
    static let alertsShown = 10

    static func percent(_ part: Int, of whole: Int) -> String { HealthBoard.share(part, of: whole).map { "\($0)%" } ?? "–" }

    static func pairName(_ members: [HealthBoard.Member]) -> String {
        members.isEmpty ? "A pairing" : members.map(\.name).joined(separator: " & ")
    }

    static func mailto(_ members: [HealthBoard.Member], subject: String) -> String {
        var link = URLComponents()
        link.scheme = "mailto"
        link.path = members.map(\.email).joined(separator: ",")
        link.queryItems = [URLQueryItem(name: "subject", value: subject)]
        return link.string ?? "mailto:"
    }

    /// Who ended a pairing, in words: a member by name, or the coordinator.
    static func endedBy(_ pairing: Pairing, members: [HealthBoard.Member]) -> String? {
        if let person = pairing.endedByPerson { return members.first { $0.personID == person }?.name ?? "A member" }
        return pairing.endedByCoordinator.map { "Coordinator (\($0))" }
    }

    init(_ programme: Programme, board: HealthBoard, matching: Int, query: BoardQuery, zone: TimeZone, link: (BoardQuery) -> String) throws {
        let id = try programme.requireID()
        programmeName = programme.name
        programmeLink = WebRoute.programme.link(id)
        pairingsLink = WebRoute.programmePairings.link(id)
        matchingLink = WebRoute.matching.link(id)
        pairings = board.pairings
        states = [HealthState.stalled, .atRisk, .onTrack, .thriving, .ended].map { state in
            var q = BoardQuery()
            q.state = state
            let count = board.byState[state] ?? 0
            return StateShare(key: state.rawValue, label: state.label, count: count, percent: Self.percent(count, of: board.pairings), link: link(q))
        }
        let (mentorSide, menteeSide) = (programme.format.sideNames.givers, programme.format.sideNames.takers)
        figures = [
            Figure(label: "Agreement signed by everyone", value: Self.percent(board.signed, of: board.pairings), detail: "\(board.signed) of \(board.pairings) pairings"),
            Figure(label: "Met in the last 30 days", value: Self.percent(board.metLast30, of: board.live), detail: "\(board.metLast30) of \(board.live) pairings still running"),
            Figure(label: "Meetings held of due", value: board.meetings.heldShare.map { "\($0)%" } ?? "–", detail: "\(board.meetings.held) held, \(board.meetings.due) due"),
            Figure(label: "Cancelled", value: "\(board.meetings.cancelledByMentor + board.meetings.cancelledByMentee)",
                   detail: "\(board.meetings.cancelledByMentor) by \(mentorSide), \(board.meetings.cancelledByMentee) by \(menteeSide)"),
            Figure(label: "Check-ins answered", value: Self.percent(board.checkInsAnswered, of: board.checkInsDue),
                   detail: "\(board.checkInsAnswered) of \(board.checkInsDue) due; \(board.checkInsOverdue) overdue by more than a week"),
            Figure(label: "Goals", value: "\(board.goalsSet) set", detail: "\(board.goalsAchieved) achieved, \(board.goalsDropped) dropped"),
        ]
        rematchWanted = board.rematchWanted
        let weekLabel = { (d: Day) in ZonedTime.format(d.startDate, "d MMM", .gmt) }
        weeks = board.weeks.map { WeekRow(week: weekLabel($0.start), planned: $0.planned, held: $0.held) }
        let heldTotal = board.weeks.map(\.held).reduce(0, +), plannedTotal = board.weeks.map(\.planned).reduce(0, +)
        weeksChart = SVGChart.bars(
            id: "weeks-chart", title: "Meetings planned and held, by week",
            description: "The last \(board.weeks.count) weeks, starting on Mondays: \(plannedTotal) meetings planned and \(heldTotal) held. The table below gives each week's numbers.",
            categories: board.weeks.map { weekLabel($0.start) },
            series: [.init(name: "Planned", cssClass: "series-a", values: board.weeks.map { Double($0.planned) }),
                     .init(name: "Held", cssClass: "series-b", values: board.weeks.map { Double($0.held) })])
        let one = { (v: Double) in String(format: "%.1f", v) }
        scores = board.scores.map { ScoreRow(month: $0.month, answers: $0.answers, relationship: one($0.relationship), safety: one($0.safety), progress: one($0.progress)) }
        scoresChart = board.scores.isEmpty ? nil : SVGChart.lines(
            id: "scores-chart", title: "Average check-in scores, by month",
            description: "Relationship, psychological safety and progress, each from 1 to 5, averaged over the check-ins that fell due each month. The table below gives the numbers.",
            categories: board.scores.map(\.month),
            series: [.init(name: "Relationship", cssClass: "series-a", values: board.scores.map(\.relationship)),
                     .init(name: "Safety", cssClass: "series-b", values: board.scores.map(\.safety)),
                     .init(name: "Progress", cssClass: "series-c", values: board.scores.map(\.progress))],
            scale: 1...5)
        alertsTotal = board.alerts.count
        let t = programme.healthThresholds
        howWeCount = "A pairing is stalled when it is not meeting (no first meeting \(t.firstMeetingDays) days after it started, or no meeting "
            + "for longer than \(max(t.quietDays, programme.cadenceWeeks * 7 + t.cadenceGraceDays)) days), at risk when any other signal is raised, "
            + "thriving when every latest check-in score is 4 or more and at least 80% of the meetings due were held, and on track otherwise. "
            + "The thresholds are this programme's settings."
        moreAlerts = max(0, board.alerts.count - Self.alertsShown)
        alerts = board.alerts.prefix(Self.alertsShown).map { a in
            let people = board.members[a.$pairing.id] ?? []
            let author = a.raisedBy.flatMap { id in people.first { $0.personID == id } }
            return AlertLine(
                id: a.id?.uuidString ?? "", kind: a.kind.rawValue, label: a.kind.label, pair: Self.pairName(people),
                pairLink: WebRoute.healthPairing.link(id, a.$pairing.id), detail: a.detail, action: a.action,
                raised: ZonedTime.day(a.raisedAt, in: zone), acknowledged: a.status == .acknowledged, note: a.note,
                handleAction: WebRoute.alert.link(id, a.id ?? UUID()),
                mailto: Self.mailto(people, subject: "Checking in on your pairing"),
                raisedBy: author?.name, raisedByMailto: author.map { Self.mailto([$0], subject: "Your check-in") },
                rethinkAction: WebRoute.healthPairingAction.link(id, a.$pairing.id),
                canRethink: board.states[a.$pairing.id].map { $0 != .ended } ?? false)
        }
        rows = board.rows.map { r in
            Row(pair: Self.pairName(r.members), link: WebRoute.healthPairing.link(id, r.pairingID),
                departments: Array(Set(r.members.map(\.department))).sorted().joined(separator: ", "), stateKey: r.state.rawValue,
                state: r.state.label, signals: r.signals.map(\.kind.label).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } },
                held: r.meetings.due == 0 ? "none due yet" : "\(r.meetings.held) of \(r.meetings.due)",
                lastMet: r.lastHeld?.description ?? "not yet", signed: r.agreementSigned,
                goals: "\(r.goalsOpen) open · \(r.goalsAchieved) achieved · \(r.goalsDropped) dropped",
                checkIns: "\(r.checkInsAnswered) of \(r.checkInsDue)")
        }
        self.matching = matching
        page = query.page
        pageCount = max(1, (matching + query.per - 1) / query.per)
        var prev = query, nxt = query
        prev.page -= 1
        nxt.page += 1
        previous = query.page > 1 ? link(prev) : nil
        next = query.page < pageCount ? link(nxt) : nil
        let option = { (value: String, label: String, selected: Bool) in SelectOption(value: value, label: label, selected: selected) }
        filter = Filter(
            action: WebRoute.programmeHealth.link(id),
            states: [option("", "Any state", query.state == nil)] + HealthState.allCases.map { option($0.rawValue, $0.label, query.state == $0) },
            departments: [option("", "Any department", query.department == nil)] + board.departments.map { option($0, $0, query.department == $0) },
            alerts: [option("", "With or without alerts", query.alert == nil)]
                + SignalKind.allCases.sorted { $0.severity < $1.severity }.map { option($0.rawValue, "Open alert: \($0.label)", query.alert == $0) },
            sorts: [option("state", "Most in need first", query.sort == .state), option("name", "By name", query.sort == .name),
                    option("lastMet", "Longest since they met first", query.sort == .lastMet)],
            active: query.state != nil || query.department != nil || query.alert != nil)
    }
}

/// One pairing as the coordinator sees it (`health-pairing.leaf`): who, its state, each signal with what to do, its
/// counts, every alert (handled ones too), and the actions. Never a note, agreement text, goal text or comment.
struct HealthPairingView: Encodable {
    struct Member: Encodable {
        var name: String
        var side: String
        var department: String
    }

    struct AlertItem: Encodable {
        var label: String
        var detail: String
        var raised: String
        /// The member whose answer raised it.
        var raisedBy: String?
        var status: String
        var open: Bool
        /// Still open, not yet acknowledged.
        var canAcknowledge: Bool
        var note: String?
        var handled: String?
        var handleAction: String
    }

    var programmeName: String
    var boardLink: String
    var heading: String
    var members: [Member]
    var stateKey: String
    var state: String
    var signals: [HealthSignalLine]
    var figures: [HealthBoardView.Figure]
    var alerts: [AlertItem]
    var mailto: String
    var action: String
    var active: Bool
    var rethinkSuggested: String?
    var ended: String?
    var endReason: String?
    var reason: FieldState
    var checkIns: [CheckInLine]

    /// One member's answer, as the coordinator reads it (members are told the coordinator does).
    struct CheckInLine: Encodable {
        var who: String
        var title: String
        var answered: String
        var lines: [String]
        var mailto: String?
    }

    struct HealthSignalLine: Encodable {
        var label: String
        var detail: String
        var action: String
    }

    init(_ programme: Programme, row: HealthBoard.Row, alerts: [Alert], pairing: Pairing, checkIns: [CheckIn], zone: TimeZone,
         reason: FieldState = FieldState()) throws {
        let id = try programme.requireID()
        programmeName = programme.name
        boardLink = WebRoute.programmeHealth.link(id)
        heading = HealthBoardView.pairName(row.members)
        let names = programme.format.sideNames
        members = row.members.map { Member(name: $0.name, side: $0.side == .mentor ? names.givers : names.takers, department: $0.department) }
        (stateKey, state) = (row.state.rawValue, row.state.label)
        signals = row.signals.map { HealthSignalLine(label: $0.kind.label, detail: $0.detail, action: $0.action) }
        figures = [
            .init(label: "Started", value: row.activatedOn.description, detail: row.endedOn.map { "Ended \($0)" }),
            .init(label: "Agreement", value: row.agreementSigned ? "Signed" : "Not signed by everyone", detail: nil),
            .init(label: "Meetings held of due", value: row.meetings.due == 0 ? "none due yet" : "\(row.meetings.held) of \(row.meetings.due)",
                  detail: "last held \(row.lastHeld?.description ?? "never"); \(row.meetings.upcoming) to come"),
            .init(label: "Cancelled", value: "\(row.meetings.cancelledByMentor + row.meetings.cancelledByMentee)",
                  detail: "\(row.meetings.cancelledByMentor) by \(names.givers), \(row.meetings.cancelledByMentee) by \(names.takers)"),
            .init(label: "Goals", value: "\(row.goalsOpen + row.goalsAchieved + row.goalsDropped)",
                  detail: "\(row.goalsOpen) open, \(row.goalsAchieved) achieved, \(row.goalsDropped) dropped"),
            .init(label: "Check-ins answered", value: "\(row.checkInsAnswered) of \(row.checkInsDue)", detail: nil),
        ]
        self.alerts = alerts.map { a in
            AlertItem(label: a.kind.label, detail: a.detail, raised: ZonedTime.day(a.raisedAt, in: zone),
                      raisedBy: a.raisedBy.flatMap { id in row.members.first { $0.personID == id }?.name }, status: a.status.rawValue,
                      open: a.status != .resolved, canAcknowledge: a.status == .open, note: a.note,
                      handled: a.handledAt.map { "\(a.status == .resolved ? "Resolved" : "Acknowledged") \(ZonedTime.day($0, in: zone)) by \(a.handledBy ?? "someone")" },
                      handleAction: WebRoute.alert.link(id, a.id ?? UUID()))
        }
        mailto = HealthBoardView.mailto(row.members, subject: "Checking in on your pairing")
        action = WebRoute.healthPairingAction.link(id, row.pairingID)
        active = pairing.status == .active
        rethinkSuggested = pairing.rethinkSuggestedAt.map { "You suggested a re-think on \(ZonedTime.day($0, in: zone))." }
        ended = pairing.endedAt.map { "Ended on \(ZonedTime.day($0, in: zone)) by \(HealthBoardView.endedBy(pairing, members: row.members) ?? "someone")." }
        endReason = pairing.endReason
        self.reason = reason
        self.checkIns = checkIns.map { c in
            let member = row.members.first { $0.personID == c.personID }
            var lines: [String] = []
            if let r = c.relationship, let s = c.safety, let p = c.progress {
                lines.append("Relationship \(r) of 5 · I can say what I think \(s) of 5 · Progress \(p) of 5")
            }
            if let fit = c.fit { lines.append(fit.label) }
            if c.needsHelp { lines.append("Asked for help") }
            if let comment = c.comment { lines.append("“\(comment)”") }
            return CheckInLine(who: member?.name ?? "A member", title: Day(c.dueOn).map { PairingCheckInView.title(c.kind, $0) } ?? c.dueOn,
                               answered: ZonedTime.day(c.answeredAt, in: zone), lines: lines,
                               mailto: member.map { HealthBoardView.mailto([$0], subject: "Your check-in") })
        }
    }
}
