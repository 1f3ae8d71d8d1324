import Fluent
import Foundation

/// Where a matching run stands. Runs on big programmes work in the background and report progress.
enum RunStatus: String, Codable, Sendable {
    case running, done, failed
}

/// One solve over a programme's selected applications, with the settings it used and what it proposed.
final class MatchingRun: Model, @unchecked Sendable {
    static let schema = "matching_runs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "number") var number: Int
    @Enum(key: "status") var status: RunStatus
    /// 0…1 while running.
    @Field(key: "progress") var progress: Double
    @Field(key: "settings") var settingsJSON: String
    /// The coordinator's adjustments this run was made with: pins and forbidden pairs (application ids).
    @Field(key: "pins") var pinsJSON: String
    @Field(key: "forbidden") var forbiddenJSON: String
    /// The proposals and the unmatched, once done, with the coordinator's adjustments (the current revision).
    @Field(key: "result") var resultJSON: String
    /// The result exactly as the engine computed it; adjustments never change it, so runs compare honestly.
    /// Nil for runs stored before revisions were kept: their result is then the best record there is.
    @OptionalField(key: "computed") var computedJSON: String?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "seconds") var seconds: Double?
    @Field(key: "created_by") var createdBy: String
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    /// Pinned and ruled-out pairs as [mentee application, mentor application].
    @JSONColumn(\MatchingRun.$pinsJSON, default: []) var pins: [[UUID]]
    @JSONColumn(\MatchingRun.$forbiddenJSON, default: []) var forbidden: [[UUID]]
}
