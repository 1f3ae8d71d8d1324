import Fluent
import Vapor

/// Programme pages: the list, design (new/edit), the publicity page with the coordinator's actions. Applying,
/// invitations, selection and balance are in the `+Apply`, `+Invitations`, `+Selection` and `+Balance` files.
struct ProgrammesWebController {
    func register(on routes: any RoutesBuilder) {
        let members = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        members.get(WebRoute.programmes.components, use: list)
        members.get(WebRoute.programme.components, use: show)
        members.get(WebRoute.apply.components, use: applyForm)
        members.post(WebRoute.apply.components, use: apply)
        members.post(WebRoute.withdraw.components, use: withdraw)
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(WebRoute.newProgramme.components, use: newForm)
        coordinators.post(WebRoute.newProgramme.components, use: create)
        coordinators.get(WebRoute.editProgramme.components, use: editForm)
        coordinators.post(WebRoute.editProgramme.components, use: update)
        coordinators.post(WebRoute.programmeAction.components, use: act)
        coordinators.post(WebRoute.runAgain.components, use: runAgain)
        coordinators.get(WebRoute.invitations.components, use: invitations)
        coordinators.post(WebRoute.invitations.components, use: invite)
        coordinators.get(WebRoute.selection.components, use: selection)
        coordinators.post(WebRoute.applyRanking.components, use: applyRanking)
        coordinators.post(WebRoute.decision.components, use: decide)
        coordinators.get(WebRoute.balance.components, use: balance)
    }

    // MARK: Shared pieces

    /// The programme named in the path; a draft is not found for participants and sponsors.
    func programme(_ req: Request) async throws -> Programme {
        try await req.programmes.find(req.parameters.get("programmeID", as: UUID.self), for: req.user().role)
    }

    func person(_ req: Request) async throws -> Person? {
        try await req.people.person(of: req.user())
    }

    func isCoordinator(_ req: Request) throws -> Bool { try [.admin, .coordinator].contains(req.user().role) }

    // MARK: List

    func list(req: Request) async throws -> Response {
        let all = try await req.programmes.all(for: req.user().role)
        let coordinator = try isCoordinator(req)
        let counts = coordinator ? try await req.applications.activeCounts() : [:]
        var mine: [ProgrammeListView.MyApplication] = []
        if let me = try await person(req) {
            let applications = try await req.applications.applications(of: me)
            // Where the person stands in each, as on their home page: the same sentence and the one next step.
            let standing = Dictionary(grouping: try await req.pairingSpace.participantStatus(of: me.requireID(), applications: applications),
                                      by: \.programmeID)
            mine = try applications.map {
                let lines = (standing[try $0.programme.requireID()] ?? []).map(StandingLine.init)
                return ProgrammeListView.MyApplication(programme: try ProgrammeSummary($0.programme), status: $0.status.rawValue,
                                                       statusLabel: $0.status.label, standing: lines, namesPartners: lines.count > 1)
            }
        }
        let view = ProgrammeListView(
            coordinator: coordinator,
            programmes: coordinator ? try all.map { try ProgrammeSummary($0, applied: counts[try $0.requireID()] ?? 0) } : [],
            open: try all.filter { $0.status == .enrolling }.map { try ProgrammeSummary($0) }, mine: mine)
        return try await req.page("programmes", title: "Programmes", view)
    }

    // MARK: Design

