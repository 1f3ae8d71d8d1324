import Fluent
import Foundation
import SQLKit

/// The homes' view of programmes (DESIGN.md, "Home"): for the coordinator, each programme not closed with the one
/// thing to do next; for a sponsor, running and closed programmes in aggregate, never a group under five. Counts
/// come from grouped queries over every programme at once, never a query per programme.
struct ProgrammeOverview {
    let database: any Database
    var clock: UpwardClock = .system

    /// One programme's line on the coordinator's home.
    struct NextAction: Sendable, Equatable {
        enum Target: Sendable, Equatable { case programme, invitations, selection, matching, health }
        var programmeID: UUID
        var name: String
        var status: ProgrammeStatus
        var text: String
        var label: String
        var target: Target
        /// Needs the coordinator now (an alert someone raised, people waiting), not just the next stage.
        var urgent: Bool
    }

    /// Counts of rows by programme and a status column, in one grouped query.
    private func counts(_ table: String, status column: String, extra: SQLQueryString? = nil) async throws -> [UUID: [String: Int]] {
        struct Row: Decodable { var programme_id: UUID; var status: String; var n: Int }
        let sql = try database.requireSQL()
        let filter: SQLQueryString = extra.map { " WHERE " + $0 } ?? ""
        let rows = try await sql.raw("SELECT programme_id, \(ident: column) AS status, COUNT(*) AS n FROM \(ident: table)\(filter) GROUP BY programme_id, \(ident: column)")
            .all(decoding: Row.self)
        var out: [UUID: [String: Int]] = [:]
        for r in rows { out[r.programme_id, default: [:]][r.status] = r.n }
        return out
    }

    /// Each programme that is not closed, by stage, with its next action.
    func nextActions() async throws -> [NextAction] {
        let programmes = try await Programme.query(on: database).filter(\.$status != .closed).sort(\.$createdAt, .descending).all()
        guard !programmes.isEmpty else { return [] }
        let applications = try await counts(ProgrammeApplication.schema, status: "status")
        let alerts = try await counts(Alert.schema, status: "kind", extra: "status <> \(bind: AlertStatus.resolved.rawValue)")
        let pairings = try await counts(Pairing.schema, status: "status")
        // Asked for a new partner and not in a live pairing yet: the board's own rule (`rematchWanted`), grouped.
        let live = PairingStatus.live.map(\.rawValue)
        let wanted = try await counts(ProgrammeApplication.schema, status: "rematch", extra: """
            rematch = \(bind: RematchAnswer.wanted.rawValue) AND status = \(bind: ApplicationStatus.selected.rawValue) AND NOT EXISTS \
            (SELECT 1 FROM \(ident: PairingMember.schema) m JOIN \(ident: Pairing.schema) p ON p.id = m.pairing_id \
            WHERE m.application_id = \(ident: ProgrammeApplication.schema).id AND p.status IN (\(binds: live)))
            """)
        let order: [ProgrammeStatus] = [.running, .matching, .selecting, .enrolling, .draft]
        return try programmes.sorted { (order.firstIndex(of: $0.status) ?? 9) < (order.firstIndex(of: $1.status) ?? 9) }.map { p in
            let id = try p.requireID()
            let apps = applications[id] ?? [:], live = pairings[id] ?? [:]
            func n(_ d: [String: Int], _ k: String) -> Int { d[k] ?? 0 }
            let line = { (text: String, label: String, target: NextAction.Target, urgent: Bool) in
                NextAction(programmeID: id, name: p.name, status: p.status, text: text, label: label, target: target, urgent: urgent)
            }
            switch p.status {
            case .draft:
                return line("A draft: finish its design, then open enrolment.", "Open the programme", .programme, false)
            case .enrolling:
                let submitted = n(apps, ApplicationStatus.submitted.rawValue)
                return line("Enrolling until \(p.enrolmentCloses ?? "a date still to set"): \(submitted) application\(submitted == 1 ? "" : "s") so far. Invite more people, or close enrolment on the day.",
                            "Invitations", .invitations, false)
            case .selecting:
                let waiting = n(apps, ApplicationStatus.submitted.rawValue)
                return line(waiting > 0 ? "\(waiting) application\(waiting == 1 ? "" : "s") to decide." : "Everyone is decided: confirm the selection to start matching.",
                            "Selection", .selection, waiting > 0)
            case .matching:
                let awaiting = n(live, PairingStatus.awaitingConsent.rawValue), active = n(live, PairingStatus.active.rawValue)
                if awaiting > 0 { return line("\(awaiting) proposed pairing\(awaiting == 1 ? " is" : "s are") waiting for answers.", "Matching", .matching, false) }
                return line(active > 0 ? "\(active) pairing\(active == 1 ? "" : "s") accepted: start the programme when ready." : "Run matching and publish the pairs.",
                            "Matching", .matching, false)
            case .running:
                let open = alerts[id] ?? [:]
                let total = open.values.reduce(0, +)
                let help = n(open, SignalKind.needsHelp.rawValue) + n(open, SignalKind.notAGoodFit.rawValue)
                let rematch = n(wanted[id] ?? [:], RematchAnswer.wanted.rawValue)
                var parts: [String] = []
                if help > 0 { parts.append("\(help) asking for help or saying it is not a good fit") }
                if total > 0 { parts.append("\(total) open alert\(total == 1 ? "" : "s") in all") }
                if rematch > 0 { parts.append("\(rematch) asking for a new partner") }
                let sentence = parts.joined(separator: "; ")
                return line(parts.isEmpty ? "Running, and no pair needs you today." : sentence.prefix(1).uppercased() + sentence.dropFirst() + ".",
                            "Programme health", .health, help > 0 || rematch > 0)
            case .closed:
                return line("Closed.", "Open the programme", .programme, false)
            }
        }
    }

