import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

// MARK: Preferences

extension MatchingService {
    /// Wishes can be set while people are selected and matched.
    static func preferencesOpen(_ programme: Programme) -> Bool { programme.status == .selecting || programme.status == .matching }

    /// Whom a participant may name as a wish: the other selected people they could be matched with (the other side;
    /// in `twoWay`, and for those who applied as both, anyone selected). Persons loaded, by name.
    func preferenceCandidates(for application: ProgrammeApplication, in programme: Programme) async throws -> [ProgrammeApplication] {
        try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status == .selected).filter(\.$id != application.requireID()).with(\.$person).all()
            .filter { programme.format == .twoWay || $0.role.mentors != application.role.mentors || $0.role == .both }
            .sorted { $0.person.name < $1.person.name }
    }

    /// A participant's private wishes: people they would like to be matched with and would rather not be.
    func setPreferences(_ application: ProgrammeApplication, preferred: [UUID], avoided: [UUID], programme: Programme) async throws {
        guard Self.preferencesOpen(programme) else {
            throw Problem(.conflict, "Preferences can be set while selection or matching is going on; “\(programme.name)” is \(programme.status.rawValue).")
        }
        let both = Set(preferred).intersection(avoided)
        if !both.isEmpty {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "Someone cannot be both preferred and avoided.")])
        }
        if preferred.contains(application.$person.id) || avoided.contains(application.$person.id) {
            throw InvalidInput(issues: [FieldIssue(field: "preferred", message: "Name other people, not yourself.")])
        }
        let candidates = Set(try await preferenceCandidates(for: application, in: programme).map { $0.$person.id })
        if let stranger = (preferred + avoided).first(where: { !candidates.contains($0) }) {
            let field = preferred.contains(stranger) ? "preferred" : "avoided"
            throw InvalidInput(issues: [FieldIssue(field: field, message:
                "\(stranger) cannot be matched with you in this programme: name people selected on the other side (the preferences page lists them).")])
        }
        application.preferred = Array(Set(preferred)).sorted { $0.uuidString < $1.uuidString }
        application.avoided = Array(Set(avoided)).sorted { $0.uuidString < $1.uuidString }
        try await application.save(on: database)
    }
}
