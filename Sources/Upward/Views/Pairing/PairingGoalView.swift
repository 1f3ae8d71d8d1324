import Foundation

/// A goal's page (`pairing-goal.leaf`): the form to set or revise it and, for an existing goal, its history.
struct PairingGoalView: Encodable {
    struct Choice: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Revision: Encodable {
        var number: Int
        var by: String
        var when: String
        var why: String?
        var changes: [String]
    }

    /// The goal as it stands, above its form.
    struct Current: Encodable {
        var title: String
        var learner: String
        var measure: String
        var targetDate: String?
        var progress: Int
        var status: String
        /// For the badge's CSS class only.
        var statusKey: String
        var tasks: [GoalTask]
    }

    var crumbs: PairingCrumbs
    var isNew: Bool
    var heading: String
    var action: String
    var writable: Bool
    var current: Current?
    var learners: [Choice]
    var learnerError: String?
    var title: FieldState
    var measure: FieldState
    var targetDate: FieldState
    var tasks: FieldState
    var progress: FieldState
    var statuses: [SelectOption]
    var why: FieldState
    /// The revision the form edits: a goal changed meanwhile is not overwritten.
    var revision: Int?
    var errorList: [String]
    var history: [Revision]

    /// The form's fields, as typed (when it comes back with problems) or as the goal stands.
    struct Form {
        var learner: String
        var title: String
        var measure: String
        var targetDate: String
        var tasks: String
        var progress: String
        var status: String
        var why: String

        /// A new goal's empty form.
        init(newIn format: ProgrammeFormat) {
            (learner, title, measure, targetDate, tasks, progress, status, why) =
                (PairingSpaceService.defaultLearner(for: format).rawValue, "", "", "", "", "0", GoalStatus.open.rawValue, "")
        }

        /// The goal as it stands. Progress shows only when it is not simply the share of done tasks, so an
        /// empty field keeps counting them.
        init(_ content: GoalContent) {
            learner = content.learner.rawValue
            title = content.title
            measure = content.measure
            targetDate = content.targetDate ?? ""
            tasks = PairingGoalView.tasksText(content.tasks)
            let counted = content.tasks.isEmpty ? nil : content.tasks.filter(\.done).count * 100 / content.tasks.count
            progress = counted == content.progress ? "" : String(content.progress)
            status = content.status.rawValue
            why = ""
        }

        init(typed form: [String: String]) {
            learner = form["learner"] ?? ""
            title = form["title"] ?? ""
            measure = form["measure"] ?? ""
            targetDate = form["targetDate"] ?? ""
            tasks = form["tasks"] ?? ""
            progress = form["progress"] ?? ""
            status = form["status"] ?? ""
            why = form["why"] ?? ""
        }
    }

    /// One task a line; a done one starts with "[x] ".
    static func tasksText(_ tasks: [GoalTask]) -> String {
        tasks.map { ($0.done ? "[x] " : "") + $0.title }.joined(separator: "\n")
    }

    init(_ space: PairingSpaceService.Space, goal: Goal?, form: Form, issues: [FieldIssue], revisions: [GoalRevision]) {
        let found = FormIssues(issues)
        let pairingID = space.pairingID
        crumbs = PairingCrumbs(space)
        isNew = goal == nil
        heading = goal.map { "Goal: \($0.title)" } ?? "Set a goal"
        action = goal.map { WebRoute.goal.link(pairingID, $0.id ?? UUID()) } ?? WebRoute.newGoal.link(pairingID)
        writable = space.isWritable
        current = goal.map {
            Current(
                title: $0.title, learner: PairingSpaceService.learnerLabel($0.learner, in: space), measure: $0.measure,
                targetDate: $0.targetDate, progress: $0.progress, status: $0.status.label, statusKey: $0.status.rawValue, tasks: $0.tasks)
        }
        learners = GoalLearner.allCases.map {
            Choice(value: $0.rawValue, label: PairingSpaceService.learnerLabel($0, in: space), checked: form.learner == $0.rawValue)
        }
        learnerError = found.byField["learner"]
        title = found.field("title", form.title)
        measure = found.field("measure", form.measure)
        targetDate = found.field("targetDate", form.targetDate)
        tasks = found.field("tasks", form.tasks)
        progress = found.field("progress", form.progress)
        statuses = GoalStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form.status == $0.rawValue) }
        why = found.field("why", form.why)
        revision = goal?.revision
        errorList = found.list
        // Newest first; each revision against the one before it.
        let ordered = revisions.sorted { $0.revision < $1.revision }
        let before: [GoalContent?] = [nil] + ordered.map { $0.content }
        history = zip(before, ordered).map { previous, revision in
            Revision(
                number: revision.revision, by: space.name(of: revision.changedBy),
                when: ZonedTime.moment(revision.changedAt, in: space.myZone), why: revision.why,
                changes: PairingSpaceService.changes(from: previous, to: revision.content))
        }
        history.reverse()
    }
}
