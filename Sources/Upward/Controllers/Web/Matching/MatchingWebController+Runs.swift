import Fluent
import Matching
import Vapor

/// One run: its review while it works and after, the coordinator's adjustments, and publication.
extension MatchingWebController {
    func findRun(_ req: Request, _ p: Programme) async throws -> MatchingRun {
        try await req.matching.run(req.parameters.get("runID", as: UUID.self), of: p).0
    }

    func review(req: Request) async throws -> Response {
        let p = try await programme(req)
        let run = try await findRun(req, p)
        let id = try p.requireID(), runID = try run.requireID()
        let service = req.matching
        let result = service.result(of: run)
        let names = try await service.applicantNames(in: p)
        let weak = WeakProposals(result)
        let proposals = result.proposals.sorted { $0.score < $1.score }.map { pr in
            RunReviewView.ProposalLine(
                mentee: names[pr.menteeApplication] ?? "?", menteeID: pr.menteeApplication.uuidString,
                mentor: names[pr.mentorApplication] ?? "?", mentorID: pr.mentorApplication.uuidString,
                score: String(format: "%.2f", pr.score), weak: weak.contains(pr.score),
                breakdown: pr.breakdown.sorted { $0.value > $1.value }.map { "\(Criterion(rawValue: $0.key)?.label ?? $0.key) \(String(format: "%.2f", $0.value))" },
                menteeExplanation: pr.menteeExplanation, mentorExplanation: pr.mentorExplanation, note: pr.coordinatorNote,
                pinned: pr.pinned, manual: pr.manual, kept: pr.kept, warnings: pr.warnings)
        }
        // The pickers need only who is on which side, not the engine's profiles (this page re-polls while a run works).
        let sides = MatchingService.sides(try await service.selected(in: p), format: p.format)
        func choices(_ list: [ProgrammeApplication]) throws -> [RunReviewView.PersonChoice] {
            try list.map { RunReviewView.PersonChoice(id: try $0.requireID().uuidString, name: $0.person.name) }.sorted { $0.name < $1.name }
        }
        let unmatchedMentors = result.unmatched.filter { $0.side == .mentor }.count
        let view = RunReviewView(
            p: try ProgrammeSummary(p), number: run.number, running: run.status == .running, failed: run.error,
            progress: Int(run.progress * 100), method: result.method, proposals: proposals,
            unmatched: result.unmatched.sorted { ($0.side ?? .mentee) == .mentee && ($1.side ?? .mentee) == .mentor }.map {
                MatchingMemberLine(name: names[$0.application] ?? "?", side: ($0.side ?? .mentee) == .mentor ? "mentor" : "mentee", answer: "", reason: $0.reason)
            },
            mentees: try choices(sides.mentees), mentors: try choices(sides.mentors),
            published: run.publishedAt != nil, editable: MatchingService.isEditable(run),
            adjustLink: WebRoute.runAdjust.link(id, runID), publishLink: WebRoute.runPublish.link(id, runID),
            rerunLink: WebRoute.matching.link(id), runID: runID.uuidString, matchingLink: WebRoute.matching.link(id),
            stats: ["matched": "\(Int((result.matchedShare * 100).rounded()))%", "total": String(format: "%.2f", result.total),
                    "lowest": result.lowest.map { String(format: "%.2f", $0) } ?? "–", "pairs": String(result.proposals.count),
                    "seconds": run.seconds.map { String(format: "%.2f", $0) } ?? "–",
                    "unmatchedMentors": String(unmatchedMentors)],
            hasUnmatchedMentors: unmatchedMentors > 0,
            notes: result.notes,
            adjustments: result.adjustments.map { "\($0.description) (\($0.by))" },
            computedTotal: result.adjustments.isEmpty ? nil : String(format: "%.2f", service.computedResult(of: run).total))
        return try await req.page("run", title: "Run \(run.number): \(p.name)", view)
    }

    func adjust(req: Request) async throws -> Response {
        let p = try await programme(req)
        let run = try await findRun(req, p)
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.matchingRun.link(try p.requireID(), try run.requireID())
        let service = req.matching
        let mentee = form["mentee"].flatMap(UUID.init(uuidString:)), mentor = form["mentor"].flatMap(UUID.init(uuidString:))
        return try await req.redirecting(to: back, onRefusal: "Not done") {
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
        }
    }

    func publish(req: Request) async throws -> Response {
        let p = try await programme(req)
        let run = try await findRun(req, p)
        let runLink = WebRoute.matchingRun.link(try p.requireID(), try run.requireID())
        if !req.isConfirmed {
            let fresh = req.matching.result(of: run).proposals.filter { !$0.kept }.count
            return try await req.confirmation(ConfirmView(
                heading: "Publish run \(run.number)?",
                message: "\(fresh) proposal\(fresh == 1 ? "" : "s") go\(fresh == 1 ? "es" : "") to the people in \(fresh == 1 ? "it" : "them"), who then accept or decline within \(MatchingService.consentDays) days. A published run cannot be changed; later changes need a new run.",
                action: WebRoute.runPublish.link(try p.requireID(), try run.requireID()),
                confirmLabel: "Publish the proposals", cancelLink: runLink))
        }
        return try await req.redirecting(to: runLink, onRefusal: "Not published") {
            let count = try await req.matching.publish(run, programme: p, by: try req.user().email, linkBase: req.application.upward.publicURL)
            return req.redirect(to: WebRoute.matching.link(try p.requireID()),
                                flash: "Published \(count) proposal\(count == 1 ? "" : "s"): everyone in them now accepts or declines.")
        }
    }
}
