import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

/// Runs the engine on a programme, keeps runs for comparison, lets the coordinator adjust them, publishes
/// pairings and collects consent (DESIGN.md, "Matching run", "Pairing").
struct MatchingService {
    let database: any Database
    var clock: UpwardClock = .system
    /// Told the share of a run done as the engine reports it (tests hold a run part-way with it).
    var progressHook: (@Sendable (Double) -> Void)?
    var today: Day { clock.today }
    /// Days participants have to answer after publication.
    static let consentDays = 7

    // MARK: Settings

    static func defaultSettings(for programme: Programme) -> MatchingSettings {
        let format: Format = switch programme.format {
        case .reverse: .reverse
        case .twoWay: .twoWay
        case .advisoryBoard: .advisoryBoard
        }
        var settings = MatchingSettings.defaults(for: format)
        settings.minimumLevelGap = programme.minLevelGap
        settings.boardSize = programme.format == .advisoryBoard ? (programme.boardSize ?? 3) : 1
        return settings
    }

    /// The settings a run was made with (a run stored unreadably counts as made with the format's defaults).
    static func settings(of run: MatchingRun, in programme: Programme) -> MatchingSettings {
        JSONText.decode(MatchingSettings.self, run.settingsJSON, default: defaultSettings(for: programme))
    }

    /// The settings of the latest run, or the format's defaults.
    func currentSettings(for programme: Programme) async throws -> MatchingSettings {
        if let last = try await runs(of: programme).first {
            return Self.settings(of: last, in: programme)
        }
        return Self.defaultSettings(for: programme)
    }

    func runs(of programme: Programme) async throws -> [MatchingRun] {
        try await MatchingRun.query(on: database).filter(\.$programme.$id == programme.requireID()).sort(\.$number, .descending).all()
    }

    // MARK: Profiles

    struct Pool: Sendable {
        var mentees: [Participant]
        var mentors: [Participant]
        /// Participant id (a person id) → application.
        var applicationOf: [String: ProgrammeApplication]
        var people: [UUID: Person]
    }