    /// The form's fields as text, from a programme's settings.
    static func fields(_ input: ProgrammeInput) -> [String: String] {
        func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
        let schedule = input.checkInSchedule ?? .defaults
        var health = Dictionary(uniqueKeysWithValues: ProgrammeInput.healthSettings(schedule, input.healthThresholds ?? .defaults)
            .map { ($0.field, String($0.value)) })
        health["checkInSchedule.fitCheck"] = schedule.fitCheck ? "on" : ""
        return health.merging([
            "name": input.name, "objective": input.objective.rawValue, "objectiveText": input.objectiveText ?? "",
            "format": input.format.rawValue, "boardSize": text(input.boardSize),
            "mixTraditional": text(input.boardMix["traditional"]), "mixReverse": text(input.boardMix["reverse"]), "mixPeer": text(input.boardMix["peer"]),
            "topics": input.topics.joined(separator: "\n"), "cadenceWeeks": String(input.cadenceWeeks),
            "sessionMinutes": String(input.sessionMinutes), "sessionCount": String(input.sessionCount),
            "enrolmentOpens": input.enrolmentOpens ?? "", "enrolmentCloses": input.enrolmentCloses ?? "",
            "startsOn": input.startsOn ?? "", "endsOn": input.endsOn ?? "", "capacity": String(input.capacity),
            "mentorMinLevel": text(input.mentorEligibility.minLevel), "mentorMaxLevel": text(input.mentorEligibility.maxLevel),
            "mentorTenure": text(input.mentorEligibility.minTenureMonths),
            "menteeMinLevel": text(input.menteeEligibility.minLevel), "menteeMaxLevel": text(input.menteeEligibility.maxLevel),
            "menteeTenure": text(input.menteeEligibility.minTenureMonths), "minLevelGap": String(input.minLevelGap),
            "confidentiality": input.groundRules.confidentiality, "psychologicalSafety": input.groundRules.psychologicalSafety,
            "channel": input.groundRules.channel, "cadence": input.groundRules.cadence,
            "starters": input.conversationStarters.joined(separator: "\n"), "resources": input.resources.joined(separator: "\n"),
            "brief": input.brief ?? "",
        ]) { _, new in new }
    }

