import Fluent
import Vapor

/// Applying to a programme, changing the application, and withdrawing.
extension ProgrammesWebController {
    func applyView(_ p: Programme, person: Person, input: ApplicationInput?, existing: ProgrammeApplication?, form: [String: String]?,
                   issues: [FieldIssue], service: ApplicationService) async throws -> ApplyView {
        let input = input ?? existing.map(ApplicationInput.init) ?? ApplicationInput(role: p.format.roles.first { service.ineligibility(of: person, as: $0, in: p) == nil } ?? p.format.roles[0])
        func rows(_ skills: [SkillLevel], _ prefix: String) -> [ApplyView.SkillRow] {
            (0..<ApplyView.skillRows).map { i in
                if let form { return ApplyView.SkillRow(index: i, name: form["\(prefix)Name\(i)"] ?? "", level: form["\(prefix)Level\(i)"] ?? "3") }
                return ApplyView.SkillRow(index: i, name: i < skills.count ? skills[i].name : "", level: i < skills.count ? String(skills[i].level) : "3")
            }
        }
        let skillsInUse = Set(try await service.skillsInUse() + SkillCatalogue.starters).sorted()
        var errors: [String: String] = [:]
        for issue in issues where errors[issue.field] == nil { errors[issue.field] = issue.message }
        let fields: [String: String] = [
            "interests": input.interests.joined(separator: ", "), "values": input.values.joined(separator: ", "), "goals": input.goals,
            "strengths": input.swot.strengths, "weaknesses": input.swot.weaknesses, "opportunities": input.swot.opportunities,
            "threats": input.swot.threats, "motivation": input.motivation, "timeZone": input.timeZone ?? person.timeZone ?? "",
            "commitment": input.commitmentAcknowledged ? "on" : "", "diversityConsent": input.diversityConsent ? "on" : "",
        ]
        // What was typed wins over what was saved, so a form that comes back with problems keeps every answer.
        let f = form.map { $0.merging(fields) { formValue, _ in formValue } } ?? fields
        let id = try p.requireID()
        return ApplyView(
            p: try ProgrammeSummary(p), action: WebRoute.apply.link(id),
            roles: service.roleOptions(for: person, in: p).map {
                ApplyView.RoleChoice(value: $0.role.rawValue, label: $0.label, checked: $0.role == input.role, reason: $0.reason)
            },
            offered: rows(input.skillsOffered, "offered"), sought: rows(input.skillsSought, "sought"), skillsInUse: skillsInUse,
            topics: p.topics.enumerated().map { Checkbox(name: "topic\($0.offset)", label: $0.element, checked: input.topics.contains($0.element)) },
            communication: CommunicationChannel.allCases.map { Checkbox(name: "comm_\($0.rawValue)", label: $0.label, checked: input.communication.contains($0)) },
            availability: ApplicationInput.availabilitySlots.enumerated().map {
                Checkbox(name: "slot\($0.offset)", label: $0.element, checked: input.availability.contains($0.element))
            },
            f: f, commitmentChecked: f["commitment"] == "on", diversityConsentChecked: f["diversityConsent"] == "on",
            errors: errors, errorList: issues.map(\.message),
            status: existing?.status.label, submitted: existing?.status == .submitted,
            commitment: "\(p.commitment), from \(p.startsOn ?? "the start") to \(p.endsOn ?? "the end")",
            zones: TimeZone.knownTimeZoneIdentifiers.sorted(), programmeLink: WebRoute.programme.link(id))
    }

    func requirePerson(_ req: Request) async throws -> Person {
        try await req.applications.applicant(try req.user())
    }

    func applyForm(req: Request) async throws -> Response {
        let p = try await programme(req)
        let me = try await requirePerson(req)
        let service = req.applications
        let back = WebRoute.programme.link(try p.requireID())
        if let reason = service.windowRefusal(p) {
            return req.redirect(to: back, flash: reason)
        }
        if service.roleOptions(for: me, in: p).allSatisfy({ $0.reason != nil }) {
            return req.redirect(to: back, flash: "You cannot apply to this programme: see who may apply below.")
        }
        let existing = try await service.application(of: me.requireID(), in: p)
        return try await req.page("apply", title: "Apply: \(p.name)",
                                  applyView(p, person: me, input: nil, existing: existing, form: nil, issues: [], service: req.applications))
    }

    /// Reads the application form.
    static func applicationInput(from form: [String: String], programme p: Programme) -> ApplicationInput {
        func value(_ key: String) -> String { (form[key] ?? "").trimmed }
        func list(_ key: String) -> [String] { value(key).split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty } }
        var input = ApplicationInput(role: ApplicationRole(rawValue: value("role")) ?? p.format.roles[0])
        func skills(_ prefix: String) -> [SkillLevel] {
            (0..<ApplyView.skillRows).compactMap { i in
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
        let back = WebRoute.programme.link(try p.requireID())
        let me = try await requirePerson(req)
        let form = try req.content.decode([String: String].self)
        let input = Self.applicationInput(from: form, programme: p)
        let submit = form["intent"] == "submit"
        let service = req.applications
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                let saved = try await service.save(input, for: me, in: p, submit: submit)
                let message = saved.status == .submitted
                    ? (submit ? "Your application is submitted. You can change it until enrolment closes." : "Your changes are saved.")
                    : "Your draft is saved. Submit it before enrolment closes on \(p.enrolmentCloses ?? "the closing date")."
                return req.redirect(to: back, flash: message)
            } catch let invalid as InvalidInput {
                // Fields to fix: the form again, with every answer and every message.
                let existing = try await service.application(of: me.requireID(), in: p)
                return try await req.page("apply", title: "Apply: \(p.name)",
                                          applyView(p, person: me, input: input, existing: existing, form: form, issues: invalid.issues, service: req.applications),
                                          status: .unprocessableEntity)
            }
        }
    }

    func withdraw(req: Request) async throws -> Response {
        let p = try await programme(req)
        let back = WebRoute.programme.link(try p.requireID())
        let me = try await requirePerson(req)
        let service = req.applications
        guard let mine = try await service.application(of: me.requireID(), in: p) else {
            return req.redirect(to: back, flash: "You have not applied to this programme.")
        }
        return try await req.redirecting(to: back, onRefusal: "Not withdrawn") {
            try await service.withdraw(mine, by: me.email)
            return req.redirect(to: back, flash: "You have withdrawn from “\(p.name)”.")
        }
    }
}
