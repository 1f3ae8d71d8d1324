import Fluent
import Matching
import Vapor

/// Matching pages: the coordinator's runs, review and publication; a participant's preferences and answer.
struct MatchingWebController {
    func register(on routes: any RoutesBuilder) {
        let members = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        members.get(WebRoute.preferences.components, use: preferencesForm)
        members.post(WebRoute.preferences.components, use: savePreferences)
        members.get(WebRoute.myMatch.components, use: myMatch)
        members.post(WebRoute.myMatch.components, use: answer)
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(WebRoute.matching.components, use: overview)
        coordinators.post(WebRoute.matching.components, use: run)
        coordinators.get(WebRoute.matchingRun.components, use: review)
        coordinators.post(WebRoute.runAdjust.components, use: adjust)
        coordinators.post(WebRoute.runPublish.components, use: publish)
        coordinators.post(WebRoute.nudge.components, use: nudge)
    }

    func programme(_ req: Request) async throws -> Programme {
        try await ProgrammesWebController().programme(req)
    }

    // MARK: Overview: settings, runs side by side, consent at a glance

    struct WeightField: Encodable {
        var key: String
        var label: String
        var value: String
    }

    struct RunLine: Encodable {
        var number: Int
        var link: String
        var when: String
        var by: String
        var status: String
        var progress: Int
        var matchedShare: String
        var total: String
        var lowest: String
        var changed: String
        var published: Bool
        var seconds: String
        /// "Adjusted 3 times: total now 24.10", when the coordinator changed the engine's result.
        var revision: String?
    }

    struct MemberLine: Encodable {
        var name: String
        var side: String
        var answer: String
        var reason: String?
    }

    struct PairingLine: Encodable {
        var status: String
        var statusLabel: String
        var deadline: String
        var members: [MemberLine]
    }

    struct OverviewView: Encodable {
        var p: ProgrammesWebController.Summary
        var canRun: Bool
        var runRefusal: String?
        var runLabel: String
        var weights: [WeightField]
        var rules: [String: String]
        var board: Bool
        var runs: [RunLine]
        var pairings: [PairingLine]
        var counts: [String: Int]
        var action: String
        var nudgeLink: String
        var programmeLink: String
        var errors: [String]
    }

    func overview(req: Request) async throws -> Response {
        try await overviewPage(req, programme: programme(req), errors: [], status: .ok)
    }

