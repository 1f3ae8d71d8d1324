import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

// MARK: Profiles

extension MatchingService {

    struct Pool: Sendable {
        var mentees: [Participant]
        var mentors: [Participant]
        /// Participant id (a person id) → application.
        var applicationOf: [String: ProgrammeApplication]
        var people: [UUID: Person]
    }

    /// The selected applicants as engine profiles. Participant ids are person ids, so reporting lines, shortlists,
    /// blocks and earlier partners all speak of people. In `twoWay` everyone teaches and learns; the engine pairs
    /// the junior half with the senior half.
    func pool(for programme: Programme) async throws -> Pool {
        let selected = try await selected(in: programme)
        let sides = Self.sides(selected, format: programme.format)
        return try await pool(mentees: sides.mentees, mentors: sides.mentors, programme: programme)
    }

    /// The programme's selected applications, persons loaded.
    func selected(in programme: Programme) async throws -> [ProgrammeApplication] {
        try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .matchable().with(\.$person).all()
    }

    /// A pool of just these selected applications (a hand-made pair or a swap), without loading the others.
    func pool(mentees: [UUID], mentors: [UUID], programme: Programme) async throws -> Pool {
        let rows = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == programme.requireID())
            .matchable().filter(\.$id ~~ Set(mentees + mentors)).with(\.$person).all()
        return try await pool(mentees: rows.filter { $0.id.map(mentees.contains) ?? false },
                              mentors: rows.filter { $0.id.map(mentors.contains) ?? false }, programme: programme)
    }

    /// Profiles of these applications (persons loaded): each person's reporting line, earlier partners, skills,
    /// availability and consented diversity. Loads only the managers above them, a level at a time.
    private func pool(mentees menteeRows: [ProgrammeApplication], mentors mentorRows: [ProgrammeApplication], programme: Programme) async throws -> Pool {
        let selected = menteeRows + mentorRows
        let managers = try await reportingLines(above: selected.map(\.person))
        let earlier = try await earlierPartners(of: selected.map { $0.$person.id }, outside: programme.requireID())
        func profile(_ a: ProgrammeApplication) throws -> Participant {
            let person = a.person
            let personID = try person.requireID()
            let offset = person.timeZone.flatMap(TimeZone.init(identifier:)).map { Double($0.secondsFromGMT()) / 3600 }
                ?? a.timeZone.flatMap(TimeZone.init(identifier:)).map { Double($0.secondsFromGMT()) / 3600 }
            let diversity = a.diversityConsent ? JSONText.decode([String: String].self, person.diversity ?? "{}") : [:]
            return Participant(
                id: personID.uuidString, name: person.name, level: person.level, department: person.department,
                managers: (managers[personID] ?? []).map(\.uuidString),
                skillsOffered: Dictionary(a.skillsOffered.map { ($0.name.lowercased(), $0.level) }, uniquingKeysWith: max),
                skillsSought: Dictionary(a.skillsSought.map { ($0.name.lowercased(), $0.level) }, uniquingKeysWith: max),
                interests: a.interests.map { $0.lowercased() }, values: a.values.map { $0.lowercased() }, topics: a.topics.map { $0.lowercased() },
                channels: a.communication.compactMap { Participant.Channel(rawValue: $0.rawValue) },
                availability: a.availability.map(Self.slot), utcOffset: offset, diversity: diversity,
                shortlist: a.preferred.map(\.uuidString), blocks: a.avoided.map(\.uuidString),
                earlierPartners: (earlier[personID] ?? []).map(\.uuidString))
        }
        var applicationOf: [String: ProgrammeApplication] = [:]
        for a in selected { applicationOf[a.$person.id.uuidString] = a }
        return Pool(mentees: try menteeRows.map(profile), mentors: try mentorRows.map(profile), applicationOf: applicationOf,
                    people: Dictionary(selected.map { ($0.$person.id, $0.person) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Each person's managers, nearest first, up to 20 levels: one query per level of the hierarchy for everyone
    /// at once, never the whole directory.
    func reportingLines(above people: [Person]) async throws -> [UUID: [UUID]] {
        var byExternal: [String: Person] = [:]
        var wanted = Set(people.compactMap(\.managerExternalID))
        for _ in 0..<20 where !wanted.isEmpty {
            var found: [Person] = []
            for batch in Array(wanted).chunks(of: 1000) {
                found += try await Person.query(on: database).filter(\.$externalID ~~ Array(batch)).all()
            }
            for manager in found { byExternal[manager.externalID] = manager }
            wanted = Set(found.compactMap(\.managerExternalID)).subtracting(byExternal.keys)
        }
        var lines: [UUID: [UUID]] = [:]
        for person in people {
            guard let id = person.id else { continue }
            var chain: [UUID] = []
            var next = person.managerExternalID
            while let external = next, let manager = byExternal[external], let managerID = manager.id, chain.count < 20 {
                chain.append(managerID)
                next = manager.managerExternalID
            }
            lines[id] = chain
        }
        return lines
    }

    /// People each of `people` was paired with in other programmes (active, completed or ended early).
    func earlierPartners(of people: [UUID], outside programmeID: UUID) async throws -> [UUID: Set<UUID>] {
        guard !people.isEmpty else { return [:] }
        var earlier: [UUID: Set<UUID>] = [:]
        var memberships: [PairingMember] = []
        for batch in people.chunks(of: 1000) {
            memberships += try await PairingMember.query(on: database).filter(\.$person.$id ~~ Array(batch))
                .join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
                .filter(Pairing.self, \.$programme.$id != programmeID)
                .filter(Pairing.self, \.$status ~~ PairingStatus.started).all()
        }
        let pairingIDs = Array(Set(memberships.map { $0.$pairing.id }))
        var all: [PairingMember] = []
        for batch in pairingIDs.chunks(of: 1000) {
            all += try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ Array(batch)).all()
        }
        let byPairing = Dictionary(grouping: all, by: { $0.$pairing.id })
        for m in memberships {
            for other in byPairing[m.$pairing.id] ?? [] where other.$person.id != m.$person.id {
                earlier[m.$person.id, default: []].insert(other.$person.id)
            }
        }
        return earlier
    }

    /// Which selected applications the engine treats as mentees and which as mentors (persons loaded), by level.
    /// In `twoWay` everyone teaches and learns: the junior half are the engine's mentors, the senior half its mentees.
    static func sides(_ selected: [ProgrammeApplication], format: ProgrammeFormat) -> (mentees: [ProgrammeApplication], mentors: [ProgrammeApplication]) {
        let ordered = selected.sorted { ($0.person.level, $0.person.externalID) < ($1.person.level, $1.person.externalID) }
        if format == .twoWay {
            let half = ordered.count / 2
            return (Array(ordered[half...]), Array(ordered[..<half]))
        }
        return (ordered.filter { $0.role == .mentee }, ordered.filter { $0.role != .mentee })
    }

    /// "Tue morning" → the engine's "tue-am".
    static func slot(_ text: String) -> String {
        let parts = text.lowercased().split(separator: " ")
        guard parts.count == 2 else { return text.lowercased() }
        return "\(parts[0])-\(parts[1] == "morning" ? "am" : "pm")"
    }
}

extension QueryBuilder where Model == ProgrammeApplication {
    /// The applications a matching run may pair: selected, and not someone whose pairing ended early and who has
    /// not asked for a new partner (`RematchAnswer`).
    func matchable() -> Self {
        filter(\.$status == .selected).group(.or) { $0.filter(\.$rematch == nil).filter(\.$rematch == .wanted) }
    }
}