    /// Reads the design form; numbers that are not numbers become field messages alongside the input's own checks.
    static func input(from form: [String: String]) -> (ProgrammeInput, [FieldIssue]) {
        var issues: [FieldIssue] = []
        func value(_ key: String) -> String { (form[key] ?? "").trimmed }
        func number(_ key: String, _ label: String, field: String? = nil) -> Int? {
            let text = value(key)
            if text.isEmpty { return nil }
            guard let n = Int(text) else {
                issues.append(FieldIssue(field: field ?? key, message: "\(label) must be a whole number; “\(text)” is not."))
                return nil
            }
            return n
        }
        func lines(_ key: String) -> [String] { value(key).split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty } }
        let format = ProgrammeFormat(rawValue: value("format")) ?? .reverse
        var input = ProgrammeInput.defaults(for: format)
        input.name = value("name")
        input.objective = ProgrammeObjective(rawValue: value("objective")) ?? .technology
        input.objectiveText = value("objectiveText").nilIfEmpty
        input.boardSize = number("boardSize", "Board size")
        var mix: [String: Int] = [:]
        for (key, kind) in [("mixTraditional", "traditional"), ("mixReverse", "reverse"), ("mixPeer", "peer")] {
            if let n = number(key, "The number of \(kind) advisors", field: "boardMix") { mix[kind] = n }
        }
        input.boardMix = mix
        input.topics = lines("topics")
        input.cadenceWeeks = number("cadenceWeeks", "Cadence (weeks)") ?? 0
        input.sessionMinutes = number("sessionMinutes", "Session length") ?? 0
        input.sessionCount = number("sessionCount", "Number of sessions") ?? 0
        input.enrolmentOpens = value("enrolmentOpens").nilIfEmpty
        input.enrolmentCloses = value("enrolmentCloses").nilIfEmpty
        input.startsOn = value("startsOn").nilIfEmpty
        input.endsOn = value("endsOn").nilIfEmpty
        input.capacity = number("capacity", "Capacity") ?? 0
        input.mentorEligibility = Eligibility(minLevel: number("mentorMinLevel", "Lowest mentor level", field: "mentorEligibility"),
                                              maxLevel: number("mentorMaxLevel", "Highest mentor level", field: "mentorEligibility"),
                                              minTenureMonths: number("mentorTenure", "Mentor tenure", field: "mentorEligibility"))
        input.menteeEligibility = Eligibility(minLevel: number("menteeMinLevel", "Lowest mentee level", field: "menteeEligibility"),
                                              maxLevel: number("menteeMaxLevel", "Highest mentee level", field: "menteeEligibility"),
                                              minTenureMonths: number("menteeTenure", "Mentee tenure", field: "menteeEligibility"))
        input.minLevelGap = number("minLevelGap", "Minimum level gap") ?? 0
        input.groundRules = GroundRules(confidentiality: value("confidentiality"), psychologicalSafety: value("psychologicalSafety"),
                                        channel: value("channel"), cadence: value("cadence"))
        input.conversationStarters = lines("starters")
        input.resources = lines("resources")
        input.brief = value("brief").nilIfEmpty
        // Check-ins and health thresholds: a field left empty keeps its default.
        var schedule = CheckInSchedule(), thresholds = HealthThresholds()
        let numbers: [(String, WritableKeyPath<CheckInSchedule, Int>?, WritableKeyPath<HealthThresholds, Int>?)] = [
            ("checkInSchedule.firstAfterDays", \.firstAfterDays, nil), ("checkInSchedule.everyDays", \.everyDays, nil),
            ("healthThresholds.firstMeetingDays", nil, \.firstMeetingDays), ("healthThresholds.quietDays", nil, \.quietDays),
            ("healthThresholds.cadenceGraceDays", nil, \.cadenceGraceDays), ("healthThresholds.unloggedDays", nil, \.unloggedDays),
            ("healthThresholds.lowScore", nil, \.lowScore), ("healthThresholds.scoreDrop", nil, \.scoreDrop),
            ("healthThresholds.scoresApart", nil, \.scoresApart), ("healthThresholds.unsignedDays", nil, \.unsignedDays),
            ("healthThresholds.goalAfterMeetings", nil, \.goalAfterMeetings), ("healthThresholds.cancellationsInARow", nil, \.cancellationsInARow),
        ]
        let labels = Dictionary(uniqueKeysWithValues: ProgrammeInput.healthSettings(.defaults, .defaults).map { ($0.field, $0.label) })
        for (field, inSchedule, inThresholds) in numbers {
            guard let n = number(field, labels[field] ?? field) else { continue }
            if let inSchedule { schedule[keyPath: inSchedule] = n }
            if let inThresholds { thresholds[keyPath: inThresholds] = n }
        }
        schedule.fitCheck = form["checkInSchedule.fitCheck"] == "on"
        (input.checkInSchedule, input.healthThresholds) = (schedule, thresholds)
        // Every problem at once: a number that did not parse, and every rule the rest of the form breaks.
        return (input, issues + input.problems().filter { !issues.contains($0) })
    }

    func formView(heading: String, action: String, submit: String, fields: [String: String], issues: [FieldIssue] = [],
                  lessons: [ProgrammeFormView.Lesson] = [], cancel: String) -> ProgrammeFormView {
        var errors: [String: String] = [:]
        for issue in issues {
            let key = issue.field.replacingOccurrences(of: "groundRules.", with: "")
            if errors[key] == nil { errors[key] = issue.message }
        }
        let format = fields["format"] ?? "reverse", objective = fields["objective"] ?? "technology"
        var view = ProgrammeFormView(
            heading: heading, action: action, submitLabel: submit, f: fields, errors: errors, errorList: issues.map(\.message),
            formats: ProgrammeFormat.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == format) },
            objectives: ProgrammeObjective.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == objective) },
            lessons: lessons, cancel: cancel)
        view.healthFields = ProgrammeFormView.healthFields(fields, errors: errors)
        view.fitCheck = (fields["checkInSchedule.fitCheck"] ?? "on") == "on"
        view.healthOpen = view.healthFields.contains { $0.error != nil }
        return view
    }

    struct NewQuery: Decodable { var format: ProgrammeFormat? }

    /// `?format=twoWay` starts the form from that format's defaults; an unknown format is a 422 naming the formats.
    func newForm(req: Request) async throws -> Response {
        let format = try req.strictQuery(NewQuery.self).format ?? .reverse
        return try await req.page("programme-form", title: "Design a programme",
                                  formView(heading: "Design a programme", action: WebRoute.newProgramme.link(), submit: "Save as draft",
                                           fields: Self.fields(.defaults(for: format)), cancel: WebRoute.programmes.link()))
    }

    /// The form's problems and the service's (which know the programme's state), each once.
    func allProblems(_ input: ProgrammeInput, _ formIssues: [FieldIssue], for programme: Programme?, _ req: Request) async throws -> [FieldIssue] {
        do {
            _ = try await req.programmes.checked(input, for: programme)
            return formIssues
        } catch let invalid as InvalidInput {
            return formIssues + invalid.issues.filter { !formIssues.contains($0) }
        }
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let (input, formIssues) = Self.input(from: form)
        let issues = try await allProblems(input, formIssues, for: nil, req)
        guard issues.isEmpty else {
            return try await req.page("programme-form", title: "Design a programme",
                                      formView(heading: "Design a programme", action: WebRoute.newProgramme.link(), submit: "Save as draft",
                                               fields: form, issues: issues, cancel: WebRoute.programmes.link()), status: .unprocessableEntity)
        }
        let p = try await req.programmes.create(input, by: try req.user().email)
        return req.redirect(to: WebRoute.programme.link(try p.requireID()), flash: "“\(p.name)” is saved as a draft. Open enrolment when it is ready.")
    }

    func lessons(_ p: Programme, _ req: Request) async throws -> [ProgrammeFormView.Lesson] {
        try await req.programmes.earlierRounds(of: p).compactMap { earlier in
            earlier.lessons.map { ProgrammeFormView.Lesson(round: earlier.round, name: earlier.name, lessons: $0) }
        }
    }

    func editForm(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        return try await req.page("programme-form", title: "Edit \(p.name)",
                                  formView(heading: "Edit “\(p.name)”", action: WebRoute.editProgramme.link(id), submit: "Save changes",
                                           fields: Self.fields(ProgrammeInput(p)), lessons: lessons(p, req), cancel: WebRoute.programme.link(id)))
    }

    func update(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let form = try req.content.decode([String: String].self)
        let (input, formIssues) = Self.input(from: form)
        var issues = try await allProblems(input, formIssues, for: p, req)
        if issues.isEmpty {
            do {
                try await req.programmes.update(p, with: input)
                return req.redirect(to: WebRoute.programme.link(id), flash: "Changes to “\(p.name)” are saved.")
            } catch let invalid as InvalidInput {
                issues = invalid.issues
            } catch let refusal as any AbortError {
                issues = [FieldIssue(field: "form", message: refusal.reason)]
            }
        }
        return try await req.page("programme-form", title: "Edit \(p.name)",
                                  formView(heading: "Edit “\(p.name)”", action: WebRoute.editProgramme.link(id), submit: "Save changes",
                                           fields: form, issues: issues, lessons: lessons(p, req), cancel: WebRoute.programme.link(id)),
                                  status: .unprocessableEntity)
    }

    // MARK: The programme's page

    func show(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let service = req.programmes
        let applications = req.applications
        let me = try await person(req)
        var mine: ProgrammeApplication?
        var roleLines: [ProgrammePageView.RoleLine] = []
        let who: [ApplicationRole: String] = [.mentor: p.mentorEligibility.summary, .mentee: p.menteeEligibility.summary, .both: p.mentorEligibility.summary]
        if let me {
            try await service.markOpened(p, by: me.requireID())
            mine = try await applications.application(of: me.requireID(), in: p)
            roleLines = applications.roleOptions(for: me, in: p).map {
                ProgrammePageView.RoleLine(label: $0.label, eligible: $0.reason == nil, reason: $0.reason, who: who[$0.role] ?? "everyone")
            }
        } else {
            roleLines = p.format.roles.map {
                ProgrammePageView.RoleLine(label: $0.label(in: p.format), eligible: false, reason: nil, who: who[$0] ?? "everyone")
            }
        }
        let coordinator = try isCoordinator(req)
        var actions: [ProgrammePageView.ActionButton] = []
        var counts: [Balance.Side] = []
        if coordinator {
            for action in ProgrammeAction.available(from: p.status) {
                actions.append(.init(value: action.rawValue, label: action.label, refusal: try await service.refusal(action, on: p), closing: action == .close))
            }
            counts = try await req.applications.balance(of: p).sides
        }
        let windowNote = applications.windowRefusal(p)
        let myStatus = mine?.status
        let view = ProgrammePageView(
            p: try ProgrammeSummary(p), coordinator: coordinator, objectiveText: p.objective == .custom ? nil : p.objectiveText, topics: p.topics,
            dates: ["enrolmentOpens": p.enrolmentOpens ?? "not set", "enrolmentCloses": p.enrolmentCloses ?? "not set",
                    "startsOn": p.startsOn ?? "not set", "endsOn": p.endsOn ?? "not set"],
            places: "\(p.capacity) \(p.format == .advisoryBoard ? "board" : "pair")\(p.capacity == 1 ? "" : "s")", boardSize: p.format == .advisoryBoard ? p.boardSize : nil,
            boardMix: AdvisorKind.allCases.compactMap { kind in p.boardMix[kind].flatMap { $0 > 0 ? "\($0) \(kind.label)" : nil } },
            eligibility: roleLines, groundRules: p.groundRules, starters: p.conversationStarters, resources: p.resources,
            stories: try await service.stories(for: p), lessons: p.lessons,
            windowOpen: windowNote == nil, windowNote: windowNote,
            canApply: me.map { applications.mayApply($0, existing: mine, in: p) } ?? false,
            myStatus: myStatus?.rawValue, myStatusLabel: myStatus?.label, myRole: mine.map { $0.role.label(in: p.format) },
            isSelected: myStatus == .selected,
            canWithdraw: ApplicationService.mayWithdraw(mine, in: p),
            programmesLink: WebRoute.programmes.link(),
            applyLink: WebRoute.apply.link(id), withdrawLink: WebRoute.withdraw.link(id), actions: actions,
            actionLink: WebRoute.programmeAction.link(id), editLink: WebRoute.editProgramme.link(id), runAgainLink: WebRoute.runAgain.link(id),
            invitationsLink: WebRoute.invitations.link(id), selectionLink: WebRoute.selection.link(id), balanceLink: WebRoute.balance.link(id),
            matchingLink: WebRoute.matching.link(id), preferencesLink: WebRoute.preferences.link(id), myMatchLink: WebRoute.myMatch.link(id),
            counts: counts, closed: p.status == .closed, warnings: coordinator ? try await service.warnings(for: p) : [])
        return try await req.page("programme", title: p.name, view)
    }

    func act(req: Request) async throws -> Response {
        let p = try await programme(req)
        let back = WebRoute.programme.link(try p.requireID())
        let form = try req.content.decode([String: String].self)
        guard let action = form["action"].flatMap(ProgrammeAction.init) else {
            return req.redirect(to: back, flash: "Choose one of the actions on the page.")
        }
        let stories = (form["stories"] ?? "").split(whereSeparator: \.isNewline).compactMap { line -> Story? in
            let parts = line.split(separator: "|", maxSplits: 1).map { String($0).trimmed }
            guard let quote = parts.first, !quote.isEmpty else { return nil }
            return Story(quote: quote, by: parts.count > 1 ? parts[1] : "a participant")
        }
        if action == .close && !req.isConfirmed {
            return try await req.confirmation(ConfirmView(
                heading: "Close “\(p.name)”?", message: "Closing ends the round for everyone in it. It cannot be reopened; Run again starts a new round from it.",
                action: WebRoute.programmeAction.link(try p.requireID()),
                fields: [.init(name: "action", value: action.rawValue), .init(name: "lessons", value: form["lessons"] ?? ""),
                         .init(name: "stories", value: form["stories"] ?? "")],
                confirmLabel: "Close the programme", cancelLink: back, destructive: true))
        }
        return try await req.redirecting(to: back, onRefusal: "Not done") {
            try await req.programmes.perform(action, on: p, lessons: form["lessons"], stories: stories.isEmpty ? nil : stories)
            return req.redirect(to: back, flash: "“\(p.name)” is now \(p.status.rawValue).")
        }
    }

    func runAgain(req: Request) async throws -> Response {
        let p = try await programme(req)
        let next = try await req.programmes.runAgain(p, by: try req.user().email)
        return req.redirect(to: WebRoute.editProgramme.link(try next.requireID()),
                            flash: "Round \(next.round) is a draft with round \(p.round)'s settings. Set its dates, read the lessons below, and save.")
    }
}
