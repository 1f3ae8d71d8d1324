import Fluent
import Foundation

/// Who learns, by the side of the pairing they are on: in the reverse format the mentee is the senior learner.
enum GoalLearner: String, Codable, CaseIterable, Sendable {
    case mentee, mentor, both
}

enum GoalStatus: String, Codable, CaseIterable, Sendable {
    case open, achieved, dropped

    var label: String { rawValue.capitalized }
}

/// A task or milestone on the way to a goal.
struct GoalTask: Codable, Equatable, Sendable {
    var title: String
    var done: Bool
}

/// What a goal says at one revision: kept whole in each revision, so its history reads without reconstruction.
struct GoalContent: Codable, Equatable, Sendable {
    var learner: GoalLearner
    var title: String
    /// How the pair will know it is achieved.
    var measure: String
    /// `yyyy-MM-dd`, or nil.
    var targetDate: String?
    var tasks: [GoalTask]
    /// 0–100.
    var progress: Int
    var status: GoalStatus
}

/// A goal inside a pairing. Either member edits it; every change is a `GoalRevision`.
final class Goal: Model, @unchecked Sendable {
    static let schema = "goals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    @Enum(key: "learner") var learner: GoalLearner
    @Field(key: "title") var title: String
    @Field(key: "measure") var measure: String
    @OptionalField(key: "target_date") var targetDate: String?
    @Field(key: "tasks") var tasksJSON: String
    @Field(key: "progress") var progress: Int
    @Enum(key: "status") var status: GoalStatus
    /// The number of the latest revision (1 when created).
    @Field(key: "revision") var revision: Int
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    @JSONColumn(\Goal.$tasksJSON, default: []) var tasks: [GoalTask]

    var content: GoalContent {
        get { GoalContent(learner: learner, title: title, measure: measure, targetDate: targetDate, tasks: tasks, progress: progress, status: status) }
        set {
            (learner, title, measure, targetDate, tasks) = (newValue.learner, newValue.title, newValue.measure, newValue.targetDate, newValue.tasks)
            (progress, status) = (newValue.progress, newValue.status)
        }
    }
}

/// One change of a goal: who, when, why, and the goal as it was after it.
final class GoalRevision: Model, @unchecked Sendable {
    static let schema = "goal_revisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "goal_id") var goal: Goal
    @Field(key: "revision") var revision: Int
    @Field(key: "content") var contentJSON: String
    @Field(key: "changed_by") var changedBy: UUID
    @OptionalField(key: "why") var why: String?
    @Field(key: "changed_at") var changedAt: Date

    init() {}

    @JSONColumn(\GoalRevision.$contentJSON, default: GoalContent(learner: .mentee, title: "", measure: "", targetDate: nil, tasks: [],
                                                                   progress: 0, status: .open))
    var content: GoalContent
}
