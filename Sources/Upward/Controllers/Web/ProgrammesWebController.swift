import Fluent
import Vapor

/// Programme pages: the list, design (new/edit), the publicity page with the coordinator's actions, the
/// application form, invitations, selection and balance.
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

    struct Summary: Encodable {
        var id: String
        var name: String
        var status: String
        var statusLabel: String
        var format: String
        var objective: String
        var round: Int
        var link: String
        var enrolment: String?
        var commitment: String
        var applied: Int
    }

    static func summary(_ p: Programme, applied: Int = 0) -> Summary {
        let id = p.id!.uuidString
        let enrolment: String? = switch (p.enrolmentOpens, p.enrolmentCloses) {
        case let (o?, c?): "\(o) to \(c)"
        case let (nil, c?): "until \(c)"
        default: nil
        }
        return Summary(id: id, name: p.name, status: p.status.rawValue, statusLabel: p.status.label, format: p.format.label,
                       objective: p.objective == .custom ? (p.objectiveText ?? "") : p.objective.label, round: p.round,
                       link: WebRoute.programme.link(id), enrolment: enrolment,
                       commitment: "\(p.sessionCount) sessions of \(p.sessionMinutes) minutes, every \(p.cadenceWeeks) week\(p.cadenceWeeks == 1 ? "" : "s")",
                       applied: applied)
    }

    func programme(_ req: Request) async throws -> Programme {
        let p = try await ProgrammeService(database: req.db).find(req.parameters.get("programmeID", as: UUID.self))
        let role = try req.user().role
        if p.status == .draft && role == .participant {
            throw Abort(.notFound, reason: "There is no programme at this address. Open Programmes to see those you can join.")
        }
        return p
    }

    func person(_ req: Request) async throws -> Person? {
        guard let id = try req.user().$person.id else { return nil }
        return try await Person.find(id, on: req.db)
    }

    func isCoordinator(_ req: Request) throws -> Bool { try [.admin, .coordinator].contains(req.user().role) }

    // MARK: List

    struct MyApplication: Encodable {
        var programme: Summary
        var status: String
        var statusLabel: String
    }

    struct ListView: Encodable {
        var coordinator: Bool
        var programmes: [Summary]
        var open: [Summary]
        var mine: [MyApplication]
        var newLink = WebRoute.newProgramme.link()
    }

    func list(req: Request) async throws -> Response {
        let all = try await ProgrammeService(database: req.db).all()
        let coordinator = try isCoordinator(req)
        let active = try await ProgrammeApplication.query(on: req.db).filter(\.$status ~~ [.submitted, .selected, .waitlisted]).all()
        let counts = Dictionary(grouping: active, by: { $0.$programme.id }).mapValues(\.count)
        var mine: [MyApplication] = []
        if let me = try await person(req) {
            let applications = try await ProgrammeApplication.query(on: req.db).filter(\.$person.$id == me.requireID()).with(\.$programme).all()
            mine = applications.map { MyApplication(programme: Self.summary($0.programme), status: $0.status.rawValue, statusLabel: $0.status.label) }
        }
        let view = ListView(
            coordinator: coordinator,
            programmes: coordinator ? all.map { Self.summary($0, applied: counts[$0.id!] ?? 0) } : [],
            open: all.filter { $0.status == .enrolling }.map { Self.summary($0) }, mine: mine)
        return try await req.page("programmes", title: "Programmes", view)
    }

    // MARK: Design

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct FormView: Encodable {
        var heading: String
        var action: String
        var submitLabel: String
        var f: [String: String]
        var errors: [String: String]
        var errorList: [String]
        var formats: [Choice]
        var objectives: [Choice]
        var lessons: [LessonView]
        var cancel: String
    }

    struct LessonView: Encodable {
        var round: Int
        var name: String
        var lessons: String
    }

    /// The form's fields as text, from a programme's settings.
    static func fields(_ input: ProgrammeInput) -> [String: String] {
        func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
        return [
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
        ]
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
        // Every problem at once: a number that did not parse, and every rule the rest of the form breaks.
        return (input, issues + input.problems().filter { !issues.contains($0) })
    }

    func formView(heading: String, action: String, submit: String, fields: [String: String], issues: [FieldIssue] = [],
                  lessons: [LessonView] = [], cancel: String) -> FormView {
        var errors: [String: String] = [:]
        for issue in issues {
            let key = issue.field.replacingOccurrences(of: "groundRules.", with: "")
            if errors[key] == nil { errors[key] = issue.message }
        }
        let format = fields["format"] ?? "reverse", objective = fields["objective"] ?? "technology"
        return FormView(heading: heading, action: action, submitLabel: submit, f: fields, errors: errors, errorList: issues.map(\.message),
                        formats: ProgrammeFormat.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == format) },
                        objectives: ProgrammeObjective.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == objective) },
                        lessons: lessons, cancel: cancel)
    }

    struct NewQuery: Decodable { var format: String? }

    func newForm(req: Request) async throws -> Response {
        let format = (try? req.query.decode(NewQuery.self)).flatMap { $0.format.flatMap(ProgrammeFormat.init) } ?? .reverse
        return try await req.page("programme-form", title: "Design a programme",
                                  formView(heading: "Design a programme", action: WebRoute.newProgramme.link(), submit: "Save as draft",
                                           fields: Self.fields(.defaults(for: format)), cancel: WebRoute.programmes.link()))
    }

    /// The form's problems and the service's (which know the programme's state), each once.
    func allProblems(_ input: ProgrammeInput, _ formIssues: [FieldIssue], for programme: Programme?, _ req: Request) async throws -> [FieldIssue] {
        do {
            _ = try await ProgrammeService(database: req.db).checked(input, for: programme)
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
        let p = try await ProgrammeService(database: req.db).create(input, by: try req.user().email)
        return req.redirect(to: WebRoute.programme.link(p.id!), flash: "“\(p.name)” is saved as a draft. Open enrolment when it is ready.")
    }

    func lessons(_ p: Programme, _ req: Request) async throws -> [LessonView] {
        try await ProgrammeService(database: req.db).earlierRounds(of: p).compactMap { earlier in
            earlier.lessons.map { LessonView(round: earlier.round, name: earlier.name, lessons: $0) }
        }
    }

    func editForm(req: Request) async throws -> Response {
        let p = try await programme(req)
        return try await req.page("programme-form", title: "Edit \(p.name)",
                                  formView(heading: "Edit “\(p.name)”", action: WebRoute.editProgramme.link(p.id!), submit: "Save changes",
                                           fields: Self.fields(ProgrammeInput(p)), lessons: lessons(p, req), cancel: WebRoute.programme.link(p.id!)))
    }

    func update(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        let (input, formIssues) = Self.input(from: form)
        var issues = try await allProblems(input, formIssues, for: p, req)
        if issues.isEmpty {
            do {
                try await ProgrammeService(database: req.db).update(p, with: input)
                return req.redirect(to: WebRoute.programme.link(p.id!), flash: "Changes to “\(p.name)” are saved.")
            } catch let invalid as InvalidInput {
                issues = invalid.issues
            } catch let problem as Problem {
                issues = [FieldIssue(field: "form", message: problem.detail)]
            }
        }
        return try await req.page("programme-form", title: "Edit \(p.name)",
                                  formView(heading: "Edit “\(p.name)”", action: WebRoute.editProgramme.link(p.id!), submit: "Save changes",
                                           fields: form, issues: issues, lessons: lessons(p, req), cancel: WebRoute.programme.link(p.id!)),
                                  status: .unprocessableEntity)
    }

    // MARK: The programme's page

    struct ActionButton: Encodable {
        var value: String
        var label: String
        var refusal: String?
        var closing: Bool
    }

    struct RoleView: Encodable {
        var label: String
        var eligible: Bool
        var reason: String?
        var who: String
    }

    struct ProgrammeView: Encodable {
        var p: Summary
        var coordinator: Bool
        var objectiveText: String?
        var topics: [String]
        var dates: [String: String]
        var places: String
        var boardSize: Int?
        var boardMix: [String]
        var eligibility: [RoleView]
        var groundRules: GroundRules
        var starters: [String]
        var resources: [String]
        var stories: [Story]
        var lessons: String?
        var windowOpen: Bool
        var windowNote: String?
        var canApply: Bool
        var myStatus: String?
        var myStatusLabel: String?
        var myRole: String?
        var canWithdraw: Bool
        var applyLink: String
        var withdrawLink: String
        var actions: [ActionButton]
        var actionLink: String
        var editLink: String
        var runAgainLink: String
        var invitationsLink: String
        var selectionLink: String
        var balanceLink: String
        var matchingLink: String
        var preferencesLink: String
        var myMatchLink: String
        var counts: [Balance.Side]
        var closed: Bool
        var warnings: [String]
    }

    func show(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = p.id!
        let service = ProgrammeService(database: req.db)
        let applications = ApplicationService(database: req.db)
        let me = try await person(req)
        var mine: ProgrammeApplication?
        var roleViews: [RoleView] = []
        let who: [ApplicationRole: String] = [.mentor: p.mentorEligibility.summary, .mentee: p.menteeEligibility.summary, .both: p.mentorEligibility.summary]
        if let me {
            try await service.markOpened(p, by: me.requireID())
            mine = try await applications.application(of: me.requireID(), in: p)
            roleViews = applications.roleOptions(for: me, in: p).map {
                RoleView(label: $0.label, eligible: $0.reason == nil, reason: $0.reason, who: who[$0.role] ?? "everyone")
            }
        } else {
            roleViews = p.format.roles.map { RoleView(label: $0.label(in: p.format), eligible: false, reason: nil, who: who[$0] ?? "everyone") }
        }
        let coordinator = try isCoordinator(req)
        var actions: [ActionButton] = []
        var counts: [Balance.Side] = []
        if coordinator {
            for action in ProgrammeAction.available(from: p.status) {
                actions.append(ActionButton(value: action.rawValue, label: action.label, refusal: try await service.refusal(action, on: p), closing: action == .close))
            }
            counts = try await Balance.of(p, on: req.db).sides
        }
        let windowNote = applications.windowRefusal(p)
        let view = ProgrammeView(
            p: Self.summary(p), coordinator: coordinator, objectiveText: p.objective == .custom ? nil : p.objectiveText, topics: p.topics,
            dates: ["enrolmentOpens": p.enrolmentOpens ?? "not set", "enrolmentCloses": p.enrolmentCloses ?? "not set",
                    "startsOn": p.startsOn ?? "not set", "endsOn": p.endsOn ?? "not set"],
            places: "\(p.capacity) \(p.format == .advisoryBoard ? "board" : "pair")\(p.capacity == 1 ? "" : "s")", boardSize: p.format == .advisoryBoard ? p.boardSize : nil,
            boardMix: AdvisorKind.allCases.compactMap { kind in p.boardMix[kind].flatMap { $0 > 0 ? "\($0) \(kind.label)" : nil } },
            eligibility: roleViews, groundRules: p.groundRules, starters: p.conversationStarters, resources: p.resources,
            stories: try await service.stories(for: p), lessons: p.lessons,
            windowOpen: windowNote == nil, windowNote: windowNote,
            canApply: me != nil && windowNote == nil && roleViews.contains { $0.eligible } && (mine == nil || [.draft, .submitted].contains(mine!.status)),
            myStatus: mine?.status.rawValue, myStatusLabel: mine?.status.label, myRole: mine.map { $0.role.label(in: p.format) },
            canWithdraw: mine.map { [.draft, .submitted, .selected, .waitlisted].contains($0.status) } ?? false && [.enrolling, .selecting, .matching].contains(p.status),
            applyLink: WebRoute.apply.link(id), withdrawLink: WebRoute.withdraw.link(id), actions: actions,
            actionLink: WebRoute.programmeAction.link(id), editLink: WebRoute.editProgramme.link(id), runAgainLink: WebRoute.runAgain.link(id),
            invitationsLink: WebRoute.invitations.link(id), selectionLink: WebRoute.selection.link(id), balanceLink: WebRoute.balance.link(id),
            matchingLink: WebRoute.matching.link(id), preferencesLink: WebRoute.preferences.link(id), myMatchLink: WebRoute.myMatch.link(id),
            counts: counts, closed: p.status == .closed, warnings: coordinator ? try await service.warnings(for: p) : [])
        return try await req.page("programme", title: p.name, view)
    }

    func act(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        guard let action = form["action"].flatMap(ProgrammeAction.init) else {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "Choose one of the actions on the page.")
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
                confirmLabel: "Close the programme", cancelLink: WebRoute.programme.link(try p.requireID()), destructive: true))
        }
        do {
            try await ProgrammeService(database: req.db).perform(action, on: p, lessons: form["lessons"], stories: stories.isEmpty ? nil : stories)
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "“\(p.name)” is now \(p.status.rawValue).")
        } catch let error as any AbortError {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "Not done: \(error.reason)")
        }
    }

    func runAgain(req: Request) async throws -> Response {
        let p = try await programme(req)
        let next = try await ProgrammeService(database: req.db).runAgain(p, by: try req.user().email)
        return req.redirect(to: WebRoute.editProgramme.link(next.id!),
                            flash: "Round \(next.round) is a draft with round \(p.round)'s settings. Set its dates, read the lessons below, and save.")
    }

    // MARK: Applying

    struct SkillRow: Encodable {
        var index: Int
        var name: String
        var level: String
    }

    struct Box: Encodable {
        var name: String
        var label: String
        var checked: Bool
    }

    struct ApplyView: Encodable {
        var p: Summary
        var action: String
        var roles: [RoleChoice]
        var offered: [SkillRow]
        var sought: [SkillRow]
        var skillsInUse: [String]
        var topics: [Box]
        var communication: [Box]
        var availability: [Box]
        var f: [String: String]
        var errors: [String: String]
        var errorList: [String]
        var status: String?
        var submitted: Bool
        var commitment: String
        var zones: [String]
        var programmeLink: String
        var levels = ["1", "2", "3", "4", "5"]
    }

    struct RoleChoice: Encodable {
        var value: String
        var label: String
        var checked: Bool
        var reason: String?
    }

    static let skillRows = 5

    func applyView(_ p: Programme, person: Person, input: ApplicationInput?, existing: ProgrammeApplication?, form: [String: String]?,
                   issues: [FieldIssue], db: any Database) async throws -> ApplyView {
        let service = ApplicationService(database: db)
        let input = input ?? existing.map(ApplicationInput.init) ?? ApplicationInput(role: p.format.roles.first { service.ineligibility(of: person, as: $0, in: p) == nil } ?? p.format.roles[0])
        func rows(_ skills: [SkillLevel], _ prefix: String) -> [SkillRow] {
            (0..<Self.skillRows).map { i in
                if let form { return SkillRow(index: i, name: form["\(prefix)Name\(i)"] ?? "", level: form["\(prefix)Level\(i)"] ?? "3") }
                return SkillRow(index: i, name: i < skills.count ? skills[i].name : "", level: i < skills.count ? String(skills[i].level) : "3")
            }
        }
        let used = try await ProgrammeApplication.query(on: db).all()
        let skillsInUse = Set(used.flatMap { ($0.skillsOffered + $0.skillsSought).map(\.name) } + SkillCatalogue.starters).sorted()
        var errors: [String: String] = [:]
        for issue in issues where errors[issue.field] == nil { errors[issue.field] = issue.message }
        let fields: [String: String] = [
            "interests": input.interests.joined(separator: ", "), "values": input.values.joined(separator: ", "), "goals": input.goals,
            "strengths": input.swot.strengths, "weaknesses": input.swot.weaknesses, "opportunities": input.swot.opportunities,
            "threats": input.swot.threats, "motivation": input.motivation, "timeZone": input.timeZone ?? person.timeZone ?? "",
            "commitment": input.commitmentAcknowledged ? "on" : "", "diversityConsent": input.diversityConsent ? "on" : "",
        ]
        return ApplyView(
            p: Self.summary(p), action: WebRoute.apply.link(p.id!),
            roles: service.roleOptions(for: person, in: p).map { RoleChoice(value: $0.role.rawValue, label: $0.label, checked: $0.role == input.role, reason: $0.reason) },
            offered: rows(input.skillsOffered, "offered"), sought: rows(input.skillsSought, "sought"), skillsInUse: skillsInUse,
            topics: p.topics.enumerated().map { Box(name: "topic\($0.offset)", label: $0.element, checked: input.topics.contains($0.element)) },
            communication: CommunicationChannel.allCases.map { Box(name: "comm_\($0.rawValue)", label: $0.label, checked: input.communication.contains($0)) },
            availability: ApplicationInput.availabilitySlots.enumerated().map { Box(name: "slot\($0.offset)", label: $0.element, checked: input.availability.contains($0.element)) },
            f: form.map { $0.merging(fields) { formValue, _ in formValue } } ?? fields, errors: errors, errorList: issues.map(\.message),
            status: existing?.status.label, submitted: existing?.status == .submitted,
            commitment: "\(p.sessionCount) sessions of \(p.sessionMinutes) minutes, every \(p.cadenceWeeks) week\(p.cadenceWeeks == 1 ? "" : "s"), from \(p.startsOn ?? "the start") to \(p.endsOn ?? "the end")",
            zones: TimeZone.knownTimeZoneIdentifiers.sorted(), programmeLink: WebRoute.programme.link(p.id!))
    }

    func requirePerson(_ req: Request) async throws -> Person {
        try await ApplicationService(database: req.db).applicant(try req.user())
    }

    func applyForm(req: Request) async throws -> Response {
        let p = try await programme(req)
        let me = try await requirePerson(req)
        let service = ApplicationService(database: req.db)
        if let reason = service.windowRefusal(p) {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: reason)
        }
        if service.roleOptions(for: me, in: p).allSatisfy({ $0.reason != nil }) {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "You cannot apply to this programme: see who may apply below.")
        }
        let existing = try await service.application(of: me.requireID(), in: p)
        return try await req.page("apply", title: "Apply: \(p.name)",
                                  applyView(p, person: me, input: nil, existing: existing, form: nil, issues: [], db: req.db))
    }

    /// Reads the application form.
    static func applicationInput(from form: [String: String], programme p: Programme) -> ApplicationInput {
        func value(_ key: String) -> String { (form[key] ?? "").trimmed }
        func list(_ key: String) -> [String] { value(key).split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty } }
        var input = ApplicationInput(role: ApplicationRole(rawValue: value("role")) ?? p.format.roles[0])
        func skills(_ prefix: String) -> [SkillLevel] {
            (0..<skillRows).compactMap { i in
                let name = value("\(prefix)Name\(i)")
                return name.isEmpty ? nil : SkillLevel(name: name, level: Int(value("\(prefix)Level\(i)")) ?? 0)
            }
        }
        input.skillsOffered = input.role.mentors ? skills("offered") : []
        input.skillsSought = input.role.mentees ? skills("sought") : []
        input.topics = p.topics.enumerated().filter { form["topic\($0.offset)"] == "on" }.map(\.element)
        input.interests = list("interests")
        input.values = list("values")
        input.goals = value("goals")
        input.swot = SWOT(strengths: value("strengths"), weaknesses: value("weaknesses"), opportunities: value("opportunities"), threats: value("threats"))
        input.motivation = value("motivation")
        input.communication = CommunicationChannel.allCases.filter { form["comm_\($0.rawValue)"] == "on" }
        input.availability = ApplicationInput.availabilitySlots.enumerated().filter { form["slot\($0.offset)"] == "on" }.map(\.element)
        input.timeZone = value("timeZone").nilIfEmpty
        input.commitmentAcknowledged = form["commitment"] == "on"
        input.diversityConsent = form["diversityConsent"] == "on"
        return input
    }

    func apply(req: Request) async throws -> Response {
        let p = try await programme(req)
        let me = try await requirePerson(req)
        let form = try req.content.decode([String: String].self)
        let input = Self.applicationInput(from: form, programme: p)
        let submit = form["intent"] == "submit"
        let service = ApplicationService(database: req.db)
        do {
            let saved = try await service.save(input, for: me, in: p, submit: submit)
            let message = saved.status == .submitted
                ? (submit ? "Your application is submitted. You can change it until enrolment closes." : "Your changes are saved.")
                : "Your draft is saved. Submit it before enrolment closes on \(p.enrolmentCloses ?? "the closing date")."
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: message)
        } catch let invalid as InvalidInput {
            let existing = try await service.application(of: me.requireID(), in: p)
            return try await req.page("apply", title: "Apply: \(p.name)",
                                      applyView(p, person: me, input: input, existing: existing, form: form, issues: invalid.issues, db: req.db),
                                      status: .unprocessableEntity)
        } catch let problem as Problem {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "Not saved: \(problem.detail)")
        }
    }

    func withdraw(req: Request) async throws -> Response {
        let p = try await programme(req)
        let me = try await requirePerson(req)
        let service = ApplicationService(database: req.db)
        guard let mine = try await service.application(of: me.requireID(), in: p) else {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "You have not applied to this programme.")
        }
        do {
            try await service.withdraw(mine, by: me.email)
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "You have withdrawn from “\(p.name)”.")
        } catch let problem as Problem {
            return req.redirect(to: WebRoute.programme.link(p.id!), flash: "Not withdrawn: \(problem.detail)")
        }
    }

    // MARK: Invitations

    struct InvitationLine: Encodable {
        var name: String
        var department: String
        var level: Int
        var audience: String
        var invitedOn: String
        var opened: Bool
        var application: String?
    }

    struct InvitationsView: Encodable {
        var p: Summary
        var action: String
        var departments: [String]
        var rows: [InvitationLine]
        var invited: Int
        var opened: Int
        var applied: Int
        var canInvite: Bool
        var programmeLink: String
    }

    func invitations(req: Request) async throws -> Response {
        let p = try await programme(req)
        let rows = try await ProgrammeService(database: req.db).invitations(for: p)
        let departments = try await DirectoryService(database: req.db).departments().map(\.name)
        let view = InvitationsView(
            p: Self.summary(p), action: WebRoute.invitations.link(p.id!), departments: departments,
            rows: rows.map { InvitationLine(name: $0.person.name, department: $0.person.department, level: $0.person.level, audience: $0.audience,
                                            invitedOn: $0.invitedAt.map { Day($0).description } ?? "", opened: $0.openedAt != nil,
                                            application: $0.application.map(\.label)) },
            invited: rows.count, opened: rows.filter { $0.openedAt != nil }.count,
            applied: rows.filter { $0.application.map { $0 != .draft && $0 != .withdrawn } ?? false }.count,
            canInvite: [.draft, .enrolling].contains(p.status), programmeLink: WebRoute.programme.link(p.id!))
        return try await req.page("invitations", title: "Invitations: \(p.name)", view)
    }

    func invite(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        let link = WebRoute.invitations.link(p.id!)
        var audience = ProgrammeService.Audience()
        if form["scope"] != "everybody" {
            audience.department = form["department"]?.trimmed.nilIfEmpty
            for (key, label) in [("minLevel", "The lowest level"), ("maxLevel", "The highest level")] {
                guard let text = form[key]?.trimmed, !text.isEmpty else { continue }
                guard let n = Int(text) else { return req.redirect(to: link, flash: "Not sent: \(label) must be a whole number; “\(text)” is not.") }
                if key == "minLevel" { audience.minLevel = n } else { audience.maxLevel = n }
            }
        }
        do {
            let count = try await ProgrammeService(database: req.db).invite(audience, to: p, by: try req.user().email, linkBase: req.application.upward.publicURL)
            return req.redirect(to: link, flash: count == 0 ? "Everyone in \(audience.label) was already invited." : "Invited \(count) \(count == 1 ? "person" : "people") (\(audience.label)). The invitations are in the outbox.")
        } catch let error as any AbortError {
            return req.redirect(to: link, flash: "Not sent: \(error.reason)")
        }
    }

    // MARK: Selection

    struct CriterionBox: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Candidate: Encodable {
        var rank: Int
        var name: String
        var department: String
        var level: Int
        var status: String
        var statusLabel: String
        var waitlistPosition: Int?
        var points: String
        var breakdown: String
        var firstTime: Bool
        var motivation: String
        var review: String?
        var submittedOn: String
        var decisionLink: String
        var history: [String]
        var wishes: String?
    }

    struct RoleSection: Encodable {
        var label: String
        var places: Int
        var selected: Int
        var candidates: [Candidate]
    }

    struct SelectionView: Encodable {
        var p: Summary
        var criteria: [CriterionBox]
        var criteriaQuery: String
        var sections: [RoleSection]
        var selecting: Bool
        var applyLink: String
        var selectionLink: String
        var programmeLink: String
        var levels = ["1", "2", "3", "4", "5"]
    }

    func chosenCriteria(_ req: Request) -> [ApplicationService.Criterion] {
        let raw = req.url.query ?? ""
        let values = raw.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return parts.count == 2 && parts[0] == "criteria" ? String(parts[1]) : nil
        }
        if values.isEmpty && !raw.contains("ranked=1") { return [.departmentSpread, .firstTime, .applicationTime] }
        return values.compactMap(ApplicationService.Criterion.init)
    }

    func selection(req: Request) async throws -> Response {
        let p = try await programme(req)
        let criteria = chosenCriteria(req)
        let service = ApplicationService(database: req.db)
        var sections: [RoleSection] = []
        let everyone = try await ProgrammeApplication.query(on: req.db).filter(\.$programme.$id == p.requireID()).with(\.$person).all()
        let nameOf = Dictionary(everyone.map { ($0.$person.id, $0.person.name) }, uniquingKeysWith: { a, _ in a })
        for role in p.format.roles {
            let ranked = try await service.ranking(p, role: role, criteria: criteria)
            var candidates: [Candidate] = []
            for r in ranked {
                let history = try await service.decisions(for: r.application).map {
                    "\($0.status.rawValue) by \($0.decidedBy)\($0.createdAt.map { " on " + Day($0).description } ?? "")\($0.note.map { " — " + $0 } ?? "")"
                }
                candidates.append(Candidate(
                    rank: r.rank, name: r.person.name, department: r.person.department, level: r.person.level,
                    status: r.application.status.rawValue, statusLabel: r.application.status.label, waitlistPosition: r.application.waitlistPosition,
                    points: String(format: "%.2f", r.points),
                    breakdown: r.breakdown.map { "\($0.0.label): \(String(format: "%.2f", $0.1))" }.joined(separator: "; "),
                    firstTime: r.firstTime, motivation: r.application.motivation, review: r.application.motivationReview.map(String.init),
                    submittedOn: r.application.submittedAt.map { Day($0).description } ?? "",
                    decisionLink: WebRoute.decision.link(p.id!, r.application.id!), history: history,
                    wishes: Self.wishes(r.application, names: nameOf)))
            }
            sections.append(RoleSection(label: role.label(in: p.format), places: service.places(for: role, in: p),
                                        selected: ranked.filter { $0.application.status == .selected }.count, candidates: candidates))
        }
        let query = (["ranked=1"] + criteria.map { "criteria=\($0.rawValue)" }).joined(separator: "&")
        let view = SelectionView(
            p: Self.summary(p),
            criteria: ApplicationService.Criterion.allCases.map { CriterionBox(value: $0.rawValue, label: $0.label, checked: criteria.contains($0)) },
            criteriaQuery: query, sections: sections, selecting: p.status == .selecting,
            applyLink: WebRoute.applyRanking.link(p.id!) + "?" + query, selectionLink: WebRoute.selection.link(p.id!),
            programmeLink: WebRoute.programme.link(p.id!))
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
        let criteria = chosenCriteria(req)
        let back = WebRoute.selection.link(p.id!) + "?" + (["ranked=1"] + criteria.map { "criteria=\($0.rawValue)" }).joined(separator: "&")
        do {
            let result = try await ApplicationService(database: req.db).applyRanking(p, criteria: criteria, by: try req.user().email)
            return req.redirect(to: back, flash: "Selected \(result.selected) and waitlisted \(result.waitlisted) by the ranking.")
        } catch let problem as Problem {
            return req.redirect(to: back, flash: "Not done: \(problem.detail)")
        }
    }

    func decide(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.selection.link(p.id!) + (form["back"].map { "?" + $0 } ?? "")
        guard let id = req.parameters.get("applicationID", as: UUID.self),
              let a = try await ProgrammeApplication.query(on: req.db).filter(\.$id == id).filter(\.$programme.$id == p.requireID()).with(\.$person).first() else {
            throw Abort(.notFound, reason: "That application is not part of this programme.")
        }
        let service = ApplicationService(database: req.db)
        do {
            if let review = form["review"] {
                try await service.review(a, motivation: Int(review))
                return req.redirect(to: back, flash: review.isEmpty ? "The rating of \(a.person.name) is cleared." : "Motivation of \(a.person.name) rated \(review).")
            }
            guard let status = form["status"].flatMap(ApplicationStatus.init) else {
                return req.redirect(to: back, flash: "Choose select, waitlist or decline.")
            }
            try await service.decide(a, status, by: try req.user().email, note: form["note"])
            return req.redirect(to: back, flash: "\(a.person.name) is \(status.rawValue).")
        } catch let error as any AbortError {
            return req.redirect(to: back, flash: "Not done: \(error.reason)")
        }
    }

    // MARK: Balance

    struct BalanceView: Encodable {
        var p: Summary
        var balance: Balance
        var programmeLink: String
        var invitationsLink: String
    }

    func balance(req: Request) async throws -> Response {
        let p = try await programme(req)
        let view = BalanceView(p: Self.summary(p), balance: try await Balance.of(p, on: req.db),
                               programmeLink: WebRoute.programme.link(p.id!), invitationsLink: WebRoute.invitations.link(p.id!))
        return try await req.page("balance", title: "Balance: \(p.name)", view)
    }
}

/// Skills suggested in the application form before any are in use.
enum SkillCatalogue {
    static let starters = [
        "AI tools", "Prompt writing", "Social media", "Data visualisation", "Spreadsheets", "Accessibility", "Hybrid work",
        "Inclusive language", "Gen Z expectations", "Public speaking", "Negotiation", "Strategy", "Budgeting", "Stakeholder management",
    ]
}
