import Fluent
import Foundation
import Vapor

// MARK: What the coordinator sees: counts and dates, never the pair's words

extension PairingSpaceService {
    /// One pairing as the coordinator sees it: whether and when the agreement was signed, goal counts and progress,
    /// meetings held and cancelled, who acknowledged the preparation. No agreement text, goal text or note.
    struct PairingSummary: Sendable {
        var pairingID: UUID
        var agreementVersion: Int?
        var signedAt: Date?
        var goalsOpen = 0, goalsAchieved = 0, goalsDropped = 0
        /// Mean progress of the goals not dropped, 0–100.
        var meanProgress: Int?
        var meetings = MeetingStats()
        /// Person ids of the members who acknowledged the preparation.
        var prepared: [UUID] = []
    }

    /// Summaries of every pairing of a programme (or only of `only`), in five queries whatever its size.
    func summaries(of programme: Programme, only: UUID? = nil) async throws -> [UUID: PairingSummary] {
        var started = try Pairing.query(on: database).filter(\.$programme.$id == programme.requireID()).filter(\.$status ~~ PairingStatus.started)
        if let only { started = started.filter(\.$id == only) }
        let pairings = try await started.field(\.$id).all()
        let ids = pairings.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        var out = Dictionary(uniqueKeysWithValues: ids.map { ($0, PairingSummary(pairingID: $0)) })
        let agreements = try await Agreement.query(on: database).filter(\.$pairing.$id ~~ ids)
            .field(\.$id).field(\.$pairing.$id).field(\.$version).all()
        let latest = Dictionary(grouping: agreements, by: { $0.$pairing.id }).compactMapValues { $0.max { $0.version < $1.version } }
        let signatures = try await AgreementSignature.query(on: database).filter(\.$agreement.$id ~~ latest.values.compactMap(\.id)).all()
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ ids).filter(\.$answer == .accepted)
            .field(\.$id).field(\.$pairing.$id).field(\.$person.$id).field(\.$preparedAt).all()
        let membersOf = Dictionary(grouping: members, by: { $0.$pairing.id })
        let signaturesOf = Dictionary(grouping: signatures, by: { $0.$agreement.id })
        for (pairingID, agreement) in latest {
            out[pairingID]?.agreementVersion = agreement.version
            let signed = signaturesOf[agreement.id ?? UUID()] ?? []
            let everyone = Set((membersOf[pairingID] ?? []).map { $0.$person.id })
            if !everyone.isEmpty, everyone.isSubset(of: Set(signed.map(\.personID))) {
                out[pairingID]?.signedAt = signed.map(\.signedAt).max()
            }
        }
        for member in members where member.preparedAt != nil { out[member.$pairing.id]?.prepared.append(member.$person.id) }
        let goals = try await Goal.query(on: database).filter(\.$pairing.$id ~~ ids).field(\.$pairing.$id).field(\.$status).field(\.$progress).all()
        for (pairingID, list) in Dictionary(grouping: goals, by: { $0.$pairing.id }) {
            out[pairingID]?.goalsOpen = list.filter { $0.status == .open }.count
            out[pairingID]?.goalsAchieved = list.filter { $0.status == .achieved }.count
            out[pairingID]?.goalsDropped = list.filter { $0.status == .dropped }.count
            let counted = list.filter { $0.status != .dropped }
            out[pairingID]?.meanProgress = counted.isEmpty ? nil : counted.map(\.progress).reduce(0, +) / counted.count
        }
        let meetings = try await Meeting.query(on: database).filter(\.$pairing.$id ~~ ids)
            .field(\.$pairing.$id).field(\.$status).field(\.$cancelledBySide).field(\.$endsAt).field(\.$logged).all()
        let now = now
        for meeting in meetings {
            out[meeting.$pairing.id]?.meetings.add(meeting.status, side: meeting.cancelledBySide, end: meeting.endsAt, logged: meeting.logged, now: now)
        }
        return out
    }

    /// The counts for one pairing as its members see them.
    func stats(_ space: Space) async throws -> MeetingStats {
        MeetingStats(try await meetings(space), now: now)
    }
}
