import Foundation
import Matching
import Vapor

// What the matching API sends and takes (`MatchingAPIController`).

struct RunDTO: Content {
    var id: UUID
    var number: Int
    var status: RunStatus
    var progress: Double
    var seconds: Double?
    var error: String?
    var published: Bool
    var createdBy: String
    var createdAt: Date?
    var settings: MatchingSettings
    var matchedShare: Double
    var total: Double
    var lowestScore: Double?
    var pins: [[UUID]]
    var forbidden: [[UUID]]
    /// In a list of runs: proposals this run has that the run before it did not.
    var pairsChanged: Int?
    /// The coordinator's changes since the engine's result; `matchedShare`, `total` and `lowestScore` are the
    /// engine's, `result` the current revision.
    var adjustments: [RunResultDTO.Adjustment]
    var result: RunResultDTO?

    /// `results` are the run's two revisions, decoded once by the caller (`MatchingService.results(of:)`).
    init(_ run: MatchingRun, results: MatchingService.RunResults, settings: MatchingSettings, withResult: Bool) throws {
        id = try run.requireID()
        number = run.number
        status = run.status
        progress = run.progress
        seconds = run.seconds
        error = run.error
        published = run.publishedAt != nil
        createdBy = run.createdBy
        createdAt = run.createdAt
        self.settings = settings
        matchedShare = results.computed.matchedShare
        total = results.computed.total
        lowestScore = results.computed.lowest
        pins = run.pins
        forbidden = run.forbidden
        adjustments = results.current.adjustments.map(RunResultDTO.Adjustment.init)
        result = withResult ? RunResultDTO(results.current) : nil
    }
}

/// A run's proposals and unmatched people as the API sends them: a copy of the stored `RunResult`, so that
/// the stored form can change without changing the API.
struct RunResultDTO: Content {
    struct Proposal: Content {
        var menteeApplication: UUID
        var mentorApplication: UUID
        var score: Double
        var breakdown: [String: Double]
        var menteeExplanation: String
        var mentorExplanation: String
        var coordinatorNote: String
        var pinned: Bool
        var manual: Bool
        var warnings: [String]
        var kept: Bool
    }

    struct Unmatched: Content {
        var application: UUID
        var reason: String
        var side: MemberSide?
    }

    struct Adjustment: Content {
        var description: String
        var by: String
        var at: Date

        init(_ a: RunResult.Adjustment) { (description, by, at) = (a.description, a.by, a.at) }
    }

    var proposals: [Proposal]
    var unmatched: [Unmatched]
    var method: String
    var mentees: Int
    var mentors: Int
    var notes: [String]
    var adjustments: [Adjustment]

    init(_ r: RunResult) {
        proposals = r.proposals.map {
            Proposal(menteeApplication: $0.menteeApplication, mentorApplication: $0.mentorApplication, score: $0.score, breakdown: $0.breakdown,
                     menteeExplanation: $0.menteeExplanation, mentorExplanation: $0.mentorExplanation, coordinatorNote: $0.coordinatorNote,
                     pinned: $0.pinned, manual: $0.manual, warnings: $0.warnings, kept: $0.kept)
        }
        unmatched = r.unmatched.map { Unmatched(application: $0.application, reason: $0.reason, side: $0.side) }
        (method, mentees, mentors, notes) = (r.method, r.mentees, r.mentors, r.notes)
        adjustments = r.adjustments.map(Adjustment.init)
    }
}

struct RunStartBody: Content {
    /// Only what differs from the current settings (the last run's, or the format's defaults).
    var settings: MatchingSettingsPatch?
    /// Start from this run's settings, pins and forbidden pairs.
    var rerunOf: UUID?
    /// Wait for the result (default), or answer at once with the running run (`false`) and poll it.
    var wait: Bool?
}

struct RunAdjustBody: Content {
    enum Action: String, Codable, CaseIterable { case pin, forbid, swap, pair }
    var action: Action
    /// Application ids.
    var mentee: UUID
    var mentor: UUID?
    var otherMentee: UUID?
    /// For `pair`: make the pair although it breaks a rule, was ruled out or was declined (otherwise 409 names what it breaks).
    var confirm: Bool?
}

struct RunAdjustResult: Content {
    var run: RunDTO
    var warnings: [String]
}

struct PublishResult: Content { var published: Int }


struct MemberDTO: Content {
    var personId: UUID
    var name: String
    var side: MemberSide
    var answer: ConsentAnswer
    /// Coordinators only: the private reason for a decline.
    var reason: String?
    var answeredAt: Date?

    init(_ a: MatchingService.MemberAnswer) {
        (personId, name, side, answer, reason, answeredAt) = (a.personID, a.name, a.side, a.answer, a.reason, a.answeredAt)
    }
}

struct PairingDTO: Content {
    var id: UUID
    var status: PairingStatus
    var deadline: String
    var runId: UUID
    var members: [MemberDTO]
    /// Once the pairing has started: its space in counts and dates (`PairingSpaceService.summaries`).
    var space: PairingSpaceSummaryDTO?

    /// `pairing` with its members and their people loaded.
    init(_ pairing: Pairing, for viewer: MatchingService.MemberAnswer.Viewer) throws {
        (id, status, deadline, runId) = (try pairing.requireID(), pairing.status, pairing.deadline, pairing.$run.id)
        members = pairing.members.map { MemberDTO(MatchingService.MemberAnswer($0, for: viewer)) }
    }
}

struct NudgeResult: Content { var nudged: Int }


struct PreferencesBody: Content {
    var preferred: [UUID]
    var avoided: [UUID]
}

struct MatchDTO: Content {
    var pairingId: UUID
    var status: PairingStatus
    var deadline: String
    var explanation: String
    var yourAnswer: ConsentAnswer
    /// Your partners' names and answers; never their reasons.
    var partners: [MemberDTO]

    init(_ match: MatchingService.Match) throws {
        pairingId = try match.pairing.requireID()
        (status, deadline, explanation, yourAnswer) = (match.pairing.status, match.pairing.deadline, match.me.explanation, match.me.answer)
        partners = match.partners.map(MemberDTO.init)
    }
}

struct MatchAnswerBody: Content {
    var accept: Bool
    var reason: String?
}

