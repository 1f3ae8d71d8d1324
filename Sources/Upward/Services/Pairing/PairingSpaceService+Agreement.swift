import Fluent
import Foundation
import Vapor

// MARK: The agreement: versions and signatures

extension PairingSpaceService {
    /// The agreement's current version and what everyone has signed of it.
    struct AgreementState: Sendable {
        var current: Agreement
        /// Every version, newest first, signatures loaded.
        var versions: [Agreement]
        /// Person ids of the members still to sign the current version.
        var unsigned: [UUID]
        var isSigned: Bool { unsigned.isEmpty }
        /// When the last member signed the current version, once everyone has.
        var signedAt: Date? { isSigned ? current.signatures.map(\.signedAt).max() : nil }

        func signature(of personID: UUID) -> AgreementSignature? { current.signatures.first { $0.personID == personID } }

        /// From every version (signatures loaded, in any order) and the people who sign: nil when there is none.
        init?(versions: [Agreement], signers: [UUID]) {
            let versions = versions.sorted { $0.version > $1.version }
            guard let current = versions.first else { return nil }
            let signed = Set(current.signatures.map(\.personID))
            self.init(current: current, versions: versions, unsigned: signers.filter { !signed.contains($0) })
        }

        init(current: Agreement, versions: [Agreement], unsigned: [UUID]) {
            (self.current, self.versions, self.unsigned) = (current, versions, unsigned)
        }
    }

    /// The ground rules a pair starts from: the programme's template with the pair's own parts filled in.
    func template(for programme: Programme, members: [PairingMember]) -> AgreementTerms {
        let rules = programme.groundRules
        let (first, last) = period(of: programme)
        let midpoint = Day(daysSince1970: (first.daysSince1970 + last.daysSince1970) / 2)
        let shared = members.map { Set($0.application.communication) }.reduce(Set(CommunicationChannel.allCases)) { $0.intersection($1) }
        let channels = CommunicationChannel.allCases.filter(shared.contains).map(\.label)
        return AgreementTerms(
            confidentiality: rules.confidentiality,
            psychologicalSafety: rules.psychologicalSafety + " Feedback goes both ways: we say what worked and what to change at the end of each session, kindly and specifically.",
            cadence: "\(programme.commitment). \(rules.cadence)",
            channel: channels.isEmpty ? rules.channel : "\(rules.channel) We both chose: \(channels.joined(separator: ", ").lowercased()).",
            place: "We agree the place (a quiet room or a video link) when each meeting is planned.",
            duration: "From \(first) to \(last).",
            midpointReview: midpoint.description,
            offLimits: "Performance reviews, pay and promotion decisions about anyone we know.")
    }

    /// A pairing whose set-up has not run yet (the set-up job retries it within minutes).
    static let noAgreement = Problem(.conflict, "This pairing's agreement is being prepared; try again in a few minutes.")

    /// The agreement, or nil while the pairing is not set up yet: only that case, never a database error.
    func agreementIfAny(_ space: Space) async throws -> AgreementState? {
        guard try await Agreement.query(on: database).filter(\.$pairing.$id == space.pairingID).count() > 0 else { return nil }
        return try await agreement(space)
    }

    func agreement(_ space: Space) async throws -> AgreementState {
        let versions = try await Agreement.query(on: database).filter(\.$pairing.$id == space.pairingID).with(\.$signatures).all()
        guard let state = AgreementState(versions: versions, signers: space.members.map { $0.$person.id }) else { throw Self.noAgreement }
        return state
    }

    /// Problems with proposed terms, each naming its field.
    static func problems(_ terms: AgreementTerms) -> [FieldIssue] {
        var issues = TextLimit.problems([
            ("confidentiality", terms.confidentiality, TextLimit.paragraph), ("psychologicalSafety", terms.psychologicalSafety, TextLimit.paragraph),
            ("cadence", terms.cadence, TextLimit.paragraph), ("channel", terms.channel, TextLimit.paragraph),
            ("place", terms.place, TextLimit.paragraph), ("duration", terms.duration, TextLimit.line),
            ("offLimits", terms.offLimits, TextLimit.paragraph),
        ])
        if terms.confidentiality.trimmed.isEmpty {
            issues.append(FieldIssue(field: "confidentiality", message: "Say what stays between you: confidentiality cannot be empty."))
        }
        if Day(terms.midpointReview.trimmed) == nil {
            issues.append(FieldIssue(field: "midpointReview", message: "The midpoint review needs a date written yyyy-mm-dd, such as 2027-03-01."))
        }
        return issues
    }

