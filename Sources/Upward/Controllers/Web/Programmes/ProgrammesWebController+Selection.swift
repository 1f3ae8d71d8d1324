import Fluent
import Vapor

/// Selection: the ranking by the coordinator's criteria, applying it, and decisions one applicant at a time.
extension ProgrammesWebController {
    /// The ranking chosen on the selection page, carried in its links and forms as `ranked=1&criteria=…&criteria=…`.
    struct RankingChoice: Equatable {
        /// The page's first ranking, before the coordinator has chosen.
        static let defaults: [ApplicationService.Criterion] = [.departmentSpread, .firstTime, .applicationTime]

        var criteria: [ApplicationService.Criterion]

        init(criteria: [ApplicationService.Criterion]) { self.criteria = criteria }

        /// Reads a query string (percent-decoded). Without any criterion and without `ranked=1`, the defaults: a
        /// coordinator who unticks every box gets the ranking by application order, not the defaults again.
        init(query: String?) {
            let items = WebLink.items(of: query)
            let values = items.filter { $0.name == "criteria" }.compactMap(\.value).filter { !$0.isEmpty }
            let ranked = items.contains { $0.name == "ranked" && $0.value == "1" }
            criteria = values.isEmpty && !ranked ? Self.defaults : values.compactMap(ApplicationService.Criterion.init)
        }

        var queryItems: [URLQueryItem] {
            [URLQueryItem(name: "ranked", value: "1")] + criteria.map { URLQueryItem(name: "criteria", value: $0.rawValue) }
        }

        /// `path` with this ranking as its query.
        func link(_ path: String) -> String { WebLink.path(path, query: queryItems) }
    }

    func selection(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let choice = RankingChoice(query: req.url.query)
        let service = req.applications
        var sections: [SelectionView.RoleSection] = []
        let nameOf = try await service.applicantNames(in: p)
        for role in p.format.roles {
            let ranked = try await service.ranking(p, role: role, criteria: choice.criteria)
            let decisions = try await service.decisions(for: ranked.map { try $0.application.requireID() })
            var candidates: [SelectionView.Candidate] = []
            for r in ranked {
                let history = (decisions[try r.application.requireID()] ?? []).map {
                    "\($0.status.rawValue) by \($0.decidedBy)\($0.createdAt.map { " on " + Day($0).description } ?? "")\($0.note.map { " — " + $0 } ?? "")"
                }
                candidates.append(SelectionView.Candidate(
                    rank: r.rank, name: r.person.name, department: r.person.department, level: r.person.level,
                    status: r.application.status.rawValue, statusLabel: r.application.status.label, waitlistPosition: r.application.waitlistPosition,
                    points: String(format: "%.2f", r.points),
                    breakdown: r.breakdown.map { "\($0.0.label): \(String(format: "%.2f", $0.1))" }.joined(separator: "; "),
                    firstTime: r.firstTime, motivation: r.application.motivation, review: r.application.motivationReview.map(String.init),
                    submittedOn: r.application.submittedAt.map { Day($0).description } ?? "",
                    decisionLink: WebRoute.decision.link(id, try r.application.requireID()),
                    decisions: SelectionView.DecisionButton.available(for: r.application.status), history: history,
                    wishes: Self.wishes(r.application, names: nameOf)))
            }
            sections.append(SelectionView.RoleSection(label: role.label(in: p.format), places: service.places(for: role, in: p),
                                                      selected: ranked.filter { $0.application.status == .selected }.count, candidates: candidates))
        }
        let view = SelectionView(
            p: try ProgrammeSummary(p),
            criteria: ApplicationService.Criterion.allCases.map {
                SelectionView.CriterionChoice(value: $0.rawValue, label: $0.label, checked: choice.criteria.contains($0))
            },
            criteriaQuery: WebLink.query(choice.queryItems), sections: sections, selecting: p.status == .selecting,
            applyLink: choice.link(WebRoute.applyRanking.link(id)), selectionLink: WebRoute.selection.link(id),
            programmeLink: WebRoute.programme.link(id))
        return try await req.page("selection", title: "Selection: \(p.name)", view)
    }

    /// "Would like: A; rather not: B", from an applicant's private matching preferences, for the coordinator.
    static func wishes(_ a: ProgrammeApplication, names: [UUID: String]) -> String? {
        var parts: [String] = []
        let liked = a.preferred.compactMap { names[$0] }, avoided = a.avoided.compactMap { names[$0] }
        if !liked.isEmpty { parts.append("would like: " + liked.joined(separator: ", ")) }
        if !avoided.isEmpty { parts.append("rather not: " + avoided.joined(separator: ", ")) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ").capitalizedFirst
    }

    func applyRanking(req: Request) async throws -> Response {
        let p = try await programme(req)
        let choice = RankingChoice(query: req.url.query)
        let back = choice.link(WebRoute.selection.link(try p.requireID()))
        return try await req.redirecting(to: back, onRefusal: "Not done") {
            let result = try await req.applications.applyRanking(p, criteria: choice.criteria, by: try req.user().email)
            return req.redirect(to: back, flash: "Selected \(result.selected) and waitlisted \(result.waitlisted) by the ranking.")
        }
    }

    func decide(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        // Back to the ranking the coordinator was looking at: the `back` field holds its query, read and rebuilt.
        let selection = WebRoute.selection.link(try p.requireID())
        let back = form["back"]?.nilIfEmpty.map { RankingChoice(query: $0).link(selection) } ?? selection
        let a = try await req.applications.application(req.parameters.get("applicationID", as: UUID.self), in: p)
        let service = req.applications
        return try await req.redirecting(to: back, onRefusal: "Not done") {
            if let review = form["review"] {
                try await service.review(a, motivation: Int(review))
                return req.redirect(to: back, flash: review.isEmpty ? "The rating of \(a.person.name) is cleared." : "Motivation of \(a.person.name) rated \(review).")
            }
            guard let status = form["status"].flatMap(ApplicationStatus.init) else {
                return req.redirect(to: back, flash: "Choose select, waitlist or decline.")
            }
            try await service.decide(a, status, by: try req.user().email, note: form["note"])
            return req.redirect(to: back, flash: "\(a.person.name) is \(status.rawValue).")
        }
    }
}
