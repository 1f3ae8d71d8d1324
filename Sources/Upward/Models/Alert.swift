import Fluent
import Foundation

enum AlertStatus: String, Codable, CaseIterable, Sendable {
    case open, acknowledged, resolved
}

/// A health signal raised on a pairing for the coordinator (DESIGN.md, "Alert"): what it is, the suggested action,
/// and who handled it. Never shown to the partner of the member whose answer raised it.
final class Alert: Model, @unchecked Sendable {
    static let schema = "alerts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    @Field(key: "programme_id") var programmeID: UUID
    @Enum(key: "kind") var kind: SignalKind
    @Field(key: "detail") var detail: String
    @Field(key: "action") var action: String
    @OptionalField(key: "raised_by") var raisedBy: UUID?
    @Field(key: "raised_at") var raisedAt: Date
    @Enum(key: "status") var status: AlertStatus
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "handled_by") var handledBy: String?
    @OptionalField(key: "handled_at") var handledAt: Date?
    /// "pairing:kind" while the alert is not resolved: the unique index that lets one alert of a kind be open per
    /// pairing, however many workers evaluate at once.
    @OptionalField(key: "open_key") var openKey: String?

    init() {}

    static func openKey(_ pairingID: UUID, _ kind: SignalKind) -> String { "\(pairingID.uuidString.lowercased()):\(kind.rawValue)" }
}
