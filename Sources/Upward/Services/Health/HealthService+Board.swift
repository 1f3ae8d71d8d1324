import Fluent
import Foundation
import Vapor

/// The coordinator's programme-health board (DESIGN.md, "Programme health"): every figure is a count or an average
/// over the programme's started pairings, computed from the facts the alerts use, in a fixed number of queries.
/// It never carries a note, agreement text, goal text or check-in comment.
struct HealthBoard: Sendable {
    struct Member: Sendable, Equatable {
        var personID: UUID
        var name: String
        var department: String
        var side: MemberSide
        var email: String
    }

    /// One pairing's line: who, its state and signals, and its counts.
    struct Row: Sendable {
        var pairingID: UUID
        var members: [Member]
        var state: HealthState
        var signals: [HealthSignal]
        var openAlerts: Int
        var meetings: MeetingStats
        var lastHeld: Day?
        var agreementSigned: Bool
        var goalsOpen: Int, goalsAchieved: Int, goalsDropped: Int
        var checkInsDue: Int, checkInsAnswered: Int
        var activatedOn: Day
        var endedOn: Day?
    }

    struct Week: Sendable, Equatable {
        /// The Monday that starts it.
        var start: Day
        var planned: Int
        var held: Int
    }

    struct ScoreMonth: Sendable, Equatable {
        /// `yyyy-MM`.
        var month: String
        var answers: Int
        var relationship: Double
        var safety: Double
        var progress: Double
    }

    var pairings = 0
    var byState: [HealthState: Int] = [:]
    var signed = 0
    /// Pairings (not ended) with a meeting held in the last 30 days, of those not ended.
    var metLast30 = 0
    var live = 0
    var meetings = MeetingStats()
    var weeks: [Week] = []
    var checkInsDue = 0, checkInsAnswered = 0
    /// Unanswered more than `CheckInService.graceDays` after they fell due.
    var checkInsOverdue = 0
    var scores: [ScoreMonth] = []
    var goalsSet = 0, goalsAchieved = 0, goalsDropped = 0
    /// People whose pairing ended early and who asked for a new partner, not yet in a new pairing.
    var rematchWanted = 0
    var alerts: [Alert] = []
    var rows: [Row] = []
    /// The page `rows` is (the one asked for, or the last when `nearestPage` brought it back).
    var page = 1
    var departments: [String] = []
    /// Every started pairing's members and state (the open alerts name pairs beyond the rows' page).
    var members: [UUID: [Member]] = [:]
    var states: [UUID: HealthState] = [:]

    static func share(_ part: Int, of whole: Int) -> Int? { whole == 0 ? nil : Int((Double(part) / Double(whole) * 100).rounded()) }
}

/// What the board shows of its rows: filtered by state, department and open alert; sorted; one page.
struct BoardQuery: Sendable, Equatable {
    enum Sort: String, CaseIterable, Sendable {
        /// Stalled first, then at risk, on track, thriving, ended.
        case state, name, lastMet
    }

    var state: HealthState?
    var department: String?
    var alert: SignalKind?
    var sort: Sort = .state
    var page = 1
    var per = 50

    static let maxPer = 200
}

extension SignalKind {
    /// Most severe first: what a person said about the pairing, then a pair that does not meet, then housekeeping.
    var severity: Int {
        switch self {
        case .needsHelp: 0
        case .notAGoodFit: 1
        case .lowScore: 2
        case .scoresApart: 3
        case .scoreDrop: 4
        case .quiet: 5
        case .firstMeetingNotHeld: 6
        case .cancellations: 7
        case .unlogged: 8
        case .agreementUnsigned: 9
        case .noGoal: 10
        }
    }

    var label: String {
        switch self {
        case .firstMeetingNotHeld: "First meeting not held"
        case .quiet: "No recent meeting"
        case .unlogged: "Meeting not logged"
        case .lowScore: "Low check-in score"
        case .scoreDrop: "Check-in score fell"
        case .scoresApart: "Members' scores far apart"
        case .notAGoodFit: "“Not a good fit”"
        case .needsHelp: "“We need help”"
        case .agreementUnsigned: "Agreement unsigned"
        case .noGoal: "No goal set"
        case .cancellations: "Cancellations in a row"
        }
    }
}

extension HealthService {
    /// How many weeks the board's chart shows, ending this week.
    static let chartWeeks = 16

