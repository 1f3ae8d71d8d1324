import Foundation
import Vapor

/// Goals: setting one, revising it (each change kept with who, when and why), and its history.
extension PairingWebController {
    func newGoal(req: Request) async throws -> Response {
        let space = try await space(req)
        return try await goalPage(req, space, goal: nil, form: .init(newIn: space.programme.format))
    }

    func goal(req: Request) async throws -> Response {
        let space = try await space(req)
        let goal = try await req.pairingSpace.goal(space, req.parameters.get("goalID", as: UUID.self))
        return try await goalPage(req, space, goal: goal, form: .init(goal.content))
    }

    func goalPage(
        _ req: Request, _ space: PairingSpaceService.Space, goal: Goal?, form: PairingGoalView.Form, issues: [FieldIssue] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let revisions = try await goal.asyncMap { try await req.pairingSpace.revisions(of: $0) } ?? []
        let view = PairingGoalView(space, goal: goal, form: form, issues: issues, revisions: revisions)
        return try await req.page("pairing-goal", title: "\(view.heading) — \(space.programme.name)", view, status: status)
    }

    /// The goal the form describes, whether its progress is to be counted from done tasks, and the problems only
    /// the form can have (a choice or a number that is not one). The service checks the rest.
    static func goalContent(from form: [String: String]) -> (content: GoalContent, fromTasks: Bool, issues: [FieldIssue]) {
        var issues: [FieldIssue] = []
        let learner = GoalLearner(rawValue: form["learner"] ?? "")
        if learner == nil { issues.append(FieldIssue(field: "learner", message: "Choose who learns from this goal.")) }
        let status = GoalStatus(rawValue: form["status"] ?? GoalStatus.open.rawValue)
        if status == nil { issues.append(FieldIssue(field: "status", message: "Choose the goal's status: open, achieved or dropped.")) }
        let tasks = tasks(from: form["tasks"] ?? "")
        let progressText = (form["progress"] ?? "").trimmed
        var progress = 0
        var fromTasks = false
        if progressText.isEmpty {
            if tasks.isEmpty {
                issues.append(
                    FieldIssue(
                        field: "progress", message: "Give the progress from 0 to 100, or list tasks so it is counted from those done."))
            } else {
                fromTasks = true
            }
        } else if let number = Int(progressText.hasSuffix("%") ? String(progressText.dropLast()).trimmed : progressText) {
            progress = number
        } else {
            issues.append(
                FieldIssue(field: "progress", message: "Progress is a whole number from 0 to 100; “\(progressText.prefix(40))” is not."))
        }
        let content = GoalContent(
            learner: learner ?? .mentee, title: form["title"] ?? "", measure: form["measure"] ?? "",
            targetDate: form["targetDate"], tasks: tasks, progress: progress, status: status ?? .open)
        return (content, fromTasks, issues)
    }

    /// One task a line; "[x] " (or "[X]") in front marks it done, "[ ] " not yet.
    static func tasks(from text: String) -> [GoalTask] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            var title = String(line).trimmed
            var done = false
            for (mark, isDone) in [("[x]", true), ("[X]", true), ("[ ]", false)] where title.hasPrefix(mark) {
                title = String(title.dropFirst(mark.count)).trimmed
                done = isDone
            }
            return title.isEmpty ? nil : GoalTask(title: title, done: done)
        }
    }

    /// Every problem with the form at once: the form's own, then what the service's rules say.
    static func goalProblems(_ read: (content: GoalContent, fromTasks: Bool, issues: [FieldIssue])) -> [FieldIssue] {
        guard !read.issues.isEmpty else { return [] }
        do {
            _ = try PairingSpaceService.validated(read.content, progressFromTasks: read.fromTasks)
            return read.issues
        } catch let invalid as InvalidInput {
            return read.issues + invalid.issues.filter { issue in !read.issues.contains { $0.field == issue.field } }
        } catch {
            return read.issues
        }
    }

    func addGoal(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        let read = Self.goalContent(from: form)
        let typed = PairingGoalView.Form(typed: form)
        let problems = Self.goalProblems(read)
        if !problems.isEmpty {
            return try await goalPage(req, space, goal: nil, form: typed, issues: problems, status: .unprocessableEntity)
        }
        let back = WebRoute.pairing.link(space.pairingID)
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                let goal = try await req.pairingSpace.addGoal(space, read.content, progressFromTasks: read.fromTasks)
                return req.redirect(to: back + "#goals", flash: "Goal set: “\(goal.title)”.")
            } catch let invalid as InvalidInput {
                return try await goalPage(req, space, goal: nil, form: typed, issues: invalid.issues, status: .unprocessableEntity)
            }
        }
    }

    func updateGoal(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let goal = try await service.goal(space, req.parameters.get("goalID", as: UUID.self))
        let form = try form(req)
        let typed = PairingGoalView.Form(typed: form)
        let read = Self.goalContent(from: form)
        var problems = Self.goalProblems(read)
        let revision = form["revision"].flatMap { Int($0.trimmed) }
        if revision == nil {
            problems.append(
                FieldIssue(
                    field: "revision", message: "The form did not say which revision you edited. Open the goal again and make your change.")
            )
        }
        if !problems.isEmpty {
            return try await goalPage(req, space, goal: goal, form: typed, issues: problems, status: .unprocessableEntity)
        }
        let back = try WebRoute.goal.link(space.pairingID, goal.requireID())
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                let saved = try await service.updateGoal(
                    space, goal.id, read.content, why: form["why"], basedOn: revision,
                    progressFromTasks: read.fromTasks)
                return req.redirect(
                    to: back, flash: saved.revision == goal.revision ? "Nothing changed." : "Saved as revision \(saved.revision).")
            } catch let invalid as InvalidInput {
                return try await goalPage(req, space, goal: goal, form: typed, issues: invalid.issues, status: .unprocessableEntity)
            } catch let problem as Problem where problem.status == .conflict && goal.revision != revision {
                // Someone else's change came first: their goal and history above, what this member typed kept below.
                return try await goalPage(
                    req, space, goal: goal, form: typed,
                    issues: [
                        FieldIssue(field: "revision", message: problem.detail + " Your text is kept below: save again to replace theirs.")
                    ], status: .conflict)
            }
        }
    }
}