    func overviewPage(_ req: Request, programme p: Programme, settings override: MatchingSettings? = nil, errors: [String], status: HTTPStatus) async throws -> Response {
        let service = MatchingService(database: req.db)
        try await service.expireOverdue(p)
        var settings = try await service.currentSettings(for: p)
        if let override { settings = override }
        let runs = try await service.runs(of: p)
        var lines: [RunLine] = []
        for (k, run) in runs.enumerated() {
            // Runs compare as the engine computed them; the coordinator's adjustments are shown as a revision.
            let result = service.computedResult(of: run)
            let current = service.result(of: run)
            let changed = k + 1 < runs.count && run.status == .done
                ? String(service.pairsChanged(result, since: service.computedResult(of: runs[k + 1]))) : "–"
            lines.append(RunLine(
                number: run.number, link: WebRoute.matchingRun.link(p.id!, run.id!),
                when: run.createdAt.map { ISO8601DateFormatter().string(from: $0).replacingOccurrences(of: "T", with: " ").prefix(16).description } ?? "",
                by: run.createdBy, status: run.status.rawValue, progress: Int(run.progress * 100),
                matchedShare: run.status == .done ? "\(Int((result.matchedShare * 100).rounded()))%" : "–",
                total: run.status == .done ? String(format: "%.2f", result.total) : "–",
                lowest: result.lowest.map { String(format: "%.2f", $0) } ?? "–", changed: changed, published: run.publishedAt != nil,
                seconds: run.seconds.map { String(format: "%.2f s", $0) } ?? "",
                revision: current.adjustments.isEmpty ? nil
                    : "Adjusted \(current.adjustments.count) time\(current.adjustments.count == 1 ? "" : "s"): total now \(String(format: "%.2f", current.total))"))
        }
        let pairings = try await Pairing.query(on: req.db).filter(\.$programme.$id == p.requireID())
            .with(\.$members) { $0.with(\.$person) }.sort(\.$createdAt, .descending).all()
        let pairingLines = pairings.map { pairing in
            PairingLine(status: pairing.status.rawValue, statusLabel: pairing.status.label, deadline: pairing.deadline,
                        members: pairing.members.sorted { ($0.side.rawValue, $0.person.name) > ($1.side.rawValue, $1.person.name) }.map {
                            MemberLine(name: $0.person.name, side: $0.side.rawValue, answer: $0.answer.rawValue, reason: $0.reason)
                        })
        }
        var counts: [String: Int] = [:]
        for pairing in pairings { counts[pairing.status.rawValue, default: 0] += 1 }
        let rules: [String: String] = [
            "excludeReportingLine": settings.excludeReportingLine ? "on" : "", "excludeSameManagerPeers": settings.excludeSameManagerPeers ? "on" : "",
            "requireDifferentDepartment": settings.requireDifferentDepartment ? "on" : "", "avoidRepeats": settings.avoidRepeats ? "on" : "",
            "stable": settings.stable ? "on" : "", "minimumLevelGap": String(settings.minimumLevelGap),
            "mentorCapacity": String(settings.mentorCapacity), "boardSize": String(settings.boardSize),
        ]
        let refusal = try await service.runRefusal(p)
        let view = OverviewView(
            p: ProgrammesWebController.summary(p), canRun: refusal == nil, runRefusal: refusal,
            runLabel: p.status == .running ? "Re-match the people without a pair" : "Run matching",
            weights: Criterion.allCases.map { WeightField(key: $0.rawValue, label: $0.label.capitalizedFirst, value: Self.number(settings.weights[$0] ?? 0)) },
            rules: rules, board: p.format == .advisoryBoard, runs: lines, pairings: pairingLines, counts: counts,
            action: WebRoute.matching.link(p.id!), nudgeLink: WebRoute.nudge.link(p.id!), programmeLink: WebRoute.programme.link(p.id!), errors: errors)
        return try await req.page("matching", title: "Matching: \(p.name)", view, status: status)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Reads the settings form; problems come back as messages.
    static func settings(from form: [String: String], base: MatchingSettings) -> (MatchingSettings, [String]) {
        var settings = base
        var errors: [String] = []
        for criterion in Criterion.allCases {
            let text = (form["weight_\(criterion.rawValue)"] ?? "").trimmed
            guard !text.isEmpty else { continue }
            if let value = Double(text.replacingOccurrences(of: ",", with: ".")), (0...10).contains(value) {
                settings.weights[criterion] = value
            } else {
                errors.append("The weight of \(criterion.label) must be a number from 0 to 10; “\(text)” is not.")
            }
        }
        settings.excludeReportingLine = form["excludeReportingLine"] == "on"
        settings.excludeSameManagerPeers = form["excludeSameManagerPeers"] == "on"
        settings.requireDifferentDepartment = form["requireDifferentDepartment"] == "on"
        settings.avoidRepeats = form["avoidRepeats"] == "on"
        settings.stable = form["stable"] == "on"
        for (key, label, range) in [("minimumLevelGap", "The minimum level gap", 0...10), ("mentorCapacity", "Mentees per mentor", 1...10), ("boardSize", "Board size", 1...8)] {
            guard let text = form[key]?.trimmed, !text.isEmpty else { continue }
            guard let n = Int(text), range.contains(n) else {
                errors.append("\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound); “\(text)” is not.")
                continue
            }
            switch key {
            case "minimumLevelGap": settings.minimumLevelGap = n
            case "mentorCapacity": settings.mentorCapacity = n
            default: settings.boardSize = n
            }
        }
        return (settings, errors)
    }

    func run(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        let service = MatchingService(database: req.db)
        var settings = try await service.currentSettings(for: p)
        var pins: [[UUID]] = [], forbidden: [[UUID]] = []
        if let previous = form["rerun"].flatMap(UUID.init(uuidString:)), let run = try await MatchingRun.find(previous, on: req.db),
           run.$programme.id == p.id {
            // Re-run: the same settings, keeping its pins and forbidden pairs.
            settings = JSONText.decode(MatchingSettings.self, run.settingsJSON, default: settings)
            pins = JSONText.decode([[UUID]].self, run.pinsJSON)
            forbidden = JSONText.decode([[UUID]].self, run.forbiddenJSON)
        } else {
            let (read, errors) = Self.settings(from: form, base: settings)
            if !errors.isEmpty { return try await overviewPage(req, programme: p, settings: read, errors: errors, status: .unprocessableEntity) }
            settings = read
        }
        do {
            let run = try await service.startRun(p, settings: settings, pins: pins, forbidden: forbidden, by: try req.user().email)
            return req.redirect(to: WebRoute.matchingRun.link(p.id!, run.id!),
                                flash: run.status == .running ? "Run \(run.number) is working; this page follows its progress." : "Run \(run.number) is done.")
        } catch let error as any AbortError {
            return try await overviewPage(req, programme: p, settings: settings, errors: [error.reason], status: error.status)
        }
    }

    // MARK: Review

    struct ProposalLine: Encodable {
        var mentee: String
        var menteeID: String
        var mentor: String
        var mentorID: String
        var score: String
        var weak: Bool
        var breakdown: [String]
        var menteeExplanation: String
        var mentorExplanation: String
        var note: String
        var pinned: Bool
        var manual: Bool
        var kept: Bool
        var warnings: [String]
    }

    struct PersonChoice: Encodable {
        var id: String
        var name: String
    }

    struct ReviewView: Encodable {
        var p: ProgrammesWebController.Summary
        var number: Int
        var running: Bool
        var failed: String?
        var progress: Int
        var method: String
        var proposals: [ProposalLine]
        var unmatched: [MemberLine]
        var mentees: [PersonChoice]
        var mentors: [PersonChoice]
        var published: Bool
        var editable: Bool
        var adjustLink: String
        var publishLink: String
        var rerunLink: String
        var runID: String
        var matchingLink: String
        var stats: [String: String]
        /// What a re-run could not carry over, and the coordinator's changes since the engine's result.
        var notes: [String]
        var adjustments: [String]
        var computedTotal: String?
    }

    func findRun(_ req: Request, _ p: Programme) async throws -> MatchingRun {
        guard let id = req.parameters.get("runID", as: UUID.self), let run = try await MatchingRun.find(id, on: req.db), run.$programme.id == p.id else {
            throw Abort(.notFound, reason: "That run is not part of this programme. Open Matching to see its runs.")
        }
        return run
    }

    func review(req: Request) async throws -> Response {
        let p = try await programme(req)
        let run = try await findRun(req, p)
        let service = MatchingService(database: req.db)
        let result = service.result(of: run)
        let applications = try await ProgrammeApplication.query(on: req.db).filter(\.$programme.$id == p.requireID()).with(\.$person).all()
        let names = Dictionary(applications.map { ($0.id!, $0.person.name) }, uniquingKeysWith: { a, _ in a })
        // Weak: in the lowest tenth of scores, or under half the median.
        let scores = result.proposals.map(\.score).sorted()
        let median = scores.isEmpty ? 0 : scores[scores.count / 2]
        let tenth = scores.isEmpty ? 0 : scores[max(0, scores.count / 10 - 1)]
        let proposals = result.proposals.sorted { $0.score < $1.score }.map { pr in
            ProposalLine(
                mentee: names[pr.menteeApplication] ?? "?", menteeID: pr.menteeApplication.uuidString,
                mentor: names[pr.mentorApplication] ?? "?", mentorID: pr.mentorApplication.uuidString,
                score: String(format: "%.2f", pr.score), weak: scores.count > 1 && (pr.score <= tenth || pr.score < median / 2),
                breakdown: pr.breakdown.sorted { $0.value > $1.value }.map { "\(Criterion(rawValue: $0.key)?.label ?? $0.key) \(String(format: "%.2f", $0.value))" },
                menteeExplanation: pr.menteeExplanation, mentorExplanation: pr.mentorExplanation, note: pr.coordinatorNote,
                pinned: pr.pinned, manual: pr.manual, kept: pr.kept, warnings: pr.warnings)
        }
        // The pickers need only who is on which side, not the engine's profiles (this page re-polls while a run works).
        let sides = MatchingService.sides(applications.filter { $0.status == .selected }, format: p.format)
        func choices(_ list: [ProgrammeApplication]) -> [PersonChoice] {
            list.map { PersonChoice(id: $0.id!.uuidString, name: $0.person.name) }.sorted { $0.name < $1.name }
        }
        let view = ReviewView(
            p: ProgrammesWebController.summary(p), number: run.number, running: run.status == .running, failed: run.error,
            progress: Int(run.progress * 100), method: result.method, proposals: proposals,
            unmatched: result.unmatched.sorted { ($0.side ?? .mentee) == .mentee && ($1.side ?? .mentee) == .mentor }.map {
                MemberLine(name: names[$0.application] ?? "?", side: ($0.side ?? .mentee) == .mentor ? "mentor" : "mentee", answer: "", reason: $0.reason)
            },
            mentees: choices(sides.mentees), mentors: choices(sides.mentors),
            published: run.publishedAt != nil, editable: run.status == .done && run.publishedAt == nil,
            adjustLink: WebRoute.runAdjust.link(p.id!, run.id!), publishLink: WebRoute.runPublish.link(p.id!, run.id!),
            rerunLink: WebRoute.matching.link(p.id!), runID: run.id!.uuidString, matchingLink: WebRoute.matching.link(p.id!),
            stats: ["matched": "\(Int((result.matchedShare * 100).rounded()))%", "total": String(format: "%.2f", result.total),
                    "lowest": result.lowest.map { String(format: "%.2f", $0) } ?? "–", "pairs": String(result.proposals.count),
                    "seconds": run.seconds.map { String(format: "%.2f", $0) } ?? "–",
                    "unmatchedMentors": String(result.unmatched.filter { $0.side == .mentor }.count)],
            notes: result.notes,
            adjustments: result.adjustments.map { "\($0.description) (\($0.by))" },
            computedTotal: result.adjustments.isEmpty ? nil : String(format: "%.2f", service.computedResult(of: run).total))
        return try await req.page("run", title: "Run \(run.number): \(p.name)", view)
    }

    func adjust(req: Request) async throws -> Response {
        let p = try await programme(req)
        let run = try await findRun(req, p)
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.matchingRun.link(p.id!, run.id!)
        let service = MatchingService(database: req.db)
        let mentee = form["mentee"].flatMap(UUID.init(uuidString:)), mentor = form["mentor"].flatMap(UUID.init(uuidString:))
        do {
            switch form["action"] {
            case "pin":
                guard let mentee, let mentor else { return req.redirect(to: back, flash: "Pick a pair.") }
                try await service.pin(run, mentee: mentee, mentor: mentor, by: try req.user().email)
                return req.redirect(to: back, flash: "Pin changed: pinned pairs stay in every re-run.")
            case "forbid":
                guard let mentee, let mentor else { return req.redirect(to: back, flash: "Pick a pair.") }
                try await service.forbid(run, mentee: mentee, mentor: mentor, by: try req.user().email)
                return req.redirect(to: back, flash: "That pair is ruled out; re-run to find them other partners.")
            case "swap":
                guard let a = form["menteeA"].flatMap(UUID.init(uuidString:)), let b = form["menteeB"].flatMap(UUID.init(uuidString:)) else {
                    return req.redirect(to: back, flash: "Pick two mentees to swap.")
                }
                let warnings = try await service.swap(run, menteeA: a, menteeB: b, programme: p, by: try req.user().email)
                return req.redirect(to: back, flash: warnings.isEmpty ? "Swapped their partners; both new pairs are pinned."
                                    : "Swapped their partners, but the new pairs break rules: " + warnings.joined(separator: " "))
            case "pair":
                guard let mentee, let mentor else { return req.redirect(to: back, flash: "Pick a mentee and a mentor to pair.") }
                do {
                    let warnings = try await service.manualPair(run, mentee: mentee, mentor: mentor, programme: p, confirmed: req.isConfirmed,
                                                                by: try req.user().email)
                    return req.redirect(to: back, flash: warnings.isEmpty ? "Paired by hand." : "Paired by hand. Warning: " + warnings.joined(separator: " "))
                } catch let needed as MatchingService.NeedsConfirmation {
                    return try await req.confirmation(ConfirmView(
                        heading: "Pair \(needed.pair) anyway?", message: "This pair breaks what the run was made to respect:",
                        details: needed.breaks.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." },
                        action: WebRoute.runAdjust.link(try p.requireID(), try run.requireID()),
                        fields: [.init(name: "action", value: "pair"), .init(name: "mentee", value: mentee.uuidString), .init(name: "mentor", value: mentor.uuidString)],
                        confirmLabel: "Pair them anyway", cancelLink: back, destructive: true))
                }
            default:
                return req.redirect(to: back, flash: "Choose pin, forbid, swap or pair.")
            }
        } catch let error as any AbortError {
            return req.redirect(to: back, flash: "Not done: \(error.reason)")
        }
    }

    func publish(req: Request) async throws -> Response {
        let p = try await programme(req)
        let run = try await findRun(req, p)
        if !req.isConfirmed {
            let fresh = MatchingService(database: req.db).result(of: run).proposals.filter { !$0.kept }.count
            return try await req.confirmation(ConfirmView(
                heading: "Publish run \(run.number)?",
                message: "\(fresh) proposal\(fresh == 1 ? "" : "s") go\(fresh == 1 ? "es" : "") to the people in \(fresh == 1 ? "it" : "them"), who then accept or decline within \(MatchingService.consentDays) days. A published run cannot be changed; later changes need a new run.",
                action: WebRoute.runPublish.link(try p.requireID(), try run.requireID()),
                confirmLabel: "Publish the proposals", cancelLink: WebRoute.matchingRun.link(try p.requireID(), try run.requireID())))
        }
        do {
            let count = try await MatchingService(database: req.db).publish(run, programme: p, by: try req.user().email, linkBase: req.application.upward.publicURL)
            return req.redirect(to: WebRoute.matching.link(p.id!), flash: "Published \(count) proposal\(count == 1 ? "" : "s"): everyone in them now accepts or declines.")
        } catch let error as any AbortError {
            return req.redirect(to: WebRoute.matchingRun.link(p.id!, run.id!), flash: "Not published: \(error.reason)")
        }
    }

    func nudge(req: Request) async throws -> Response {
        let p = try await programme(req)
        let count: Int
        do {
            count = try await MatchingService(database: req.db, clock: req.clock).nudge(p, linkBase: req.application.upward.publicURL)
        } catch let error as any AbortError {
            return req.redirect(to: WebRoute.matching.link(try p.requireID()), flash: "Not sent: \(error.reason)")
        }
        return req.redirect(to: WebRoute.matching.link(p.id!), flash: count == 0 ? "Nobody is waiting to answer." : "Reminded \(count) \(count == 1 ? "person" : "people") (see the outbox).")
    }

    // MARK: Participants

    struct Choice: Encodable {
        var id: String
        var name: String
        var detail: String
        var preferred: Bool
        var avoided: Bool
    }

    struct PreferencesView: Encodable {
        var p: ProgrammesWebController.Summary
        var choices: [Choice]
        var action: String
        var programmeLink: String
        var open: Bool
    }

    func mine(_ req: Request, _ p: Programme) async throws -> (Person, ProgrammeApplication) {
        let service = ApplicationService(database: req.db)
        let me = try await service.applicant(try req.user())
        return (me, try await service.selectedApplication(of: me, in: p))
    }

    func preferencesForm(req: Request) async throws -> Response {
        let p = try await programme(req)
        let (_, mine) = try await mine(req, p)
        let others = try await ProgrammeApplication.query(on: req.db).filter(\.$programme.$id == p.requireID())
            .filter(\.$status == .selected).filter(\.$id != mine.requireID()).with(\.$person).all()
            .filter { p.format == .twoWay || ($0.role.mentors != mine.role.mentors) || $0.role == .both }
        let view = PreferencesView(
            p: ProgrammesWebController.summary(p),
            choices: others.sorted { $0.person.name < $1.person.name }.map {
                Choice(id: $0.person.id!.uuidString, name: $0.person.name, detail: "\($0.person.department), level \($0.person.level)",
                       preferred: mine.preferred.contains($0.person.id!), avoided: mine.avoided.contains($0.person.id!))
            },
            action: WebRoute.preferences.link(p.id!), programmeLink: WebRoute.programme.link(p.id!),
            open: p.status == .selecting || p.status == .matching)
        return try await req.page("preferences", title: "Matching preferences: \(p.name)", view)
    }

    func savePreferences(req: Request) async throws -> Response {
        let p = try await programme(req)
        let (_, mine) = try await mine(req, p)
        let form = try req.content.decode([String: String].self)
        var preferred: [UUID] = [], avoided: [UUID] = []
        for (key, value) in form where key.hasPrefix("choice_") {
            guard let id = UUID(uuidString: String(key.dropFirst(7))) else { continue }
            if value == "prefer" { preferred.append(id) } else if value == "avoid" { avoided.append(id) }
        }
        try await MatchingService(database: req.db).setPreferences(mine, preferred: preferred, avoided: avoided, programme: p)
        return req.redirect(to: WebRoute.programme.link(p.id!), flash: "Your matching preferences are saved. Only you and the coordinator see them.")
    }

    struct PartnerLine: Encodable {
        var name: String
        var detail: String
        var answer: String
    }

    struct MatchView: Encodable {
        var p: ProgrammesWebController.Summary
        var has: Bool
        var status: String?
        var statusLabel: String?
        var deadline: String?
        var explanation: String?
        var partners: [PartnerLine]
        var myAnswer: String?
        var myReason: String?
        var canAnswer: Bool
        var action: String
        var programmeLink: String
    }

    func current(_ req: Request, _ p: Programme, _ application: ProgrammeApplication) async throws -> (Pairing, PairingMember)? {
        try await MatchingService(database: req.db).currentMember(of: application).map { ($0.pairing, $0) }
    }

    func myMatch(req: Request) async throws -> Response {
        let p = try await programme(req)
        let (_, mine) = try await mine(req, p)
        try await MatchingService(database: req.db).expireOverdue(p)
        var view = MatchView(p: ProgrammesWebController.summary(p), has: false, partners: [], canAnswer: false,
                             action: WebRoute.myMatch.link(p.id!), programmeLink: WebRoute.programme.link(p.id!))
        if let (pairing, me) = try await current(req, p, mine) {
            let members = try await PairingMember.query(on: req.db).filter(\.$pairing.$id == pairing.requireID()).with(\.$person).all()
            view.has = true
            view.status = pairing.status.rawValue
            view.statusLabel = pairing.status.label
            view.deadline = pairing.deadline
            view.explanation = me.explanation
            // Participants see their partners' names and answers, never their reasons.
            view.partners = members.filter { $0.side != me.side }.map {
                PartnerLine(name: $0.person.name, detail: "\($0.person.title ?? $0.person.department)", answer: $0.answer.rawValue)
            }
            view.myAnswer = me.answer.rawValue
            view.myReason = me.reason
            view.canAnswer = pairing.status == .awaitingConsent && me.answer == .pending
        }
        return try await req.page("my-match", title: "Your match: \(p.name)", view)
    }

    func answer(req: Request) async throws -> Response {
        let p = try await programme(req)
        let (_, mine) = try await mine(req, p)
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.myMatch.link(p.id!)
        guard let (_, me) = try await current(req, p, mine) else { return req.redirect(to: back, flash: "You have no proposal to answer yet.") }
        guard let choice = form["answer"], choice == "accept" || choice == "decline" else {
            return req.redirect(to: back, flash: "Choose accept or decline.")
        }
        if choice == "decline" && !req.isConfirmed {
            return try await req.confirmation(ConfirmView(
                heading: "Decline this match?", message: "You will not be proposed together again. Your reason, if you give one, goes to the coordinator only; your partner never sees it.",
                action: WebRoute.myMatch.link(try p.requireID()),
                fields: [.init(name: "answer", value: "decline"), .init(name: "reason", value: form["reason"] ?? "")],
                confirmLabel: "Decline the match", cancelLink: back, destructive: true))
        }
        do {
            try await MatchingService(database: req.db).respond(me, accept: choice == "accept", reason: form["reason"])
            let active = try await Pairing.find(me.$pairing.id, on: req.db)?.status == .active
            return req.redirect(to: back, flash: choice == "decline" ? "You declined. Thank you for saying so; you will not be proposed together again."
                                : active ? "Everyone accepted: your pairing is active." : "You accepted. The pairing starts once everyone in it has.")
        } catch let error as any AbortError {
            return req.redirect(to: back, flash: "Not saved: \(error.reason)")
        }
    }
}