    /// The whole board for one programme, with the rows `query` asks for (a page of them; `rows` of the result
    /// hold only that page, `pairings` and the counts cover the whole programme).
    /// `nearestPage`: a page past the last shows the last (pages); otherwise it is an empty page (the API).
    func board(of programme: Programme, query: BoardQuery = BoardQuery(), only: UUID? = nil,
               nearestPage: Bool = false) async throws -> (board: HealthBoard, matching: Int) {
        let programmeID = try programme.requireID()
        var started = Pairing.query(on: database).filter(\.$programme.$id == programmeID).filter(\.$status ~~ PairingStatus.started)
        if let only { started = started.filter(\.$id == only) }
        let pairings = try await started.all()
        let ids = pairings.compactMap(\.id)
        var board = HealthBoard()
        var open = Alert.query(on: database).filter(\.$programmeID == programmeID).filter(\.$status != .resolved)
        if let only { open = open.filter(\.$pairing.$id == only) }
        board.alerts = try await open.all()
            .sorted { ($0.kind.severity, -$0.raisedAt.timeIntervalSince1970) < ($1.kind.severity, -$1.raisedAt.timeIntervalSince1970) }
        board.rematchWanted = try await rematchWanted(in: programme)
        guard !ids.isEmpty else { return (board, 0) }
        let summaries = try await PairingSpaceService(database: database, clock: clock).summaries(of: programme, only: only)
        let facts = try await facts(of: programme, pairings: pairings, summaries: summaries)
        let memberRows = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ ids).filter(\.$answer == .accepted)
            .join(Person.self, on: \PairingMember.$person.$id == \Person.$id).all()
        var membersOf: [UUID: [HealthBoard.Member]] = [:]
        for m in memberRows {
            let person = try m.joined(Person.self)
            membersOf[m.$pairing.id, default: []].append(.init(personID: m.$person.id, name: person.name, department: person.department,
                                                               side: m.side, email: person.email))
        }
        let thresholds = programme.healthThresholds, schedule = programme.checkInSchedule
        let today = clock.today, now = now
        let last = programme.endsOn.flatMap(Day.init)
        let alertsOf = Dictionary(grouping: board.alerts, by: { $0.$pairing.id })
        var weekly: [Day: HealthBoard.Week] = [:]
        let thisWeek = today.adding(days: -Self.weekday(today))
        let firstWeek = thisWeek.adding(days: -7 * (Self.chartWeeks - 1))
        var months: [String: (n: Int, r: Int, s: Int, p: Int)] = [:]
        var departments = Set<String>()
        for pairing in pairings {
            guard let id = pairing.id, let f = facts[id] else { continue }
            let (state, signals) = HealthSignals.evaluate(f, thresholds: thresholds, now: now)
            let summary = summaries[id] ?? PairingSpaceService.PairingSummary(pairingID: id)
            let held = f.meetings.filter { $0.status == .held }
            let lastHeld = held.map(\.start).max().map { Day($0) }
            let firstHeld = held.map(\.start).min().map { Day($0) }
            let members = (membersOf[id] ?? []).sorted { ($0.side == .mentor ? 0 : 1, $0.name) < ($1.side == .mentor ? 0 : 1, $1.name) }
            // Check-ins fall due per member until the pairing ended (or today).
            let until = pairing.endedAt.map { Day($0) }.map { min($0, today) } ?? today
            let slots = schedule.due(activatedOn: f.activatedOn, firstHeld: firstHeld, until: until, last: last)
            let answered = f.answers.filter { a in slots.contains { $0.day == a.day } }.count
            board.pairings += 1
            board.byState[state, default: 0] += 1
            if summary.signedAt != nil { board.signed += 1 }
            if !f.ended {
                board.live += 1
                if let lastHeld, today.daysSince1970 - lastHeld.daysSince1970 <= 30 { board.metLast30 += 1 }
            }
            board.meetings = board.meetings + summary.meetings
            board.checkInsDue += slots.count * members.count
            board.checkInsAnswered += answered
            for slot in slots where today.daysSince1970 - slot.day.daysSince1970 > CheckInService.graceDays {
                board.checkInsOverdue += members.filter { m in !f.answers.contains { $0.personID == m.personID && $0.day == slot.day } }.count
            }
            board.goalsSet += summary.goalsOpen + summary.goalsAchieved + summary.goalsDropped
            board.goalsAchieved += summary.goalsAchieved
            board.goalsDropped += summary.goalsDropped
            // A meeting called off because the pairing ended (no side cancelled it) was never really planned.
            for m in f.meetings where (!m.logged || m.status == .held) && !(m.status == .cancelled && m.cancelledBy == nil) {
                let week = Day(m.start).adding(days: -Self.weekday(Day(m.start)))
                guard week >= firstWeek, week <= thisWeek else { continue }
                var w = weekly[week] ?? .init(start: week, planned: 0, held: 0)
                if !m.logged { w.planned += 1 }
                if m.status == .held { w.held += 1 }
                weekly[week] = w
            }
            for a in f.answers where a.scores.count == 3 {
                let key = String(a.day.description.prefix(7))
                let sum = months[key] ?? (0, 0, 0, 0)
                months[key] = (sum.n + 1, sum.r + a.scores[0], sum.s + a.scores[1], sum.p + a.scores[2])
            }
            members.forEach { departments.insert($0.department) }
            board.members[id] = members
            board.states[id] = state
            board.rows.append(.init(
                pairingID: id, members: members, state: state, signals: signals, openAlerts: alertsOf[id]?.count ?? 0,
                meetings: summary.meetings, lastHeld: lastHeld, agreementSigned: summary.signedAt != nil,
                goalsOpen: summary.goalsOpen, goalsAchieved: summary.goalsAchieved, goalsDropped: summary.goalsDropped,
                checkInsDue: slots.count * members.count, checkInsAnswered: answered, activatedOn: f.activatedOn,
                endedOn: pairing.endedAt.map { Day($0) }))
        }
        board.weeks = (0..<Self.chartWeeks).map { i in
            let start = firstWeek.adding(days: 7 * i)
            return weekly[start] ?? .init(start: start, planned: 0, held: 0)
        }
        board.scores = months.keys.sorted().map { key in
            let m = months[key]!
            let n = Double(m.n)
            return .init(month: key, answers: m.n, relationship: Double(m.r) / n, safety: Double(m.s) / n, progress: Double(m.p) / n)
        }
        board.departments = departments.sorted()
        // The rows the query asks for.
        var rows = board.rows
        if let state = query.state { rows = rows.filter { $0.state == state } }
        if let department = query.department { rows = rows.filter { $0.members.contains { $0.department == department } } }
        if let kind = query.alert {
            let flagged = Set(board.alerts.filter { $0.kind == kind }.map { $0.$pairing.id })
            rows = rows.filter { flagged.contains($0.pairingID) }
        }
        let order: [HealthState: Int] = [.stalled: 0, .atRisk: 1, .onTrack: 2, .thriving: 3, .ended: 4]
        func name(_ r: HealthBoard.Row) -> String { r.members.first?.name ?? "" }
        switch query.sort {
        case .state: rows.sort { (order[$0.state] ?? 5, -$0.openAlerts, name($0)) < (order[$1.state] ?? 5, -$1.openAlerts, name($1)) }
        case .name: rows.sort { (name($0), $0.pairingID.uuidString) < (name($1), $1.pairingID.uuidString) }
        case .lastMet: rows.sort { ($0.lastHeld?.daysSince1970 ?? -1, name($0)) < ($1.lastHeld?.daysSince1970 ?? -1, name($1)) }
        }
        let matching = rows.count
        let page = nearestPage ? min(query.page, max(1, (matching + query.per - 1) / query.per)) : query.page
        board.rows = Array(rows.dropFirst((page - 1) * query.per).prefix(query.per))
        board.page = page
        return (board, matching)
    }

    /// Days since the Monday of `day`'s week (0 on a Monday). 1970-01-01 was a Thursday.
    static func weekday(_ day: Day) -> Int { ((day.daysSince1970 + 3) % 7 + 7) % 7 }

    /// People who asked for a new partner after an early ending and are in no live pairing yet: one query.
    func rematchWanted(in programme: Programme) async throws -> Int {
        let programmeID = try programme.requireID()
        let wanted = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programmeID)
            .filter(\.$status == .selected).filter(\.$rematch == .wanted).field(\.$id).all().compactMap(\.id)
        guard !wanted.isEmpty else { return 0 }
        let paired = try await PairingMember.query(on: database).filter(\.$application.$id ~~ wanted)
            .join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
            .filter(Pairing.self, \.$status ~~ PairingStatus.live).field(\.$application.$id).all()
        return Set(wanted).subtracting(paired.map { $0.$application.id }).count
    }

    /// One pairing as the coordinator sees it on the board: its row (signals and counts), all its alerts (handled ones
    /// included) and its members' check-in answers. Never a note, agreement text or goal text.
    func pairingSummary(_ pairingID: UUID?, in programme: Programme) async throws
        -> (row: HealthBoard.Row, alerts: [Alert], pairing: Pairing, checkIns: [CheckIn]) {
        guard let pairingID, let pairing = try await Pairing.query(on: database).filter(\.$id == pairingID)
            .filter(\.$programme.$id == programme.requireID()).filter(\.$status ~~ PairingStatus.started).first() else {
            throw Problem(.notFound, "This programme has no started pairing with that id.")
        }
        // The board's own arithmetic, for this one pairing: one rule for both.
        let (board, _) = try await board(of: programme, query: BoardQuery(per: Int.max / 2), only: pairingID)
        guard let row = board.rows.first else { throw Problem(.notFound, "This programme has no started pairing with that id.") }
        let alerts = try await Alert.query(on: database).filter(\.$pairing.$id == pairingID).sort(\.$raisedAt, .descending).all()
        // Check-in answers are the coordinator's to read (the form tells members so); never a partner's.
        let checkIns = try await CheckIn.query(on: database).filter(\.$pairing.$id == pairingID).sort(\.$answeredAt, .descending).all()
        return (row, alerts, pairing, checkIns)
    }

    /// The coordinator suggests a re-think: the pair's space says so until they plan one.
    func suggestRethink(_ pairingID: UUID?, in programme: Programme) async throws {
        guard let pairingID, let pairing = try await Pairing.query(on: database).filter(\.$id == pairingID)
            .filter(\.$programme.$id == programme.requireID()).filter(\.$status ~~ PairingStatus.started).first() else {
            throw Problem(.notFound, "This programme has no started pairing with that id.")
        }
        guard pairing.status == .active else { throw Problem(.conflict, "This pairing has ended; there is nothing to re-think.") }
        pairing.rethinkSuggestedAt = now
        try await database.writeTransaction { db in try await pairing.save(on: db) }
    }
}
