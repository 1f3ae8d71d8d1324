import Fluent
import Foundation

/// A published match — a pair, or a board with several advisors — that everyone in it accepts or declines.
enum PairingStatus: String, Codable, Sendable {
    /// Published, waiting for everyone's answer.
    case awaitingConsent
    /// Everyone accepted.
    case active
    /// Someone declined (or, for a board, every advisor did) or the deadline passed: the people are free again.
    case declined, expired
    case completed, endedEarly

    var label: String {
        switch self {
        case .awaitingConsent: "Waiting for answers"
        case .active: "Active"
        case .declined: "Declined"
        case .expired: "No answer in time"
        case .completed: "Completed"
        case .endedEarly: "Ended early"
        }
    }

    /// Holds its people: they cannot be proposed elsewhere in the programme.
    var isLive: Bool { Self.live.contains(self) }
    static let live: [PairingStatus] = [.awaitingConsent, .active]

    /// Everyone accepted at some point: the pairing has (or had) a shared space, and counts as an earlier pair.
    var hasStarted: Bool { Self.started.contains(self) }
    static let started: [PairingStatus] = [.active, .completed, .endedEarly]
}

final class Pairing: Model, @unchecked Sendable {
    static let schema = "pairings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "run_id") var run: MatchingRun
    @Enum(key: "status") var status: PairingStatus
    @Field(key: "deadline") var deadline: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// When everyone had accepted.
    @OptionalField(key: "activated_at") var activatedAt: Date?
    /// A no-fault ending: when, by which member (or, by name, which coordinator), and why. The reason is the
    /// coordinator's to read; the other members are told kindly that it ended, never why.
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "ended_by_person") var endedByPerson: UUID?
    @OptionalField(key: "ended_by_coordinator") var endedByCoordinator: String?
    @OptionalField(key: "end_reason") var endReason: String?
    /// When the coordinator last suggested a re-think session to the pair.
    @OptionalField(key: "rethink_suggested_at") var rethinkSuggestedAt: Date?
    @Children(for: \.$pairing) var members: [PairingMember]

    init() {}
}

enum MemberSide: String, Codable, Sendable {
    case mentor, mentee
}

enum ConsentAnswer: String, Codable, Sendable {
    case pending, accepted, declined, expired
}

/// One person in a pairing, their answer and (private to them and the coordinator) their reason.
final class PairingMember: Model, @unchecked Sendable {
    static let schema = "pairing_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    @Parent(key: "application_id") var application: ProgrammeApplication
    @Parent(key: "person_id") var person: Person
    @Enum(key: "side") var side: MemberSide
    @Enum(key: "answer") var answer: ConsentAnswer
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    /// The score and the participant-safe explanation this member sees.
    @Field(key: "score") var score: Double
    @Field(key: "explanation") var explanation: String
    @OptionalField(key: "nudged_at") var nudgedAt: Date?
    /// When they acknowledged the programme's preparation (and, on an inclusion programme, its brief).
    @OptionalField(key: "prepared_at") var preparedAt: Date?

    init() {}
}

/// A seat a person holds in a programme's live pairings. The unique index on (programme, person, seat) is what
/// makes double-booking impossible, even when two coordinators publish at once: the second insert fails.
final class PairingSeat: Model, @unchecked Sendable {
    static let schema = "pairing_seats"

    @ID(key: .id) var id: UUID?
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "seat") var seat: Int
    @Field(key: "member_id") var memberID: UUID

    init() {}
}
