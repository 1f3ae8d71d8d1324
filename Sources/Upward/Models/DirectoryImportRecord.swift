import Fluent
import Foundation

/// One applied directory import: who, when, and what changed.
final class DirectoryImportRecord: Model, @unchecked Sendable {
    static let schema = "directory_imports"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "imported_by") var importedBy: String?
    @Field(key: "source") var source: String
    @Field(key: "created_count") var createdCount: Int
    @Field(key: "updated_count") var updatedCount: Int
    @Field(key: "unchanged_count") var unchangedCount: Int
    @Field(key: "leaver_count") var leaverCount: Int
    @Field(key: "invited_count") var invitedCount: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