    /// The selected applicants as engine profiles. Participant ids are person ids, so reporting lines, shortlists,
    /// blocks and earlier partners all speak of people. In `twoWay` everyone teaches and learns; the engine pairs
    /// the junior half with the senior half.
    func pool(for programme: Programme) async throws -> Pool {
        let selected = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status == .selected).with(\.$person).all()
        let everyone = try await Person.query(on: database).all()
        let byExternal = Dictionary(everyone.map { ($0.externalID, $0) }, uniquingKeysWith: { a, _ in a })
        // Earlier partners: people paired in other programmes (accepted or active or completed pairings).
        let personIDs = selected.map { $0.$person.id }
        var earlier: [UUID: Set<UUID>] = [:]
        if !personIDs.isEmpty {
            let memberships = try await PairingMember.query(on: database).filter(\.$person.$id ~~ personIDs)
                .join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
                .filter(Pairing.self, \.$programme.$id != programme.requireID())
                .filter(Pairing.self, \.$status ~~ [.active, .completed, .endedEarly]).all()
            let pairingIDs = Array(Set(memberships.map { $0.$pairing.id }))
            let all = pairingIDs.isEmpty ? [] : try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).all()
            let byPairing = Dictionary(grouping: all, by: { $0.$pairing.id })
            for m in memberships {
                for other in byPairing[m.$pairing.id] ?? [] where other.$person.id != m.$person.id {
                    earlier[m.$person.id, default: []].insert(other.$person.id)
                }
            }
        }
        func profile(_ a: ProgrammeApplication) -> Participant {
            let person = a.person
            var managers: [String] = []
            var next = person.managerExternalID
            while let id = next, let manager = byExternal[id], managers.count < 20 {
                managers.append(manager.id!.uuidString)
                next = manager.managerExternalID
            }
            let offset = person.timeZone.flatMap(TimeZone.init(identifier:)).map { Double($0.secondsFromGMT()) / 3600 }
                ?? a.timeZone.flatMap(TimeZone.init(identifier:)).map { Double($0.secondsFromGMT()) / 3600 }
            let diversity = a.diversityConsent ? JSONText.decode([String: String].self, person.diversity ?? "{}") : [:]
            return Participant(
                id: person.id!.uuidString, name: person.name, level: person.level, department: person.department, managers: managers,
                skillsOffered: Dictionary(a.skillsOffered.map { ($0.name.lowercased(), $0.level) }, uniquingKeysWith: max),
                skillsSought: Dictionary(a.skillsSought.map { ($0.name.lowercased(), $0.level) }, uniquingKeysWith: max),
                interests: a.interests.map { $0.lowercased() }, values: a.values.map { $0.lowercased() }, topics: a.topics.map { $0.lowercased() },
                channels: a.communication.compactMap { Participant.Channel(rawValue: $0.rawValue) },
                availability: a.availability.map(Self.slot), utcOffset: offset, diversity: diversity,
                shortlist: a.preferred.map(\.uuidString), blocks: a.avoided.map(\.uuidString),
                earlierPartners: (earlier[person.id!] ?? []).map(\.uuidString))
        }
        let sides = Self.sides(selected, format: programme.format)
        let mentees = sides.mentees.map(profile), mentors = sides.mentors.map(profile)
        var applicationOf: [String: ProgrammeApplication] = [:]
        for a in selected { applicationOf[a.person.id!.uuidString] = a }
        return Pool(mentees: mentees, mentors: mentors, applicationOf: applicationOf,
                    people: Dictionary(selected.map { ($0.$person.id, $0.person) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Which selected applications the engine treats as mentees and which as mentors (persons loaded), by level.
    /// In `twoWay` everyone teaches and learns: the junior half are the engine's mentors, the senior half its mentees.
    static func sides(_ selected: [ProgrammeApplication], format: ProgrammeFormat) -> (mentees: [ProgrammeApplication], mentors: [ProgrammeApplication]) {
        let ordered = selected.sorted { ($0.person.level, $0.person.externalID) < ($1.person.level, $1.person.externalID) }
        if format == .twoWay {
            let half = ordered.count / 2
            return (Array(ordered[half...]), Array(ordered[..<half]))
        }
        return (ordered.filter { $0.role == .mentee }, ordered.filter { $0.role != .mentee })
    }

    /// "Tue morning" → the engine's "tue-am".
    static func slot(_ text: String) -> String {
        let parts = text.lowercased().split(separator: " ")
        guard parts.count == 2 else { return text.lowercased() }
        return "\(parts[0])-\(parts[1] == "morning" ? "am" : "pm")"
    }

    // MARK: Runs

    /// Live pairings' pairs (mentee application, mentor application): kept by every new run.
    func livePairs(of programme: Programme) async throws -> [(UUID, UUID)] {
        let pairings = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status ~~ [.awaitingConsent, .active]).with(\.$members).all()
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
            .filter(\.$status == .selected).all()
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

    /// Every pair that was declined or left unanswered in this programme: never proposed again.
    func declinedPairs(of programme: Programme) async throws -> [(UUID, UUID)] {
        let pairings = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID()).with(\.$members).all()
        var pairs: [(UUID, UUID)] = []
        for pairing in pairings {
            guard let mentee = pairing.members.first(where: { $0.side == .mentee }) else { continue }
            for mentor in pairing.members where mentor.side == .mentor {
                if [.declined, .expired].contains(mentor.answer) || [.declined, .expired].contains(mentee.answer) {
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
        if !inBackground, let jobID, let job = try await queue.claim(worker: "request", id: jobID) {
            let service = self
            await queue.perform(job, worker: "request") { try await service.performRun(try run.requireID()) }
        }
        return try await MatchingRun.find(run.requireID(), on: database) ?? run
    }

    /// Above this many possible pairs (mentees × mentors) a run works in the background.
    static let inlineRunLimit = 250_000

    /// How many selected people the engine will see on each side, from two counts (no profiles loaded).
    func selectedSides(of programme: Programme) async throws -> (mentees: Int, mentors: Int) {
        let selected = try ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).filter(\.$status == .selected)
        let total = try await selected.copy().count()
        if programme.format == .twoWay { return (total - total / 2, total / 2) }
        let mentees = try await selected.filter(\.$role == .mentee).count()
        return (mentees, total - mentees)
    }

    /// Solves a stored run: the work of its job. Reads the programme as it is now (the pool, live and declined
    /// pairs) with the run's settings, pins and forbidden pairs. A run that is no longer running is left alone.
    func performRun(_ runID: UUID) async throws {
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
        let job = RunJob(pool: pool, settings: settings, pins: carried.pins + live,
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

    static func check(_ settings: MatchingSettings) throws {
        var issues: [FieldIssue] = []
        for (criterion, weight) in settings.weights where !(0...10).contains(weight) {
            issues.append(FieldIssue(field: "weights.\(criterion.rawValue)", message: "The weight of \(criterion.label) is between 0 and 10."))
        }
        if !(0...10).contains(settings.minimumLevelGap) { issues.append(FieldIssue(field: "minimumLevelGap", message: "The minimum level gap is 0 to 10.")) }
        if !(1...10).contains(settings.mentorCapacity) { issues.append(FieldIssue(field: "mentorCapacity", message: "A mentor takes 1 to 10 mentees.")) }
        if !(1...8).contains(settings.boardSize) { issues.append(FieldIssue(field: "boardSize", message: "A board has 1 to 8 advisors.")) }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }

    struct RunJob: Sendable {
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
    static func execute(_ job: RunJob, runID: UUID, on database: any Database, progressHook: (@Sendable (Double) -> Void)? = nil) async {
        let started = ContinuousClock.now
        let personOfApplication = Dictionary(job.pool.applicationOf.map { ($0.value.id!, $0.key) }, uniquingKeysWith: { a, _ in a })
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
                try await MatchingRun.query(on: db).filter(\.$id == runID)
                    .set(\.$resultJSON, to: stored).set(\.$computedJSON, to: stored).set(\.$status, to: .done).set(\.$progress, to: 1)
                    .set(\.$seconds, to: seconds).update()
            }
        } catch {
            try? await markFailed(runID, String(describing: error), on: database)
        }
    }

    // MARK: Review

    /// The current revision: the engine's result with the coordinator's adjustments.
    func result(of run: MatchingRun) -> RunResult { JSONText.decode(RunResult.self, run.resultJSON, default: RunResult()) }

    /// The result as the engine computed it, for comparing runs: adjustments never change it.
    func computedResult(of run: MatchingRun) -> RunResult {
        JSONText.decode(RunResult.self, run.computedJSON ?? run.resultJSON, default: RunResult())
    }

    /// A run's result as the engine computed it and as the coordinator adjusted it.
    struct RunResults {
        var computed: RunResult
        var current: RunResult
    }

    /// Both revisions, decoded once each (once in all when the coordinator changed nothing).
    func results(of run: MatchingRun) -> RunResults {
        let current = result(of: run)
        guard let computed = run.computedJSON, computed != run.resultJSON else { return RunResults(computed: current, current: current) }
        return RunResults(computed: JSONText.decode(RunResult.self, computed, default: RunResult()), current: current)
    }

    /// How many of `result`'s pairs `earlier` did not propose: the runs' difference, for comparing them.
    func pairsChanged(_ result: RunResult, since earlier: RunResult) -> Int {
        let key = { (p: RunResult.Proposal) in "\(p.menteeApplication)|\(p.mentorApplication)" }
        return Set(result.proposals.map(key)).subtracting(earlier.proposals.map(key)).count
    }

    /// Saves a new revision of the run's result, recording what changed, by whom and when.
    func save(_ result: RunResult, in run: MatchingRun, adjustment: String, by author: String) async throws {
        var result = result
        result.adjustments.append(.init(description: adjustment, by: author, at: clock.now()))
        run.resultJSON = JSONText.encode(result)
        try await run.save(on: database)
    }

    func editable(_ run: MatchingRun) throws {
        guard run.status == .done else { throw Problem(.conflict, "This run is still \(run.status.rawValue); wait until it is done.") }
        guard run.publishedAt == nil else { throw Problem(.conflict, "Run \(run.number) is published; start a new run to change the proposals.") }
    }

    /// The names behind application ids, for sentences about adjustments.
    func names(of applications: [UUID]) async throws -> [UUID: String] {
        let rows = try await ProgrammeApplication.query(on: database).filter(\.$id ~~ applications).with(\.$person).all()
        return Dictionary(rows.compactMap { a in a.id.map { ($0, a.person.name) } }, uniquingKeysWith: { a, _ in a })
    }

    func pairName(_ mentee: UUID, _ mentor: UUID) async throws -> String {
        let names = try await names(of: [mentee, mentor])
        return "\(names[mentee] ?? "the mentee") and \(names[mentor] ?? "the mentor")"
    }

    /// Keeps a proposed pair in every later run.
    func pin(_ run: MatchingRun, mentee: UUID, mentor: UUID, by author: String) async throws {
        try editable(run)
        var result = result(of: run)
        guard let k = result.proposals.firstIndex(where: { $0.menteeApplication == mentee && $0.mentorApplication == mentor }) else {
            throw Problem(.notFound, "That pair is not proposed in run \(run.number).")
        }
        result.proposals[k].pinned.toggle()
        var pins = run.pins.filter { $0 != [mentee, mentor] }
        if result.proposals[k].pinned { pins.append([mentee, mentor]) }
        run.pins = (pins)
        let who = try await pairName(mentee, mentor)
        try await save(result, in: run, adjustment: (result.proposals[k].pinned ? "Pinned " : "Unpinned ") + who + ".", by: author)
    }

    /// Rules a pair out of this run and every later one; the mentee becomes unmatched until a re-run.
    func forbid(_ run: MatchingRun, mentee: UUID, mentor: UUID, by author: String) async throws {
        try editable(run)
        var result = result(of: run)
        guard result.proposals.contains(where: { $0.menteeApplication == mentee && $0.mentorApplication == mentor && !$0.kept }) else {
            throw Problem(.notFound, "That pair is not an open proposal in run \(run.number).")
        }
        result.proposals.removeAll { $0.menteeApplication == mentee && $0.mentorApplication == mentor }
        if !result.proposals.contains(where: { $0.menteeApplication == mentee }) {
            result.unmatched.append(.init(application: mentee, reason: "You ruled out their proposed partner; re-run to find another."))
        }
        var forbidden = run.forbidden
        forbidden.append([mentee, mentor])
        run.forbidden = (forbidden)
        run.pins = (run.pins.filter { $0 != [mentee, mentor] })
        try await save(result, in: run, adjustment: "Ruled out \(try await pairName(mentee, mentor)).", by: author)
    }

    /// Exchanges the partners of two mentees' proposals; the new pairs are scored, explained and pinned (a re-run
    /// keeps them). Returns a warning for every rule they break, for the message that answers the action.
    @discardableResult
    func swap(_ run: MatchingRun, menteeA: UUID, menteeB: UUID, programme: Programme, by author: String) async throws -> [String] {
        try editable(run)
        var result = result(of: run)
        guard let a = result.proposals.firstIndex(where: { $0.menteeApplication == menteeA && !$0.kept }),
              let b = result.proposals.firstIndex(where: { $0.menteeApplication == menteeB && !$0.kept }), a != b else {
            throw Problem(.unprocessableEntity, "Pick two mentees who both have an open proposal in run \(run.number).")
        }
        let mentorA = result.proposals[a].mentorApplication, mentorB = result.proposals[b].mentorApplication
        let settings = Self.settings(of: run, in: programme)
        let pool = try await pool(for: programme)
        result.proposals[a] = try manualProposal(mentee: menteeA, mentor: mentorB, pool: pool, settings: settings)
        result.proposals[b] = try manualProposal(mentee: menteeB, mentor: mentorA, pool: pool, settings: settings)
        var pins = run.pins.filter { $0.first != menteeA && $0.first != menteeB }
        pins += [[menteeA, mentorB], [menteeB, mentorA]]
        run.pins = (pins)
        let names = try await names(of: [menteeA, menteeB, mentorA, mentorB])
        let warnings = [(menteeA, mentorB, result.proposals[a]), (menteeB, mentorA, result.proposals[b])].flatMap { mentee, mentor, proposal in
            proposal.warnings.map { "\(names[mentee] ?? "A mentee") and \(names[mentor] ?? "their new mentor"): \($0)" }
        }
        try await save(result, in: run, adjustment: "Swapped the partners of \(names[menteeA] ?? "a mentee") and \(names[menteeB] ?? "another mentee").", by: author)
        return warnings
    }

    /// A hand-made pair that breaks a rule, a ruled-out pair or a declined pair is made only once the
    /// coordinator confirms it, having been told exactly what it breaks.
    struct NeedsConfirmation: AbortError {
        var pair: String
        var breaks: [String]
        var status: HTTPResponseStatus { .conflict }
        var reason: String {
            "Pairing \(pair) breaks: \(breaks.joined(separator: "; ")). Confirm to pair them anyway."
        }
    }

    /// Pairs two people by hand, replacing the mentee's proposals (and, at capacity, the mentor's). Returns
    /// the warnings: every rule the pair breaks, named.
    @discardableResult
    func manualPair(_ run: MatchingRun, mentee: UUID, mentor: UUID, programme: Programme, confirmed: Bool = false,
                    by author: String) async throws -> [String] {
        try editable(run)
        var result = result(of: run)
        let settings = Self.settings(of: run, in: programme)
        let pool = try await pool(for: programme)
        let proposal = try manualProposal(mentee: mentee, mentor: mentor, pool: pool, settings: settings)
        var breaks = proposal.warnings.map { $0.replacingOccurrences(of: "Breaks a rule: ", with: "").trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        if run.forbidden.contains([mentee, mentor]) { breaks.append("you ruled this pair out") }
        if try await declinedPairs(of: programme).contains(where: { $0 == (mentee, mentor) }) { breaks.append("this pair was declined before") }
        let who = try await pairName(mentee, mentor)
        if !breaks.isEmpty && !confirmed { throw NeedsConfirmation(pair: who, breaks: breaks) }
        if result.proposals.contains(where: { ($0.menteeApplication == mentee || $0.mentorApplication == mentor) && $0.kept }) {
            throw Problem(.conflict, "One of them is already in a published pairing; it stays as it is.")
        }
        let board = settings.format == .advisoryBoard ? max(1, settings.boardSize) : 1
        if board == 1 { result.proposals.removeAll { $0.menteeApplication == mentee } }
        result.proposals.removeAll { $0.menteeApplication == mentee && $0.mentorApplication == mentor }
        let mentorLoad = result.proposals.filter { $0.mentorApplication == mentor }.count
        if mentorLoad >= settings.mentorCapacity, let k = result.proposals.firstIndex(where: { $0.mentorApplication == mentor && !$0.kept }) {
            let freed = result.proposals.remove(at: k).menteeApplication
            if !result.proposals.contains(where: { $0.menteeApplication == freed }) {
                result.unmatched.append(.init(application: freed, reason: "Their proposed partner was paired by hand with someone else; re-run to find another."))
            }
        }
        result.unmatched.removeAll { $0.application == mentee }
        result.proposals.append(proposal)
        result.proposals.sort { ($0.menteeApplication.uuidString, $0.mentorApplication.uuidString) < ($1.menteeApplication.uuidString, $1.mentorApplication.uuidString) }
        var pins = run.pins
        pins.removeAll { $0.first == mentee && board == 1 }
        pins.append([mentee, mentor])
        run.pins = (pins)
        if confirmed && !breaks.isEmpty {
            run.forbidden = (run.forbidden.filter { $0 != [mentee, mentor] })
        }
        try await save(result, in: run, adjustment: "Paired \(who) by hand" + (breaks.isEmpty ? "." : ", confirmed although it breaks: \(breaks.joined(separator: "; ")).")
                      , by: author)
        return proposal.warnings + (breaks.count > proposal.warnings.count ? breaks.dropFirst(proposal.warnings.count).map { "Confirmed although \($0)." } : [])
    }

    func manualProposal(mentee: UUID, mentor: UUID, pool: Pool, settings: MatchingSettings) throws -> RunResult.Proposal {
        guard let e = pool.mentees.first(where: { pool.applicationOf[$0.id]?.id == mentee }),
              let m = pool.mentors.first(where: { pool.applicationOf[$0.id]?.id == mentor }) else {
            throw Problem(.unprocessableEntity, "Pick a selected mentee and a selected mentor of this programme.")
        }
        let one = try MatchingPipeline.run(mentees: [e], mentors: [m], settings: settings, pinned: [(e.id, m.id)])
        let proposal = one.proposals[0]
        let warning = MatchingPipeline.ruleBroken(mentee: e, mentor: m, settings: settings)
        return .init(menteeApplication: mentee, mentorApplication: mentor, score: proposal.score,
                     breakdown: Dictionary(uniqueKeysWithValues: proposal.breakdown.map { ($0.key.rawValue, $0.value) }),
                     menteeExplanation: proposal.menteeExplanation, mentorExplanation: proposal.mentorExplanation,
                     coordinatorNote: proposal.coordinatorNote, pinned: true, manual: true,
                     warnings: warning.map { ["Breaks a rule: \($0)."] } ?? [], kept: false)
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

// MARK: Publishing and consent

extension MatchingService {
    /// Publishes a run: every proposal not already live becomes a pairing awaiting consent, with a deadline.
    /// Seats (unique per programme, person and seat) make it impossible to put anyone in more live pairings
    /// than their capacity — a second, concurrent publication fails whole and changes nothing.
    @discardableResult
    func publish(_ run: MatchingRun, programme: Programme, by author: String, linkBase: String) async throws -> Int {
        try editable(run)
        guard programme.status == .matching || programme.status == .running else {
            throw Problem(.conflict, "Publishing happens while the programme is in matching or running; it is \(programme.status.rawValue).")
        }
        let result = result(of: run)
        let settings = Self.settings(of: run, in: programme)
        let fresh = result.proposals.filter { !$0.kept }
        guard !fresh.isEmpty else { throw Problem(.conflict, "Run \(run.number) proposes nothing new to publish.") }
        let applications = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .with(\.$person).all()
        let byID = Dictionary(applications.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let deadline = today.adding(days: Self.consentDays).description
        let programmeID = try programme.requireID()
        let runID = try run.requireID()
        do {
            try await database.writeTransaction { db in
                // Claim the run first: of two publications, only one can move published_at from null.
                let claimed = try await db.requireSQL().update(MatchingRun.schema)
                    .set("published_at", to: clock.now()).where("id", .equal, runID).where("published_at", .is, SQLLiteral.null)
                    .returning("id").all()
                guard !claimed.isEmpty else { throw Problem(.conflict, "Run \(run.number) was published a moment ago by someone else.") }
                // Seats already held in this programme.
                let held = try await PairingSeat.query(on: db).filter(\.$programmeID == programmeID).all()
                var seatsOf = Dictionary(grouping: held, by: \.personID).mapValues { Set($0.map(\.seat)) }
                func nextSeat(_ person: UUID) -> Int {
                    var seat = 0
                    while seatsOf[person]?.contains(seat) == true { seat += 1 }
                    seatsOf[person, default: []].insert(seat)
                    return seat
                }
                for (menteeID, group) in Dictionary(grouping: fresh, by: \.menteeApplication).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                    guard let mentee = byID[menteeID] else { continue }
                    let pairing = Pairing()
                    pairing.$programme.id = programmeID
                    pairing.$run.id = runID
                    pairing.status = .awaitingConsent
                    pairing.deadline = deadline
                    try await pairing.create(on: db)
                    let best = group.map(\.score).max() ?? 0
                    let menteeText = group.count == 1 ? group[0].menteeExplanation
                        : group.map { p in "\(byID[p.mentorApplication]?.person.name ?? "An advisor"): \(p.menteeExplanation)" }.joined(separator: " ")
                    try await addMember(pairing, mentee, side: .mentee, score: best, explanation: menteeText, seat: nextSeat(mentee.$person.id), on: db)
                    for p in group {
                        guard let mentor = byID[p.mentorApplication] else { continue }
                        let seat = nextSeat(mentor.$person.id)
                        if seat >= settings.mentorCapacity {
                            throw Problem(.conflict, "\(mentor.person.name) already has \(settings.mentorCapacity) live pairing\(settings.mentorCapacity == 1 ? "" : "s"); start a new run.")
                        }
                        try await addMember(pairing, mentor, side: .mentor, score: p.score, explanation: p.mentorExplanation, seat: seat, on: db)
                    }
                    for person in [mentee] + group.compactMap({ byID[$0.mentorApplication] }) {
                        try await Mail.proposal(to: person.person, programme: programme, deadline: deadline,
                                                link: linkBase + WebRoute.myMatch.link(programmeID)).create(on: db)
                    }
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem(.conflict, "Someone in run \(run.number) was placed in another pairing a moment ago; start a new run.")
        }
        return Set(fresh.map(\.menteeApplication)).count
    }

    private func addMember(_ pairing: Pairing, _ application: ProgrammeApplication, side: MemberSide, score: Double, explanation: String,
                           seat: Int, on db: any Database) async throws {
        let member = PairingMember()
        member.$pairing.id = try pairing.requireID()
        member.$application.id = try application.requireID()
        member.$person.id = application.$person.id
        member.side = side
        member.answer = .pending
        member.score = score
        member.explanation = explanation
        try await member.create(on: db)
        let claim = PairingSeat()
        claim.programmeID = pairing.$programme.id
        claim.personID = application.$person.id
        claim.seat = seat
        claim.memberID = try member.requireID()
        try await claim.create(on: db)
    }

    /// A person's answer. Accepting twice is harmless; a decline frees everyone in a pair (or, on a board, that
    /// advisor only) for a re-match that never proposes the declined pair again.
    func respond(_ member: PairingMember, accept: Bool, reason: String?) async throws {
        try TextLimit.check([("reason", reason, TextLimit.paragraph)])
        let memberID = try member.requireID()
        let pairingID = member.$pairing.id
        try await database.writeTransaction { db in
            guard let current = try await PairingMember.find(memberID, on: db),
                  let pairing = try await Pairing.find(pairingID, on: db) else { throw Problem(.notFound, "That proposal no longer exists.") }
            guard pairing.status == .awaitingConsent || (pairing.status == .active && current.answer == .accepted) else {
                throw Problem(.conflict, "This proposal is \(pairing.status.label.lowercased()); there is nothing to answer.")
            }
            if current.answer == (accept ? .accepted : .declined) { return }   // the same answer again: nothing changes
            guard current.answer == .pending else {
                throw Problem(.conflict, "You already \(current.answer.rawValue) this proposal.")
            }
            if let deadline = Day(pairing.deadline), deadline < today {
                throw Problem(.conflict, "The deadline to answer (\(pairing.deadline)) has passed.")
            }
            current.answer = accept ? .accepted : .declined
            current.reason = reason?.trimmed.nilIfEmpty
            current.answeredAt = clock.now()
            try await current.save(on: db)
            if !accept {
                try await release(current, in: pairing, on: db)
            }
        }
        if accept { try await activateIfComplete(pairingID) }
    }

    /// After a decline or a missed deadline: a pair ends; a board loses that advisor (the whole board ends
    /// if the board holder declined or no advisor is left).
    private func release(_ member: PairingMember, in pairing: Pairing, on db: any Database) async throws {
        let members = try await PairingMember.query(on: db).filter(\.$pairing.$id == pairing.requireID()).all()
        let mentors = members.filter { $0.side == .mentor }
        let endsAll = member.side == .mentee || !mentors.contains { $0.answer != .declined && $0.answer != .expired && $0.id != member.id }
        if endsAll {
            pairing.status = member.answer == .expired ? .expired : .declined
            try await pairing.save(on: db)
            try await PairingSeat.query(on: db).filter(\.$memberID ~~ members.compactMap(\.id)).delete()
        } else {
            try await PairingSeat.query(on: db).filter(\.$memberID == member.requireID()).delete()
        }
    }

    /// Active once every remaining member accepted. One conditional statement, run after the answer is saved,
    /// so two people accepting at the same moment still leave the pairing active.
    func activateIfComplete(_ pairingID: UUID) async throws {
        let sql = try database.requireSQL()
        try await sql.raw("""
            UPDATE \(ident: Pairing.schema) SET status = \(bind: PairingStatus.active.rawValue)
            WHERE id = \(bind: pairingID) AND status = \(bind: PairingStatus.awaitingConsent.rawValue)
            AND NOT EXISTS (SELECT 1 FROM \(ident: PairingMember.schema) m WHERE m.pairing_id = \(bind: pairingID)
                            AND m.answer = \(bind: ConsentAnswer.pending.rawValue))
            AND EXISTS (SELECT 1 FROM \(ident: PairingMember.schema) m WHERE m.pairing_id = \(bind: pairingID)
                        AND m.side = \(bind: MemberSide.mentor.rawValue) AND m.answer = \(bind: ConsentAnswer.accepted.rawValue))
            """).run()
    }

    /// Pairings whose deadline passed with answers missing: those members count as declining.
    func expireOverdue(_ programme: Programme) async throws {
        let overdue = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status == .awaitingConsent).filter(\.$deadline < today.description).all()
        for pairing in overdue {
            try await database.writeTransaction { db in
                let pending = try await PairingMember.query(on: db).filter(\.$pairing.$id == pairing.requireID()).filter(\.$answer == .pending).all()
                for member in pending {
                    member.answer = .expired
                    member.answeredAt = clock.now()
                    try await member.save(on: db)
                    guard let fresh = try await Pairing.find(pairing.id, on: db), fresh.status == .awaitingConsent else { break }
                    try await release(member, in: fresh, on: db)
                }
            }
            try await activateIfComplete(pairing.requireID())
        }
    }

    /// A member's answer as someone else sees it. The one rule for reasons: a decline's reason is private to the
    /// person and the coordinator; partners never see it, on a page or in the API.
    struct MemberAnswer: Sendable {
        var personID: UUID
        var name: String
        var side: MemberSide
        var answer: ConsentAnswer
        var reason: String?
        var answeredAt: Date?

        enum Viewer { case coordinator, partner }

        /// `member` with its person loaded.
        init(_ member: PairingMember, for viewer: Viewer) {
            personID = member.$person.id
            name = member.person.name
            side = member.side
            answer = member.answer
            reason = viewer == .coordinator ? member.reason : nil
            answeredAt = member.answeredAt
        }
    }

    /// A programme's pairings, oldest first, members and their people loaded: the coordinator's consent view.
    func pairings(of programme: Programme) async throws -> [Pairing] {
        try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID()).with(\.$members) { $0.with(\.$person) }
            .sort(\.$createdAt).all()
    }

    /// Someone's latest proposal or pairing, as they see it: their own membership and their partners' answers.
    struct Match: Sendable {
        var pairing: Pairing
        var me: PairingMember
        var partners: [MemberAnswer]
    }

    func match(of application: ProgrammeApplication) async throws -> Match {
        guard let me = try await currentMember(of: application) else {
            throw Problem(.notFound, "No proposal has been published for you yet.")
        }
        let pairing = try await Pairing.require(me.$pairing.id, on: database, "This pairing no longer exists.")
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id == me.$pairing.id).with(\.$person).all()
        return Match(pairing: pairing, me: me, partners: members.filter { $0.side != me.side }.map { MemberAnswer($0, for: .partner) })
    }

    /// The application's latest pairing membership (its proposal, or the pairing it is in), if any.
    func currentMember(of application: ProgrammeApplication) async throws -> PairingMember? {
        let members = try await PairingMember.query(on: database).filter(\.$application.$id == application.requireID()).with(\.$pairing).all()
        return members.max { ($0.pairing.createdAt ?? .distantPast) < ($1.pairing.createdAt ?? .distantPast) }
    }

    /// How long a person is left alone after a reminder.
    static let nudgeInterval: TimeInterval = 24 * 3600

    /// Reminds everyone who has not answered yet, except those reminded within the last day. Returns how many
    /// were reminded; when everyone waiting was reminded recently, nobody is, and the refusal says until when.
    @discardableResult
    func nudge(_ programme: Programme, linkBase: String) async throws -> Int {
        let now = clock.now()
        let pairings = try await Pairing.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status == .awaitingConsent).with(\.$members) { $0.with(\.$person) }.all()
        let pending = pairings.flatMap { pairing in pairing.members.filter { $0.answer == .pending }.map { (pairing, $0) } }
        let due = pending.filter { _, member in member.nudgedAt.map { now.timeIntervalSince($0) >= Self.nudgeInterval } ?? true }
        if due.isEmpty, let soonest = pending.compactMap({ $0.1.nudgedAt }).min() {
            let again = soonest.addingTimeInterval(Self.nudgeInterval)
            throw Problem(.conflict, "Everyone waiting was reminded within the last day. Nudge again after \(Self.utcMinute(again)) UTC.")
        }
        var count = 0
        let link = linkBase + WebRoute.myMatch.link(try programme.requireID())
        for (pairing, member) in due {
            // The reminder and the record that it went out, together or not at all.
            try await database.writeTransaction { db in
                try await Mail.nudge(to: member.person, programme: programme, deadline: pairing.deadline, link: link).create(on: db)
                member.nudgedAt = now
                try await member.save(on: db)
            }
            count += 1
        }
        return count
    }

    /// "2026-11-24 09:30": a moment in UTC, for messages.
    static func utcMinute(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

// MARK: Preferences

extension MatchingService {
    /// A participant's private wishes: people they would like to be matched with and would rather not be.
    func setPreferences(_ application: ProgrammeApplication, preferred: [UUID], avoided: [UUID], programme: Programme) async throws {
        guard programme.status == .selecting || programme.status == .matching else {
            throw Problem(.conflict, "Preferences can be set while selection or matching is going on; “\(programme.name)” is \(programme.status.rawValue).")
        }
        let both = Set(preferred).intersection(avoided)
        if !both.isEmpty {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "Someone cannot be both preferred and avoided.")])
        }
        if preferred.contains(application.$person.id) || avoided.contains(application.$person.id) {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "Name other people, not yourself.")])
        }
        let known = Set(try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).all().map { $0.$person.id })
        if let stranger = (preferred + avoided).first(where: { !known.contains($0) }) {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "\(stranger) has not applied to this programme.")])
        }
        application.preferred = Array(Set(preferred)).sorted { $0.uuidString < $1.uuidString }
        application.avoided = Array(Set(avoided)).sorted { $0.uuidString < $1.uuidString }
        try await application.save(on: database)
    }
}
