import Foundation
import Vapor

// What the pairing space API sends (`PairingAPIController`): the space, its partners, the agreement, preparation.
// Only what a member may see: no partner's private answers (diversity, wishes, decline reasons), no note but the
// caller's own and shared ones.

/// A person in the pairing, by id and name.
struct PersonRefDTO: Content, Equatable {
    var personId: UUID
    var name: String
}

extension PairingSpaceService.Space {
    /// A member by person id; someone no longer in the pairing (a board advisor who left) is named as such.
    func ref(_ personID: UUID?) -> PersonRefDTO? {
        guard let personID else { return nil }
        return PersonRefDTO(personId: personID, name: member(personID)?.person.name ?? "Someone no longer in this pairing")
    }
}

struct ProgrammeRefDTO: Content {
    var id: UUID
    var name: String
    var format: ProgrammeFormat

    init(_ p: Programme) throws { (id, name, format) = (try p.requireID(), p.name, p.format) }
}

struct NextStepDTO: Content, Equatable {
    /// prepare, sign, log, setGoal, meet or none.
    var kind: String
    var text: String
    var meetingId: UUID?

    init(_ step: PairingSpaceService.NextStep) { (kind, text, meetingId) = (step.kind.rawValue, step.text, step.meetingID) }
}

/// One of the caller's pairings, for `GET /api/v1/pairings`.
struct MyPairingDTO: Content {
    var id: UUID
    var programme: ProgrammeRefDTO
    var status: PairingStatus
    var activatedAt: Date?
    var side: MemberSide
    var partners: [PersonRefDTO]
    var nextStep: NextStepDTO
}

/// A partner as the other members see them: work details, how and when to reach them, what you have in common.
struct PartnerDTO: Content {
    var personId: UUID
    var name: String
    var title: String?
    var department: String
    var email: String
    var side: MemberSide
    /// IANA time zone, and its offset from UTC now (for "their local time").
    var timeZone: String
    var utcOffsetMinutes: Int
    var channels: [CommunicationChannel]
    /// Weekly slots they gave, such as `tue-am`.
    var availability: [String]
    /// Interests you both gave.
    var sharedInterests: [String]
    /// Skills they offer that you seek, and skills you offer that they seek.
    var offersYou: [String]
    var youOffer: [String]

    init(_ partner: PairingMember, me: PairingMember, now: Date) {
        let zone = PairingSpaceService.timeZone(of: partner)
        let them = partner.application
        personId = partner.$person.id
        let person = partner.person
        (name, title, department, email, side) = (person.name, person.title, person.department, person.email, partner.side)
        (timeZone, utcOffsetMinutes) = (zone.identifier, zone.secondsFromGMT(for: now) / 60)
        (channels, availability) = (them.communication, them.availability)
        let fit = PartnerFit(partner: partner, me: me)
        (sharedInterests, offersYou, youOffer) = (fit.sharedInterests, fit.offersYou, fit.youOffer)
    }
}

/// The caller's own place in the pairing.
struct YouDTO: Content {
    var personId: UUID
    var side: MemberSide
    var timeZone: String
    var availability: [String]
}

struct MeetingStatsDTO: Content, Equatable {
    var due: Int
    var held: Int
    /// Held ÷ due as a whole percentage; null before any meeting was due.
    var heldShare: Int?
    var missed: Int
    var cancelledByMentor: Int
    var cancelledByMentee: Int
    var unlogged: Int
    var upcoming: Int
    var total: Int

    init(_ s: MeetingStats) {
        (due, held, heldShare, missed) = (s.due, s.held, s.heldShare, s.missed)
        (cancelledByMentor, cancelledByMentee) = (s.cancelledByMentor, s.cancelledByMentee)
        (unlogged, upcoming, total) = (s.unlogged, s.upcoming, s.total)
    }
}

struct PreparationDTO: Content {
    var openQuestions: [String]
    /// For a programme on inclusion: the brief on policies and terminology to acknowledge. Null otherwise.
    var brief: String?
    var acknowledgedAt: Date?

