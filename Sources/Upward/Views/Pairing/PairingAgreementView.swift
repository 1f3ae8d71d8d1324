import Foundation

/// The pair's agreement (`pairing-agreement.leaf`): the current version with who signed it, a sign button, the edit
/// form, and every earlier version with its signatures.
struct PairingAgreementView: Encodable {
    /// One part of the agreement, read or edited.
    struct Term: Encodable {
        var field: String
        var label: String
        var hint: String?
        var value: String
        var error: String?
        /// A paragraph (textarea), a line (input) or a day (input type=date).
        var paragraph: Bool
        var isDay: Bool
    }

    struct Version: Encodable {
        var number: Int
        var writtenBy: String
        var written: String
        var terms: [Term]
        var signatures: [String]
    }

    var crumbs: PairingCrumbs
    var version: Int
    var nextVersion: Int
    var writtenBy: String
    var terms: [Term]
    var signatures: [String]
    var unsigned: [String]
    var signed: Bool
    var canSign: Bool
    var signAction: String
    var writable: Bool
    var editAction: String
    var edit: [Term]
    /// Anyone signed the current version: saving an edit makes a new version that everyone signs again.
    var editMakesNewVersion: Bool
    var editOpen: Bool
    var errorList: [String]
    var earlier: [Version]

    /// Each part of the terms in reading order, with its label; `issues` marks the ones to fix.
    static func terms(_ terms: AgreementTerms, issues: FormIssues? = nil) -> [Term] {
        let parts: [(String, String, String?, String, Bool, Bool)] = [
            ("confidentiality", "Confidentiality", "what leaves the pair, and when", terms.confidentiality, true, false),
            ("psychologicalSafety", "Psychological safety and feedback", nil, terms.psychologicalSafety, true, false),
            ("cadence", "Cadence and session length", nil, terms.cadence, true, false),
            ("channel", "Channel", "how we meet", terms.channel, true, false),
            ("place", "Place", nil, terms.place, true, false),
            ("duration", "Duration", "from when to when", terms.duration, false, false),
            ("midpointReview", "Midpoint review", "the day we look back together at halfway", terms.midpointReview, false, true),
            ("offLimits", "Off limits", "what we keep out of our conversations", terms.offLimits, true, false),
        ]
        return parts.map { field, label, hint, value, paragraph, isDay in
            Term(field: field, label: label, hint: hint, value: value, error: issues?.byField[field], paragraph: paragraph, isDay: isDay)
        }
    }

    /// Who signed this version and when, as sentences.
    static func signatures(_ agreement: Agreement, in space: PairingSpaceService.Space) -> [String] {
        agreement.signatures.sorted { $0.signedAt < $1.signedAt }.map {
            "\(space.name(of: $0.personID)) signed on \(ZonedTime.moment($0.signedAt, in: space.myZone))"
        }
    }
}
