import Fluent
import Matching
import Vapor

/// Matching pages: the coordinator's settings and runs side by side (here), a run's review, adjustments and
/// publication (`+Runs`), a participant's preferences (`+Preferences`), and consent: the answer and the nudge
/// (`+Consent`).
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

    func overview(req: Request) async throws -> Response {
        try await overviewPage(req, programme: programme(req), errors: [], status: .ok)
    }

    func overviewPage(_ req: Request, programme p: Programme, settings override: MatchingSettings? = nil, errors: [String], status: HTTPStatus) async throws -> Response {
        let id = try p.requireID()
        let service = req.matching
        var settings = try await service.currentSettings(for: p)
        if let override { settings = override }
        let runs = try await service.runs(of: p)
        var lines: [MatchingOverviewView.RunLine] = []
        let results = runs.map(service.results)   // each run's results decoded once
        for (k, run) in runs.enumerated() {
            // Runs compare as the engine computed them; the coordinator's adjustments are shown as a revision.
            let (result, current) = (results[k].computed, results[k].current)
            let changed = k + 1 < runs.count && run.status == .done
                ? String(service.pairsChanged(result, since: results[k + 1].computed)) : "–"
            lines.append(MatchingOverviewView.RunLine(
                number: run.number, link: WebRoute.matchingRun.link(id, try run.requireID()),
                when: run.createdAt.map { ISO8601DateFormatter().string(from: $0).replacingOccurrences(of: "T", with: " ").prefix(16).description } ?? "",
                by: run.createdBy, status: run.status.rawValue, running: run.status == .running, progress: Int(run.progress * 100),
                matchedShare: run.status == .done ? "\(Int((result.matchedShare * 100).rounded()))%" : "–",
                total: run.status == .done ? String(format: "%.2f", result.total) : "–",
                lowest: result.lowest.map { String(format: "%.2f", $0) } ?? "–", changed: changed, published: run.publishedAt != nil,
                seconds: run.seconds.map { String(format: "%.2f s", $0) } ?? "",
                revision: current.adjustments.isEmpty ? nil
                    : "Adjusted \(current.adjustments.count) time\(current.adjustments.count == 1 ? "" : "s"): total now \(String(format: "%.2f", current.total))"))
        }
        let pairings = try await service.pairings(of: p).reversed()
        let pairingLines = pairings.map { pairing in
            MatchingOverviewView.PairingLine(
                status: pairing.status.rawValue, statusLabel: pairing.status.label, awaitingConsent: pairing.status == .awaitingConsent,
                deadline: pairing.deadline,
                members: pairing.members.sorted { ($0.side.rawValue, $0.person.name) > ($1.side.rawValue, $1.person.name) }.map {
                    MatchingMemberLine(name: $0.person.name, side: $0.side.rawValue, answer: $0.answer.rawValue, reason: $0.reason)
                })
        }
        let refusal = try await service.runRefusal(p)
        let view = MatchingOverviewView(
            p: try ProgrammeSummary(p), canRun: refusal == nil, runRefusal: refusal,
            runLabel: p.status == .running ? "Re-match the people without a pair" : "Run matching",
            weights: Criterion.allCases.map {
                MatchingOverviewView.WeightField(key: $0.rawValue, label: $0.label.capitalizedFirst, value: Self.number(settings.weights[$0] ?? 0))
            },
            rules: MatchingOverviewView.Rules(settings), board: p.format == .advisoryBoard, runs: lines, pairings: pairingLines,
            counts: MatchingOverviewView.ConsentCounts(pairings.map(\.status)),
            action: WebRoute.matching.link(id), nudgeLink: WebRoute.nudge.link(id), programmeLink: WebRoute.programme.link(id), errors: errors)
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
            if let value = Double(text.replacingOccurrences(of: ",", with: ".")), MatchingService.Limits.weight.contains(value) {
                settings.weights[criterion] = value
            } else {
                errors.append("The weight of \(criterion.label) must be a number from \(Self.number(MatchingService.Limits.weight.lowerBound)) to \(Self.number(MatchingService.Limits.weight.upperBound)); “\(text)” is not.")
            }
        }
        settings.excludeReportingLine = form["excludeReportingLine"] == "on"
        settings.excludeSameManagerPeers = form["excludeSameManagerPeers"] == "on"
        settings.requireDifferentDepartment = form["requireDifferentDepartment"] == "on"
        settings.avoidRepeats = form["avoidRepeats"] == "on"
        settings.stable = form["stable"] == "on"
        for limit in MatchingService.Limits.counts {
            guard let text = form[limit.field]?.trimmed, !text.isEmpty else { continue }
            guard let n = Int(text), limit.range.contains(n) else {
                errors.append("\(limit.label) must be a whole number from \(limit.range.lowerBound) to \(limit.range.upperBound); “\(text)” is not.")
                continue
            }
            settings[keyPath: limit.setting] = n
        }
        return (settings, errors)
    }

    func run(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        let service = req.matching
        var settings = try await service.currentSettings(for: p)
        var pins: [[UUID]] = [], forbidden: [[UUID]] = []
        if let rerun = form["rerun"] {
            // Re-run: the same settings, keeping its pins and forbidden pairs. A run that is not this programme's is
            // said so, never silently replaced by the current settings.
            guard let previous = UUID(uuidString: rerun), let (run, _) = try await service.existingRun(previous, of: p) else {
                return try await overviewPage(req, programme: p, errors: ["The run to start again is not one of this programme's; pick it from the list of runs."],
                                              status: .unprocessableEntity)
            }
            (settings, pins, forbidden) = (MatchingService.settings(of: run, in: p), run.pins, run.forbidden)
        } else {
            let (read, errors) = Self.settings(from: form, base: settings)
            if !errors.isEmpty { return try await overviewPage(req, programme: p, settings: read, errors: errors, status: .unprocessableEntity) }
            settings = read
        }
        do {
            let run = try await service.startRun(p, settings: settings, pins: pins, forbidden: forbidden, by: try req.user().email)
            return req.redirect(to: WebRoute.matchingRun.link(try p.requireID(), try run.requireID()),
                                flash: run.status == .running ? "Run \(run.number) is working; this page follows its progress." : "Run \(run.number) is done.")
        } catch let error as any AbortError {
            // Not a redirect: the settings form comes back with what was typed and the reason.
            return try await overviewPage(req, programme: p, settings: settings, errors: [error.reason], status: error.status)
        }
    }
}