    init(_ space: PairingSpaceService.Space) {
        (openQuestions, brief, acknowledgedAt) = (Preparation.openQuestions, Preparation.brief(for: space.programme), space.me.preparedAt)
    }
}

struct SignatureDTO: Content {
    var personId: UUID
    var name: String
    var signedAt: Date
}

/// Whether the current version is signed, by whom and when: what the space shows (the terms are on /agreement).
struct AgreementStatusDTO: Content {
    var version: Int
    var signed: Bool
    var signedAt: Date?
    var signatures: [SignatureDTO]
    /// Members still to sign the current version.
    var unsigned: [PersonRefDTO]
    /// Whether the caller has signed the current version.
    var signedByYou: Bool

    init(_ state: PairingSpaceService.AgreementState, in space: PairingSpaceService.Space) {
        (version, signed, signedAt) = (state.current.version, state.isSigned, state.signedAt)
        signatures = AgreementVersionDTO.signatures(of: state.current, in: space)
        unsigned = state.unsigned.compactMap(space.ref)
        signedByYou = state.signature(of: space.myPersonID) != nil
    }
}

struct AgreementTermsDTO: Content, Equatable {
    var confidentiality: String
    var psychologicalSafety: String
    var cadence: String
    var channel: String
    var place: String
    var duration: String
    var midpointReview: String
    var offLimits: String

    init(_ t: AgreementTerms) {
        (confidentiality, psychologicalSafety, cadence, channel) = (t.confidentiality, t.psychologicalSafety, t.cadence, t.channel)
        (place, duration, midpointReview, offLimits) = (t.place, t.duration, t.midpointReview, t.offLimits)
    }
}

struct AgreementVersionDTO: Content {
    var version: Int
    var terms: AgreementTermsDTO
    /// Null for the first version, drawn from the programme's template.
    var writtenBy: PersonRefDTO?
    var createdAt: Date?
    var signatures: [SignatureDTO]

    init(_ a: Agreement, in space: PairingSpaceService.Space) {
        (version, terms, writtenBy, createdAt) = (a.version, AgreementTermsDTO(a.terms), space.ref(a.writtenBy), a.createdAt)
        signatures = Self.signatures(of: a, in: space)
    }

    static func signatures(of a: Agreement, in space: PairingSpaceService.Space) -> [SignatureDTO] {
        a.signatures.sorted { $0.signedAt < $1.signedAt }.map {
            SignatureDTO(personId: $0.personID, name: space.ref($0.personID)?.name ?? "", signedAt: $0.signedAt)
        }
    }
}

/// `GET /api/v1/pairings/{id}/agreement`: the current version, its status, and the earlier versions (newest first).
struct AgreementDTO: Content {
    var current: AgreementVersionDTO
    var status: AgreementStatusDTO
    var earlier: [AgreementVersionDTO]

    init(_ state: PairingSpaceService.AgreementState, in space: PairingSpaceService.Space) {
        current = AgreementVersionDTO(state.current, in: space)
        status = AgreementStatusDTO(state, in: space)
        earlier = state.versions.dropFirst().map { AgreementVersionDTO($0, in: space) }
    }
}

/// `GET /api/v1/pairings/{id}`: the whole space at a glance.
struct PairingSpaceDTO: Content {
    var id: UUID
    var programme: ProgrammeRefDTO
    var status: PairingStatus
    var activatedAt: Date?
    /// False once the pairing ended early: the space can be read, not changed.
    var writable: Bool
    var you: YouDTO
    var partners: [PartnerDTO]
    /// Null only when the pairing has no agreement yet.
    var agreement: AgreementStatusDTO?
    var goals: [GoalSummaryDTO]
    /// Two-way pairings: the directions (mentee, mentor) without a live goal yet.
    var missingGoalDirections: [GoalLearner]
    var meetings: [MeetingDTO]
    var meetingStats: MeetingStatsDTO
    var nextStep: NextStepDTO
    var preparation: PreparationDTO
}

struct CalendarStatusDTO: Content {
    var active: Bool
    var createdAt: Date?
}

struct CalendarFeedDTO: Content {
    /// The secret address calendars subscribe to. Shown once: Upward keeps only its digest.
    var url: String
}
