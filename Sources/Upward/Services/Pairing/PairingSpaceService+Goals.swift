import Fluent
import Foundation
import Vapor

// MARK: Goals that evolve

extension PairingSpaceService {
    /// Goals one pairing keeps, open or not.
    static let goalsPerPairing = 100

    /// Who learns, in this programme's words: "Alex learns" for a pair, the holder or the advisors on a board.
    static func learnerLabel(_ learner: GoalLearner, in space: Space) -> String {
        let names = { (side: MemberSide) in space.members.filter { $0.side == side }.map(\.person.name).joined(separator: " and ") }
        switch learner {
        case .both: return "Both of us learn"
        case .mentee: return "\(names(.mentee)) learns"
        case .mentor: return space.isBoard ? "The advisors learn" : "\(names(.mentor)) learns"
        }
    }

    /// The learner a new goal starts with: in the reverse format the senior (the mentee) learns.
    static func defaultLearner(for format: ProgrammeFormat) -> GoalLearner { format == .twoWay ? .both : .mentee }

    /// `content` tidied (texts trimmed, progress from done tasks when asked) and checked. Every problem names its field.
    static func validated(_ content: GoalContent, progressFromTasks: Bool = false) throws -> GoalContent {
        var c = content
        c.title = c.title.trimmed
        c.measure = c.measure.trimmed
        c.targetDate = c.targetDate?.trimmed.nilIfEmpty
        c.tasks = c.tasks.map { GoalTask(title: $0.title.trimmed, done: $0.done) }.filter { !$0.title.isEmpty }
        if progressFromTasks, !c.tasks.isEmpty { c.progress = c.tasks.filter(\.done).count * 100 / c.tasks.count }
        var issues = TextLimit.problems([("title", c.title, TextLimit.line), ("measure", c.measure, TextLimit.paragraph)])
        issues += TextLimit.problems(list: "tasks", c.tasks.map(\.title))
        if c.title.isEmpty { issues.append(FieldIssue(field: "title", message: "Give the goal a title, such as “Use our analytics dashboard unaided”.")) }
        if let day = c.targetDate, Day(day) == nil {
            issues.append(FieldIssue(field: "targetDate", message: "The target date must be written yyyy-mm-dd, such as 2027-03-01; “\(day.prefix(40))” is not."))
        }
        if !(0...100).contains(c.progress) {
            issues.append(FieldIssue(field: "progress", message: "Progress is a share from 0 to 100; it was \(c.progress)."))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return c
    }

    /// The pairing's goals, open first, then by when they were set.
    func goals(_ space: Space) async throws -> [Goal] {
        let goals = try await Goal.query(on: database).filter(\.$pairing.$id == space.pairingID).sort(\.$createdAt).all()
        let order: [GoalStatus: Int] = [.open: 0, .achieved: 1, .dropped: 2]
        return goals.enumerated().sorted { (order[$0.element.status] ?? 3, $0.offset) < (order[$1.element.status] ?? 3, $1.offset) }.map(\.element)
    }

    func goal(_ space: Space, _ goalID: UUID?) async throws -> Goal {
        guard let goalID, let goal = try await Goal.query(on: database).filter(\.$id == goalID).filter(\.$pairing.$id == space.pairingID).first() else {
            throw Problem(.notFound, "This pairing has no goal with that id.")
        }
        return goal
    }

    /// A goal's history, newest first.
    func revisions(of goal: Goal) async throws -> [GoalRevision] {
        try await GoalRevision.query(on: database).filter(\.$goal.$id == goal.requireID()).sort(\.$revision, .descending).all()
    }

    @discardableResult
    func addGoal(_ space: Space, _ content: GoalContent, why: String? = nil, progressFromTasks: Bool = false) async throws -> Goal {
        try space.requireWritable()
        let content = try Self.validated(content, progressFromTasks: progressFromTasks)
        try TextLimit.check([("why", why, TextLimit.paragraph)])
        let pairingID = space.pairingID, author = space.myPersonID
        let count = try await Goal.query(on: database).filter(\.$pairing.$id == pairingID).count()
        guard count < Self.goalsPerPairing else {
            throw Problem(.conflict, "This pairing already has \(count) goals, the most one pairing keeps; drop or revise one instead.")
        }
        return try await database.writeTransaction { db in
            let goal = Goal()
            goal.$pairing.id = pairingID
            goal.content = content
            goal.revision = 1
            goal.createdBy = author
            try await goal.create(on: db)
            try await record(goal, by: author, why: why, on: db)
            return goal
        }
    }

    /// Changes a goal; each change is kept as a revision with who, when and why. The same content again changes
    /// nothing. `revision` is the one the member edited: a goal changed meanwhile is not overwritten.
    @discardableResult
    func updateGoal(_ space: Space, _ goalID: UUID?, _ content: GoalContent, why: String?, basedOn revision: Int? = nil,
                    progressFromTasks: Bool = false) async throws -> Goal {
        try space.requireWritable()
        let content = try Self.validated(content, progressFromTasks: progressFromTasks)
        try TextLimit.check([("why", why, TextLimit.paragraph)])
        let id = try await goal(space, goalID).requireID()
        let author = space.myPersonID
        return try await database.writeTransaction { db in
            try await db.lockForWriting(Goal.schema, id: id)
            guard let goal = try await Goal.find(id, on: db) else { throw Problem(.notFound, "This pairing has no goal with that id.") }
            if let revision, revision != goal.revision {
                throw Problem(.conflict, "Your partner changed this goal while you were editing it (revision \(goal.revision) is current, you edited \(revision)). Open it again to see their change.")
            }
            if goal.content == content { return goal }
            goal.content = content
            goal.revision += 1
            try await goal.save(on: db)
            try await record(goal, by: author, why: why, on: db)
            return goal
        }
    }

    private func record(_ goal: Goal, by author: UUID, why: String?, on db: any Database) async throws {
        let revision = GoalRevision()
        revision.$goal.id = try goal.requireID()
        revision.revision = goal.revision
        revision.content = goal.content
        revision.changedBy = author
        revision.why = why?.trimmed.nilIfEmpty
        revision.changedAt = clock.now()
        try await revision.create(on: db)
    }

    /// For a two-way programme, the directions without an open or achieved goal yet ("each way" is expected).
    static func missingDirections(_ goals: [Goal], format: ProgrammeFormat) -> [GoalLearner] {
        guard format == .twoWay else { return [] }
        let live = goals.filter { $0.status != .dropped }.map(\.learner)
        return [GoalLearner.mentee, .mentor].filter { side in !live.contains(side) && !live.contains(.both) }
    }

    /// What changed from one revision to the next, in words ("Progress 20% → 50%; task “Demo” done").
    static func changes(from old: GoalContent?, to new: GoalContent) -> [String] {
        guard let old else { return ["Set"] }
        var out: [String] = []
        if old.title != new.title { out.append("Title: “\(old.title)” → “\(new.title)”") }
        if old.measure != new.measure { out.append("How we will know changed") }
        if old.targetDate != new.targetDate { out.append("Target date \(old.targetDate ?? "none") → \(new.targetDate ?? "none")") }
        if old.learner != new.learner { out.append("Who learns changed") }
        if old.progress != new.progress { out.append("Progress \(old.progress)% → \(new.progress)%") }
        if old.status != new.status { out.append("Status \(old.status.rawValue) → \(new.status.rawValue)") }
        if old.tasks != new.tasks {
            let oldDone = Set(old.tasks.filter(\.done).map(\.title))
            let newlyDone = new.tasks.filter { $0.done && !oldDone.contains($0.title) }.map { "task “\($0.title)” done" }
            out.append(newlyDone.isEmpty ? "Tasks changed" : newlyDone.joined(separator: "; "))
        }
        return out.isEmpty ? ["No change"] : out
    }
}