    /// An alert someone raised about their own pairing, for the coordinator's home.
    struct UrgentAlert: Sendable, Equatable {
        var programmeID: UUID
        var programmeName: String
        var pairingID: UUID
        var pair: String
        var kind: SignalKind
        var detail: String
        var raisedAt: Date
    }

    /// The kinds a person raises by what they answered: they go first on the coordinator's home.
    static let urgentKinds: [SignalKind] = [.needsHelp, .notAGoodFit, .lowScore]

    /// The newest open alerts of `urgentKinds`, at most `limit`, in three queries whatever the size.
    func urgentAlerts(limit: Int = 5) async throws -> [UrgentAlert] {
        let alerts = try await Alert.query(on: database).filter(\.$status != .resolved).filter(\.$kind ~~ Self.urgentKinds)
            .sort(\.$raisedAt, .descending).limit(limit).all()
        guard !alerts.isEmpty else { return [] }
        let pairingIDs = Set(alerts.map { $0.$pairing.id })
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).filter(\.$answer == .accepted)
            .join(Person.self, on: \PairingMember.$person.$id == \Person.$id).all()
        var names: [UUID: [(MemberSide, String)]] = [:]
        for m in members { names[m.$pairing.id, default: []].append((m.side, try m.joined(Person.self).name)) }
        let programmes = try await Programme.query(on: database).filter(\.$id ~~ Set(alerts.map(\.programmeID))).all()
        let programmeName = Dictionary(uniqueKeysWithValues: programmes.compactMap { p in p.id.map { ($0, p.name) } })
        return alerts.map { a in
            let pair = (names[a.$pairing.id] ?? []).sorted { ($0.0 == .mentor ? 0 : 1, $0.1) < ($1.0 == .mentor ? 0 : 1, $1.1) }.map(\.1)
            return UrgentAlert(programmeID: a.programmeID, programmeName: programmeName[a.programmeID] ?? "A programme", pairingID: a.$pairing.id,
                               pair: pair.joined(separator: " & "), kind: a.kind, detail: a.detail, raisedAt: a.raisedAt)
        }
    }

    /// A running or closed programme as a sponsor sees it: sizes and shares, each withheld under five.
    struct Aggregate: Sendable, Equatable {
        var programmeID: UUID
        var name: String
        var status: ProgrammeStatus
        /// Participants in started pairings; nil when fewer than five.
        var participants: Int?
        var pairings: Int?
        /// Shares in whole percent; nil when the group is under five.
        var signedPercent: Int?
        var heldPercent: Int?
        var checkInPercent: Int?
        /// State counts of five or more, and how many pairings are in the other states together (zero when those
        /// would make a group under five, in which case no state is shown).
        var states: [(HealthState, Int)]
        var statesHidden: Int

        static func == (a: Aggregate, b: Aggregate) -> Bool {
            a.programmeID == b.programmeID && a.participants == b.participants && a.pairings == b.pairings
                && a.states.map(\.0) == b.states.map(\.0) && a.states.map(\.1) == b.states.map(\.1)
        }
    }

    /// A share that names no group under five: shown only when both the part and the rest are none or five or more.
    static func share(_ part: Int, of whole: Int, capped: Bool = false) -> Int? {
        let part = capped ? min(part, whole) : part
        let rest = whole - part
        guard whole >= Privacy.smallestGroup, part == 0 || part >= Privacy.smallestGroup, rest == 0 || rest >= Privacy.smallestGroup else { return nil }
        return HealthBoard.share(part, of: whole)
    }

    /// Running and closed programmes in aggregate, for sponsors.
    func aggregates() async throws -> [Aggregate] {
        let programmes = try await Programme.query(on: database).filter(\.$status ~~ [.running, .closed]).sort(\.$createdAt, .descending).all()
        let health = HealthService(database: database, clock: clock)
        var out: [Aggregate] = []
        for p in programmes {
            // The board's own figures, so a sponsor reads the same numbers as the coordinator, only coarser.
            let (board, _) = try await health.board(of: p, query: BoardQuery(per: 1))
            let big = board.pairings >= Privacy.smallestGroup
            let people = board.members.values.reduce(0) { $0 + $1.count }
            let (shown, _) = Privacy.shown(HealthState.allCases.map { ($0, board.byState[$0] ?? 0) }.filter { $0.1 > 0 }, size: \.1)
            // The rest of the states together, only when they too make a group of five: no count can be worked out
            // by subtraction.
            let rest = board.pairings - shown.map(\.1).reduce(0, +)
            out.append(Aggregate(
                programmeID: try p.requireID(), name: p.name, status: p.status,
                participants: people >= Privacy.smallestGroup ? people : nil, pairings: big ? board.pairings : nil,
                signedPercent: big ? Self.share(board.signed, of: board.pairings) : nil,
                heldPercent: big ? Self.share(board.meetings.held, of: board.meetings.due, capped: true) : nil,
                checkInPercent: big ? Self.share(board.checkInsAnswered, of: board.checkInsDue) : nil,
                states: big && (rest == 0 || rest >= Privacy.smallestGroup) ? shown : [],
                statesHidden: big && rest >= Privacy.smallestGroup ? rest : 0))
        }
        return out
    }
}
