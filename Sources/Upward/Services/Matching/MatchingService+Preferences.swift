import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

// MARK: Preferences

extension MatchingService {
    /// A participant's private wishes: people they would like to be matched with and would rather not be.
    func setPreferences(_ application: ProgrammeApplication, preferred: [UUID], avoided: [UUID], programme: Programme) async throws {
        guard programme.status == .selecting || programme.status == .matching else {
            throw Problem(.conflict, "Preferences can be set while selection or matching is going on; “\(programme.name)” is \(programme.status.rawValue).")
        }
        let both = Set(preferred).intersection(avoided)
        if !both.isEmpty {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "Someone cannot be both preferred and avoided.")])
        }
        if preferred.contains(application.$person.id) || avoided.contains(application.$person.id) {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "Name other people, not yourself.")])
        }
        let known = Set(try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID()).all().map { $0.$person.id })
        if let stranger = (preferred + avoided).first(where: { !known.contains($0) }) {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "\(stranger) has not applied to this programme.")])
        }
        application.preferred = Array(Set(preferred)).sorted { $0.uuidString < $1.uuidString }
        application.avoided = Array(Set(avoided)).sorted { $0.uuidString < $1.uuidString }
        try await application.save(on: database)
    }
}
