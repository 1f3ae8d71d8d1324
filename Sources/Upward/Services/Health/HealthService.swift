import Fluent
import Foundation
import Vapor

/// Each pairing's health from its signals, and the alerts they raise for the coordinator (DESIGN.md, "Alert").
/// The facts are loaded for a whole programme in a fixed number of queries; the evaluation is `HealthSignals`.
struct HealthService {
    let database: any Database
    var clock: UpwardClock = .system
    var now: Date { clock.now() }

    /// An alert resolved less than this many days ago is not raised again for the same pairing and kind.
    static let quietAfterResolvingDays = 14

    /// The facts of every started pairing of a programme, by pairing id, in a fixed number of queries. Whether the
    /// agreement is signed and how many goals there are come from the coordinator's summaries: one rule for both.
    func facts(of programme: Programme, only: UUID? = nil) async throws -> [UUID: PairingFacts] {
        var started = try Pairing.query(on: database).filter(\.$programme.$id == programme.requireID()).filter(\.$status ~~ PairingStatus.started)
        if let only { started = started.filter(\.$id == only) }
        let pairings = try await started.all()
        guard !pairings.isEmpty else { return [:] }
        let summaries = try await PairingSpaceService(database: database, clock: clock).summaries(of: programme, only: only)
        return try await facts(of: programme, pairings: pairings, summaries: summaries)
    }

    /// The facts of these pairings, given the programme's summaries.
    func facts(of programme: Programme, pairings: [Pairing], summaries: [UUID: PairingSpaceService.PairingSummary]) async throws -> [UUID: PairingFacts] {
        let ids = pairings.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let meetings = try await Meeting.query(on: database).filter(\.$pairing.$id ~~ ids)
            .field(\.$pairing.$id).field(\.$startsAt).field(\.$endsAt).field(\.$status).field(\.$cancelledBySide).field(\.$logged).all()
        let answers = try await CheckIn.query(on: database).filter(\.$pairing.$id ~~ ids).sort(\.$dueOn).all()
        let meetingsOf = Dictionary(grouping: meetings, by: { $0.$pairing.id })
        let answersOf = Dictionary(grouping: answers, by: { $0.$pairing.id })
        let today = clock.today
        let runs = programme.status == .running && (programme.endsOn.flatMap(Day.init).map { today <= $0 } ?? true)
        var out: [UUID: PairingFacts] = [:]
        for pairing in pairings {
            guard let id = pairing.id else { continue }
            let summary = summaries[id]
            out[id] = PairingFacts(
                activatedOn: Day(pairing.activatedAt ?? pairing.createdAt ?? now), programmeRuns: runs, cadenceWeeks: programme.cadenceWeeks,
                ended: pairing.status != .active, agreementSigned: summary?.signedAt != nil,
                goals: summary.map { $0.goalsOpen + $0.goalsAchieved + $0.goalsDropped } ?? 0,
                meetings: (meetingsOf[id] ?? []).map { .init(start: $0.startsAt, end: $0.endsAt, status: $0.status, cancelledBy: $0.cancelledBySide, logged: $0.logged) },
                answers: (answersOf[id] ?? []).compactMap { a in
                    Day(a.dueOn).map { .init(personID: a.personID, day: $0, scores: a.scores, notAGoodFit: a.fit == .notAGoodFit, needsHelp: a.needsHelp,
                                             answeredAt: a.answeredAt) }
                })
        }
        return out
    }

    /// Every started pairing's state and signals today.
    func health(of programme: Programme, only: UUID? = nil) async throws -> [UUID: (state: HealthState, signals: [HealthSignal])] {
        let thresholds = programme.healthThresholds
        return try await facts(of: programme, only: only).mapValues { HealthSignals.evaluate($0, thresholds: thresholds, now: now) }
    }

    /// Raises an alert for each signal that has none open, unless one of its kind on that pairing was resolved in the
    /// last two weeks, or — for a signal raised by check-in answers — resolved after the pair's latest answer. Safe to run on several instances at once (one open alert per pairing and kind, by a unique
    /// index). `only` limits it to one pairing (a check-in just answered). Returns how many were raised.
    @discardableResult
    func raiseAlerts(for programme: Programme, only: UUID? = nil) async throws -> Int {
        let programmeID = try programme.requireID()
        let facts = try await facts(of: programme, only: only)
        let thresholds = programme.healthThresholds
        let health = facts.mapValues { HealthSignals.evaluate($0, thresholds: thresholds, now: now) }
        var known = Alert.query(on: database).filter(\.$programmeID == programmeID)
        if let only { known = known.filter(\.$pairing.$id == only) }
        let existing = try await known.all()
        let quietSince = now.addingTimeInterval(-Double(Self.quietAfterResolvingDays * 86_400))
        var raised = 0
        for (pairingID, result) in health.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            for signal in result.1 {
                let key = Alert.openKey(pairingID, signal.kind)
                let mine = existing.filter { $0.$pairing.id == pairingID && $0.kind == signal.kind }
                if mine.contains(where: { $0.openKey == key }) { continue }
                if mine.contains(where: { $0.status == .resolved && ($0.handledAt ?? .distantPast) > quietSince }) { continue }
                if signal.kind.fromAnswers {
                    let latest = facts[pairingID]?.answers.compactMap(\.answeredAt).max() ?? .distantPast
                    if mine.contains(where: { $0.status == .resolved && ($0.handledAt ?? .distantPast) >= latest }) { continue }
                }
                let alert = Alert()
                alert.$pairing.id = pairingID
                alert.programmeID = programmeID
                alert.kind = signal.kind
                alert.detail = signal.detail
                alert.action = signal.action
                alert.raisedBy = signal.raisedBy
                alert.raisedAt = now
                alert.status = .open
                alert.openKey = key
                do {
                    try await database.writeTransaction { db in try await alert.create(on: db) }
                    raised += 1
                } catch let error as any DatabaseError where error.isConstraintFailure {
                    continue   // another worker raised it a moment ago
                }
            }
        }
        return raised
    }

    /// The work of the `health.alerts` job: every running programme's alerts. Returns how many were raised.
    @discardableResult
    func raiseAllAlerts() async throws -> Int {
        var raised = 0
        for programme in try await Programme.query(on: database).filter(\.$status == .running).all() {
            raised += try await raiseAlerts(for: programme)
        }
        return raised
    }

    /// The coordinator acknowledges (still open, being handled) or resolves an alert, with a note.
    @discardableResult
    func handle(_ alertID: UUID?, in programme: Programme, resolve: Bool, note: String?, by handler: String) async throws -> Alert {
        try TextLimit.check([("note", note, TextLimit.paragraph)])
        guard let alertID, let alert = try await Alert.query(on: database).filter(\.$id == alertID)
            .filter(\.$programmeID == programme.requireID()).first() else {
            throw Problem(.notFound, "This programme has no alert with that id.")
        }
        guard alert.status != .resolved else { throw Problem(.conflict, "This alert is already resolved.") }
        alert.status = resolve ? .resolved : .acknowledged
        alert.note = note?.trimmed.nilIfEmpty ?? alert.note
        alert.handledBy = handler
        alert.handledAt = now
        if resolve { alert.openKey = nil }
        try await database.writeTransaction { db in try await alert.save(on: db) }
        return alert
    }
}

extension HealthService {
    static let alertsJob = JobKind("health.alerts")
    /// Signals move by days; an hourly look is prompt enough.
    static let alertsInterval: TimeInterval = 3600
}
