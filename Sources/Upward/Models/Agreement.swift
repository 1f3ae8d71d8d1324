import Fluent
import Foundation

/// The pair's ground rules, built from the programme's template with the pair's own parts (DESIGN.md, "Agreement").
struct AgreementTerms: Codable, Equatable, Sendable {
    /// What leaves the pair: by default nothing, unless both agree.
    var confidentiality: String
    /// Psychological safety, and how feedback is given.
    var psychologicalSafety: String
    /// Cadence and session length, from the programme.
    var cadence: String
    var channel: String
    var place: String
    /// From when to when the pair meets.
    var duration: String
    /// A `yyyy-MM-dd` day to look back together at halfway.
    var midpointReview: String
    /// Subjects the pair keeps out of their conversations.
    var offLimits: String
}

/// One version of a pairing's agreement. An edit after anyone signed makes a new version that everyone signs again;
/// earlier versions stay readable by the pair. The coordinator sees only whether and when it was signed.
final class Agreement: Model, @unchecked Sendable {
    static let schema = "agreements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    @Field(key: "version") var version: Int
    @Field(key: "terms") var termsJSON: String
    /// The person who wrote this version (nil for the first one, drawn from the programme's template).
    @OptionalField(key: "written_by") var writtenBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$agreement) var signatures: [AgreementSignature]

    init() {}

    @JSONColumn(\Agreement.$termsJSON, default: AgreementTerms(confidentiality: "", psychologicalSafety: "", cadence: "", channel: "",
                                                                 place: "", duration: "", midpointReview: "", offLimits: ""))
    var terms: AgreementTerms
}

/// One member's signature on one version.
final class AgreementSignature: Model, @unchecked Sendable {
    static let schema = "agreement_signatures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agreement_id") var agreement: Agreement
    @Field(key: "person_id") var personID: UUID
    @Field(key: "signed_at") var signedAt: Date

    init() {}
}
