import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

// MARK: Runs

extension MatchingService {

    /// Live pairings' pairs (mentee application, mentor application): kept by every new run.
    func livePairs(of programme: Programme) async throws -> [(UUID, UUID)] {
        let pairings = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status ~~ PairingStatus.live).with(\.$members).all()
        var pairs: [(UUID, UUID)] = []
        for pairing in pairings {
            let live = pairing.members.filter { $0.answer != .declined && $0.answer != .expired }
            guard let mentee = live.first(where: { $0.side == .mentee }) else { continue }
            for mentor in live where mentor.side == .mentor { pairs.append((mentee.$application.id, mentor.$application.id)) }
        }
        return pairs
    }

    /// Selected people without a live pairing: who a re-match of a running programme is for.
    func unpaired(in programme: Programme) async throws -> Int {
        let live = try await livePairs(of: programme)
        let paired = Set(live.flatMap { [$0.0, $0.1] })
        let selected = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .matchable().all()
        return selected.filter { $0.id.map { !paired.contains($0) } ?? false }.count
    }

    /// Why a run cannot start now, or nil: matching runs in matching, and in a running programme only to re-match
    /// people left without a pair.
    func runRefusal(_ programme: Programme) async throws -> String? {
        switch programme.status {
        case .matching: return nil
        case .running:
            return try await unpaired(in: programme) == 0
                ? "Everyone selected for “\(programme.name)” is in a live pairing, so there is nobody to re-match." : nil
        default:
            return "Matching runs while the programme is in matching (or running, to re-match); “\(programme.name)” is in \(programme.status.rawValue)."
        }
    }

    /// Every pair that was declined, left unanswered or ended early in this programme: never proposed again.
    func declinedPairs(of programme: Programme) async throws -> [(UUID, UUID)] {
        let pairings = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID()).with(\.$members).all()
        var pairs: [(UUID, UUID)] = []
        for pairing in pairings {
            guard let mentee = pairing.members.first(where: { $0.side == .mentee }) else { continue }
            for mentor in pairing.members where mentor.side == .mentor {
                if pairing.status == .endedEarly || [.declined, .expired].contains(mentor.answer) || [.declined, .expired].contains(mentee.answer) {
                    pairs.append((mentee.$application.id, mentor.$application.id))
                }
            }
        }
        return pairs
    }

    /// Starts a run with `settings`, keeping `pins` and every live pairing, and never proposing `forbidden` or
    /// declined pairs. The run and its job are stored together; small programmes are solved by this call (the
    /// request claims the job itself), larger ones by the job worker while the run's `progress` moves, so a page
    /// can show it. `background` forces one way or the other.
    @discardableResult
    func startRun(_ programme: Programme, settings: MatchingSettings, pins: [[UUID]] = [], forbidden: [[UUID]] = [],
                  by author: String, background: Bool? = nil) async throws -> MatchingRun {
        if let refusal = try await runRefusal(programme) { throw Problem(.conflict, refusal) }
        try Self.check(settings)
        try await expireOverdue(programme)
        let sizes = try await selectedSides(of: programme)
        guard sizes.mentees > 0, sizes.mentors > 0 else {
            throw Problem(.conflict, "Matching needs selected people on both sides; select them on the Selection page first.")
        }
        let inBackground = background ?? (sizes.mentees * sizes.mentors > Self.inlineRunLimit)
        let programmeID = try programme.requireID()
        let queue = JobQueue(database: database, clock: clock)
        // A job this request runs itself waits a minute before a worker may take it: if the request dies, a worker
        // finds it claimed and silent and marks the run failed; it is never solved twice.
        let runAt = inBackground ? nil : clock.now().addingTimeInterval(JobQueue.abandonedAfter)
        var created: (run: MatchingRun, job: UUID?)?
        // The number is unique per programme: two coordinators starting at once get 1 and 2, or one tries again.
        for attempt in 0..<5 where created == nil {
            do {
                created = try await database.writeTransaction { db in
                    let run = MatchingRun()
                    run.$programme.id = programmeID
                    run.status = .running
                    run.progress = 0
                    run.settingsJSON = JSONText.encode(settings)
                    run.pins = (pins)
                    run.forbidden = (forbidden)
                    run.resultJSON = "{}"
                    run.createdBy = author
                    run.number = (try await MatchingRun.query(on: db).filter(\.$programme.$id == programmeID).max(\.$number) ?? 0) + 1
                    try await run.create(on: db)
                    let job = try await JobQueue(database: db, clock: clock)
                        .enqueue(Self.runJob, payload: RunJobPayload(run: run.requireID()), runAt: runAt, maxAttempts: 1)
                    return (run, job)
                }
            } catch where attempt < 4 {
                continue
            }
        }
        guard let (run, jobID) = created else { throw Problem(.conflict, "The run could not be numbered; start it again.") }
        if !inBackground, let jobID, let job = try await queue.claim(worker: Self.requestWorker, id: jobID) {
            let service = self
            await queue.perform(job, worker: Self.requestWorker) { try await service.performRun(try run.requireID()) }
        }
        return try await MatchingRun.find(run.requireID(), on: database) ?? run
    }

    /// The worker name a request uses when it solves its own run: this instance's host and process.
    static let requestWorker = "request@\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"

    /// Above this many possible pairs (mentees × mentors) a run works in the background.
    static let inlineRunLimit = 250_000

    /// How many selected people the engine will see on each side, from two counts (no profiles loaded).
    func selectedSides(of programme: Programme) async throws -> (mentees: Int, mentors: Int) {
        let selected = try ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).matchable()
        let total = try await selected.copy().count()
        if programme.format == .twoWay { return (total - total / 2, total / 2) }
        let mentees = try await selected.filter(\.$role == .mentee).count()
        return (mentees, total - mentees)
    }

    /// Solves a stored run: the work of its job. Reads the programme as it is now (the pool, live and declined
    /// pairs) with the run's settings, pins and forbidden pairs. A run that is no longer running is left alone.
    /// Whatever stops it before the engine starts (the database away, the programme deleted) fails the run with the
    /// reason, so no run is left "running".
    func performRun(_ runID: UUID) async throws {
        do {
            try await prepareAndExecute(runID)
        } catch {
            try? await Self.markFailed(runID, "The run could not start: \(String(describing: error)). Run it again.", on: database)
            throw error
        }
    }

    private func prepareAndExecute(_ runID: UUID) async throws {
        guard let run = try await MatchingRun.find(runID, on: database), run.status == .running else { return }
        let programme = try await Programme.require(run.$programme.id, on: database, "The run's programme no longer exists.")
        let settings = Self.settings(of: run, in: programme)
        let pins = run.pins, forbidden = run.forbidden
        let pool = try await pool(for: programme)
        guard !pool.mentees.isEmpty, !pool.mentors.isEmpty else {
            try await Self.markFailed(runID, "Nobody is selected on one side any more; select people on the Selection page and run again.", on: database)
            return
        }
        let live = try await livePairs(of: programme)
        let declined = try await declinedPairs(of: programme)
        let carried = Self.carryOver(pins: pins, live: live, declined: declined, pool: pool, settings: settings)
        let job = RunInput(pool: pool, settings: settings, pins: carried.pins + live,
                         kept: Set(live.map { "\($0.0)|\($0.1)" }),
                         forbidden: forbidden.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } + declined, notes: carried.notes)
        await Self.execute(job, runID: runID, on: database, progressHook: progressHook)
    }

    /// Marks a run that is still running as failed, saying why.
    static func markFailed(_ runID: UUID, _ message: String, on database: any Database) async throws {
        try await database.writeTransaction { db in
            try await MatchingRun.query(on: db).filter(\.$id == runID).filter(\.$status == .running)
                .set(\.$status, to: .failed).set(\.$error, to: message).update()
        }
    }

    /// The ranges a run's settings must keep, for the API, the settings form and `check` alike.
    enum Limits {
        static let weight: ClosedRange<Double> = 0...10

        struct Count: Sendable {
            var field: String
            var label: String
            var range: ClosedRange<Int>
            var setting: WritableKeyPath<MatchingSettings, Int> & Sendable
        }

        static let counts = [
            Count(field: "minimumLevelGap", label: "The minimum level gap", range: 0...10, setting: \.minimumLevelGap),
            Count(field: "mentorCapacity", label: "Mentees per mentor", range: 1...10, setting: \.mentorCapacity),
            Count(field: "boardSize", label: "Board size", range: 1...8, setting: \.boardSize),
        ]
    }

    static func check(_ settings: MatchingSettings) throws {
        var issues: [FieldIssue] = []
        for (criterion, weight) in settings.weights where !Limits.weight.contains(weight) {
            issues.append(FieldIssue(field: "weights.\(criterion.rawValue)", message: "The weight of \(criterion.label) is between 0 and 10."))
        }
        for limit in Limits.counts where !limit.range.contains(settings[keyPath: limit.setting]) {
            issues.append(FieldIssue(field: limit.field, message: "\(limit.label) is a whole number from \(limit.range.lowerBound) to \(limit.range.upperBound)."))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }

    struct RunInput: Sendable {
        var pool: Pool
        var settings: MatchingSettings
        var pins: [(UUID, UUID)]
        var kept: Set<String>
        var forbidden: [(UUID, UUID)]
        /// What could not be carried over from the run this one starts from.
        var notes: [String] = []
    }

    /// The pins (mentee and mentor application ids) a new run can keep, and a note for each it cannot: a pair that
    /// was declined is never proposed again, whoever pinned it; a pin naming someone no longer selected, or one
    /// that would exceed a capacity next to the live pairings, is dropped too.
    static func carryOver(pins: [[UUID]], live: [(UUID, UUID)], declined: [(UUID, UUID)], pool: Pool,
                          settings: MatchingSettings) -> (pins: [(UUID, UUID)], notes: [String]) {
        var names: [UUID: String] = [:]
        for (_, application) in pool.applicationOf {
            if let id = application.id { names[id] = application.person.name }
        }
        let menteeIDs = Set(pool.mentees.compactMap { pool.applicationOf[$0.id]?.id })
        let mentorIDs = Set(pool.mentors.compactMap { pool.applicationOf[$0.id]?.id })
        let declinedKeys = Set(declined.map { "\($0.0)|\($0.1)" }), liveKeys = Set(live.map { "\($0.0)|\($0.1)" })
        let board = settings.format == .advisoryBoard ? max(1, settings.boardSize) : 1
        var menteeLoad: [UUID: Int] = [:], mentorLoad: [UUID: Int] = [:]
        for (mentee, mentor) in live { menteeLoad[mentee, default: 0] += 1; mentorLoad[mentor, default: 0] += 1 }
        var kept: [(UUID, UUID)] = [], notes: [String] = []
        for pin in pins {
            guard pin.count == 2 else { continue }
            let (mentee, mentor) = (pin[0], pin[1])
            let who = "\(names[mentee] ?? "a mentee no longer selected") and \(names[mentor] ?? "a mentor no longer selected")"
            if liveKeys.contains("\(mentee)|\(mentor)") { continue }
            if declinedKeys.contains("\(mentee)|\(mentor)") {
                notes.append("The pin of \(who) was dropped: this pair was declined, and a declined pair is never proposed again.")
            } else if !menteeIDs.contains(mentee) || !mentorIDs.contains(mentor) {
                notes.append("The pin of \(who) was dropped: one of them is no longer selected.")
            } else if menteeLoad[mentee, default: 0] >= board || mentorLoad[mentor, default: 0] >= max(1, settings.mentorCapacity) {
                notes.append("The pin of \(who) was dropped: one of them is already paired up to their capacity.")
            } else {
                kept.append((mentee, mentor))
                menteeLoad[mentee, default: 0] += 1
                mentorLoad[mentor, default: 0] += 1
            }
        }
        return (kept, notes)
    }

    /// Scores, solves and stores the result; progress is written as it goes.
    static func execute(_ job: RunInput, runID: UUID, on database: any Database, progressHook: (@Sendable (Double) -> Void)? = nil) async {
        let started = ContinuousClock.now
        let personOfApplication = Dictionary(job.pool.applicationOf.compactMap { entry in entry.value.id.map { ($0, entry.key) } }, uniquingKeysWith: { a, _ in a })
        func pair(_ p: (UUID, UUID)) -> (String, String)? {
            guard let a = personOfApplication[p.0], let b = personOfApplication[p.1] else { return nil }
            return (a, b)
        }
        // The engine reports progress into a box; a companion task copies it to the run every few tenths of a second.
        let box = ProgressBox()
        let reporter = Task {
            var last = -1.0
            while !Task.isCancelled {
                let now = box.value
                if now > last {
                    try? await database.writeTransaction { db in
                        try await MatchingRun.query(on: db).filter(\.$id == runID).filter(\.$status == .running).set(\.$progress, to: now).update()
                    }
                    last = now
                }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        defer { reporter.cancel() }
        do {
            let pins = job.pins.compactMap(pair), forbidden = job.forbidden.compactMap(pair)
            let outcome = try await onOwnThread {
                try MatchingPipeline.run(mentees: job.pool.mentees, mentors: job.pool.mentors, settings: job.settings,
                                         pinned: pins, forbidden: forbidden, progress: { box.value = $0; progressHook?($0) })
            }
            reporter.cancel()
            var result = RunResult(method: outcome.method, mentees: job.pool.mentees.count, mentors: job.pool.mentors.count)
            result.notes = job.notes
            for p in outcome.proposals {
                guard let mentee = job.pool.applicationOf[p.menteeID]?.id, let mentor = job.pool.applicationOf[p.mentorID]?.id else { continue }
                result.proposals.append(.init(
                    menteeApplication: mentee, mentorApplication: mentor, score: p.score,
                    breakdown: Dictionary(uniqueKeysWithValues: p.breakdown.map { ($0.key.rawValue, $0.value) }),
                    menteeExplanation: p.menteeExplanation, mentorExplanation: p.mentorExplanation, coordinatorNote: p.coordinatorNote,
                    pinned: p.pinned && !job.kept.contains("\(mentee)|\(mentor)"), manual: false, warnings: [],
                    kept: job.kept.contains("\(mentee)|\(mentor)")))
            }
            for u in outcome.unmatchedMentees {
                if let application = job.pool.applicationOf[u.id]?.id { result.unmatched.append(.init(application: application, reason: u.reason, side: .mentee)) }
            }
            for u in outcome.unmatchedMentors {
                if let application = job.pool.applicationOf[u.id]?.id { result.unmatched.append(.init(application: application, reason: u.reason, side: .mentor)) }
            }
            let seconds = (ContinuousClock.now - started).seconds
            let stored = JSONText.encode(result)
            try await database.writeTransaction { db in
                // Only a run still running: one given up as abandoned meanwhile stays failed.
                try await MatchingRun.query(on: db).filter(\.$id == runID).filter(\.$status == .running)
                    .set(\.$resultJSON, to: stored).set(\.$computedJSON, to: stored).set(\.$status, to: .done).set(\.$progress, to: 1)
                    .set(\.$seconds, to: seconds).update()
            }
        } catch {
            try? await markFailed(runID, String(describing: error), on: database)
        }
    }
}

/// Runs `work` on a thread of its own. The engine computes for seconds without suspending; on Swift's few shared
/// threads it would hold one that every request also needs (and a test's progress gate could block it).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// The share of a run done, written by the engine's thread and read by the reporter.
final class ProgressBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0.0
    var value: Double {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