    /// Saves edited terms as a new version that everyone signs (again): every edit, so a signature always names
    /// exactly the text its signer read. `basedOn` is the version the member edited: when someone changed the
    /// agreement meanwhile, nothing is saved and the refusal says to read it again. Unchanged terms change nothing.
    /// Returns the version now current.
    @discardableResult
    func editAgreement(_ space: Space, terms proposed: AgreementTerms, basedOn: Int) async throws -> Agreement {
        try space.requireWritable()
        var terms = proposed
        for path in [\AgreementTerms.confidentiality, \.psychologicalSafety, \.cadence, \.channel, \.place, \.duration, \.midpointReview, \.offLimits] {
            terms[keyPath: path] = terms[keyPath: path].trimmed
        }
        let issues = Self.problems(terms)
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        let edited = terms
        let pairingID = space.pairingID, author = space.myPersonID
        return try await database.writeTransaction { db in
            try await db.lockForWriting(Pairing.schema, id: pairingID)
            guard let current = try await Agreement.query(on: db).filter(\.$pairing.$id == pairingID).sort(\.$version, .descending).first() else {
                throw Self.noAgreement
            }
            guard current.version == basedOn else {
                throw Problem(.conflict, "The agreement changed since you opened it (version \(current.version) is current, you edited version \(basedOn)). Read it again, then make your change.")
            }
            if current.terms == edited { return current }
            let next = Agreement()
            next.$pairing.id = pairingID
            next.version = current.version + 1
            next.terms = edited
            next.writtenBy = author
            try await next.create(on: db)
            return next
        }
    }

    /// Signs the current version. `version` is the one the member read: when someone changed the agreement
    /// meanwhile, nothing is signed and the refusal says to read it again. Signing twice changes nothing.
    func sign(_ space: Space, version: Int) async throws {
        try space.requireWritable()
        let pairingID = space.pairingID, personID = space.myPersonID
        try await database.writeTransaction { db in
            try await db.lockForWriting(Pairing.schema, id: pairingID)
            guard let current = try await Agreement.query(on: db).filter(\.$pairing.$id == pairingID).sort(\.$version, .descending).first() else {
                throw Self.noAgreement
            }
            guard current.version == version else {
                throw Problem(.conflict, "The agreement changed since you opened it (version \(current.version) is current, you read version \(version)). Read it again, then sign.")
            }
            let agreementID = try current.requireID()
            if try await AgreementSignature.query(on: db).filter(\.$agreement.$id == agreementID).filter(\.$personID == personID).count() > 0 { return }
            let signature = AgreementSignature()
            signature.$agreement.id = agreementID
            signature.personID = personID
            signature.signedAt = clock.now()
            try await signature.create(on: db)
        }
    }

    /// Acknowledges the programme's preparation (and its brief, for an inclusion programme). Twice changes nothing.
    func acknowledgePreparation(_ space: Space) async throws {
        try space.requireWritable()
        guard space.me.preparedAt == nil else { return }
        space.me.preparedAt = now
        try await database.writeTransaction { db in try await space.me.save(on: db) }
    }
}

/// What each member reads before the first meeting: how to ask and listen, the ground rules, and for a programme
/// on inclusion a brief on policies and terminology.
enum Preparation {
    static let openQuestions = [
        "Ask open questions: “what”, “how” and “tell me about” invite a story; “do you” and “is it” invite a yes or a no.",
        "Listen appreciatively: look for what works and why, before what is wrong.",
        "Summarise what you heard before you answer, and ask “what else?” once more than feels natural.",
        "Rank stays at the door: the junior partner's view is the reason you are both here.",
    ]

    static let inclusionBrief = """
        Before your first conversation, read the organisation's equality, anti-harassment and grievance policies. \
        Use the words people use for themselves; when unsure, ask. Speak about your own experience rather than for a group. \
        What either of you shares about identity or discrimination stays in the pair unless both agree, except where \
        someone is at risk — then the policy's reporting route applies.
        """

    /// The brief members acknowledge, or nil when the programme needs none.
    static func brief(for programme: Programme) -> String? {
        if let brief = programme.brief?.trimmed, !brief.isEmpty { return brief }
        return programme.objective == .inclusion ? inclusionBrief : nil
    }
}
