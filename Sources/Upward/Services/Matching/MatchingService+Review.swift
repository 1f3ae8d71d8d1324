import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

// MARK: Review and adjustments

extension MatchingService {

    /// The run with this id and its programme (and, given `programme`, only a run of it), or a 404.
    func run(_ id: UUID?, of programme: Programme? = nil) async throws -> (MatchingRun, Programme) {
        guard let found = try await existingRun(id, of: programme) else {
            throw Problem(.notFound, "No run of this programme has that id; its matching page (or GET …/runs) lists them.")
        }
        return found
    }

    /// The same, or nil when there is no such run (a database that fails still throws).
    func existingRun(_ id: UUID?, of programme: Programme? = nil) async throws -> (MatchingRun, Programme)? {
        guard let id, let run = try await MatchingRun.find(id, on: database), programme.map({ $0.id == run.$programme.id }) ?? true,
              let owner = try await Programme.find(run.$programme.id, on: database) else { return nil }
        return (run, owner)
    }

    /// The names of a programme's applicants by application id, for a run's review.
    func applicantNames(in programme: Programme) async throws -> [UUID: String] {
        let rows = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).with(\.$person).all()
        return Dictionary(rows.compactMap { a in a.id.map { ($0, a.person.name) } }, uniquingKeysWith: { a, _ in a })
    }

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

    /// A run can be adjusted and published once it is done and until it is published.
    static func isEditable(_ run: MatchingRun) -> Bool { run.status == .done && run.publishedAt == nil }

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
        let pool = try await pool(mentees: [menteeA, menteeB], mentors: [mentorA, mentorB], programme: programme)
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
        let pool = try await pool(mentees: [mentee], mentors: [mentor], programme: programme)
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
