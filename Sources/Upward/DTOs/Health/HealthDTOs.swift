import Foundation
import Vapor

// MARK: The member's side

struct CheckInDueDTO: Content {
    var kind: CheckInKind
    /// The day it fell due, `yyyy-MM-dd`: with the kind, what an answer names.
    var day: String
    var answered: Bool
    var overdue: Bool
}

/// One of the caller's own answers. A partner's answers are never in any response.
struct CheckInDTO: Content {
    var id: UUID
    var kind: CheckInKind
    var day: String
    var answeredAt: Date
    var relationship: Int?
    var safety: Int?
    var progress: Int?
    var fit: FitAnswer?
    var needsHelp: Bool
    var comment: String?

    init(_ c: CheckIn) throws {
        (id, kind, day, answeredAt) = (try c.requireID(), c.kind, c.dueOn, c.answeredAt)
        (relationship, safety, progress, fit, needsHelp, comment) = (c.relationship, c.safety, c.progress, c.fit, c.needsHelp, c.comment)
    }
}

struct CheckInsDTO: Content {
    /// Who reads the answers, as the form says it.
    var privacy: String
    var due: [CheckInDueDTO]
    var answers: [CheckInDTO]
}

/// Flat, as the API documents it: the strict reading of bodies (`StrictInput.unknownKeys`) follows stored properties,
/// so the answer's keys are repeated here rather than nested.
struct CheckInBody: Content {
    var kind: CheckInKind
    var day: String
    var relationship: Int?
    var safety: Int?
    var progress: Int?
    var fit: FitAnswer?
    var needsHelp: Bool
    var comment: String?
}

struct EndBody: Content {
    /// Read by the coordinator only; the others are told the pairing ended, never why.
    var reason: String
    /// Whether the member leaving would like a new partner (ignored for a coordinator).
    var wantAnother: Bool?
}

struct CoordinatorEndBody: Content {
    var reason: String
}

struct RematchBody: Content {
    var want: Bool
}

struct RematchDTO: Content {
    var rematch: RematchAnswer?
}

// MARK: The coordinator's board

struct SignalDTO: Content {
    var kind: SignalKind
    var label: String
    var detail: String
    var action: String
}

struct BoardMemberDTO: Content {
    var id: UUID
    var name: String
    var department: String
    var side: MemberSide
}

struct BoardRowDTO: Content {
    var pairing: UUID
    var members: [BoardMemberDTO]
    var state: HealthState
    var signals: [SignalDTO]
    var openAlerts: Int
    var meetings: MeetingStats
    var lastHeld: String?
    var agreementSigned: Bool
    var goalsOpen: Int
    var goalsAchieved: Int
    var goalsDropped: Int
    var checkInsDue: Int
    var checkInsAnswered: Int
    var activatedOn: String
    var endedOn: String?

    init(_ r: HealthBoard.Row) {
        pairing = r.pairingID
        members = r.members.map { BoardMemberDTO(id: $0.personID, name: $0.name, department: $0.department, side: $0.side) }
        (state, openAlerts, meetings, agreementSigned) = (r.state, r.openAlerts, r.meetings, r.agreementSigned)
        signals = r.signals.map { SignalDTO(kind: $0.kind, label: $0.kind.label, detail: $0.detail, action: $0.action) }
        lastHeld = r.lastHeld?.description
        (goalsOpen, goalsAchieved, goalsDropped) = (r.goalsOpen, r.goalsAchieved, r.goalsDropped)
        (checkInsDue, checkInsAnswered) = (r.checkInsDue, r.checkInsAnswered)
        activatedOn = r.activatedOn.description
        endedOn = r.endedOn?.description
    }
}

/// An alert as the coordinator reads it. `raisedBy` names the member whose answer raised it: the coordinator's to
/// know, never their partner's.
struct AlertDTO: Content {
    var id: UUID
    var pairing: UUID
    var kind: SignalKind
    var label: String
    var detail: String
    var action: String
    var raisedBy: UUID?
    var raisedAt: Date
    var status: AlertStatus
    var note: String?
    var handledBy: String?
    var handledAt: Date?

    init(_ a: Alert) throws {
        (id, pairing, kind, label, detail, action) = (try a.requireID(), a.$pairing.id, a.kind, a.kind.label, a.detail, a.action)
        (raisedBy, raisedAt, status, note, handledBy, handledAt) = (a.raisedBy, a.raisedAt, a.status, a.note, a.handledBy, a.handledAt)
    }
}

struct StateCountDTO: Content {
    var state: HealthState
    var count: Int
    var percent: Int?
}

struct BoardDTO: Content {
    var pairings: Int
    var states: [StateCountDTO]
    var agreementSigned: Int
    var agreementSignedPercent: Int?
    /// Pairings not ended with a meeting held in the last 30 days, of `live`.
    var metLast30Days: Int
    var live: Int
    var meetings: MeetingStats
    var weeks: [WeekDTO]
    var checkInsDue: Int
    var checkInsAnswered: Int
    /// Unanswered more than a week after they fell due.
    var checkInsOverdue: Int
    var checkInResponsePercent: Int?
    var scores: [ScoreMonthDTO]
    var goalsSet: Int
    var goalsAchieved: Int
    var goalsDropped: Int
    var rematchWanted: Int
    /// Open alerts, most severe and newest first: at most `maxAlerts` of `alertsTotal` (filter the rows by alert
    /// for the pairs of the rest).
    var alerts: [AlertDTO]
    var alertsTotal: Int
    var rows: PageDTO<BoardRowDTO>

    static let maxAlerts = 100

    struct WeekDTO: Content {
        var start: String
        var planned: Int
        var held: Int
    }

    struct ScoreMonthDTO: Content {
        var month: String
        var answers: Int
        var relationship: Double
        var safety: Double
        var progress: Double
    }

    init(_ b: HealthBoard, matching: Int, query: BoardQuery) throws {
        pairings = b.pairings
        states = HealthState.allCases.map { StateCountDTO(state: $0, count: b.byState[$0] ?? 0, percent: HealthBoard.share(b.byState[$0] ?? 0, of: b.pairings)) }
        (agreementSigned, agreementSignedPercent) = (b.signed, HealthBoard.share(b.signed, of: b.pairings))
        (metLast30Days, live, meetings) = (b.metLast30, b.live, b.meetings)
        weeks = b.weeks.map { WeekDTO(start: $0.start.description, planned: $0.planned, held: $0.held) }
        (checkInsDue, checkInsAnswered, checkInsOverdue) = (b.checkInsDue, b.checkInsAnswered, b.checkInsOverdue)
        checkInResponsePercent = HealthBoard.share(b.checkInsAnswered, of: b.checkInsDue)
        scores = b.scores.map { ScoreMonthDTO(month: $0.month, answers: $0.answers, relationship: $0.relationship, safety: $0.safety, progress: $0.progress) }
        (goalsSet, goalsAchieved, goalsDropped, rematchWanted) = (b.goalsSet, b.goalsAchieved, b.goalsDropped, b.rematchWanted)
        alerts = try b.alerts.prefix(Self.maxAlerts).map(AlertDTO.init)
        alertsTotal = b.alerts.count
        rows = PageDTO(items: b.rows.map(BoardRowDTO.init), page: query.page, per: query.per, total: matching,
                       pageCount: max(1, (matching + query.per - 1) / query.per))
    }
}

/// A member's check-in answer as the coordinator reads it.
struct MemberCheckInDTO: Content {
    var person: UUID
    var name: String
    var answer: CheckInDTO
}

struct PairingHealthDTO: Content {
    var row: BoardRowDTO
    /// Every alert of the pairing, handled ones included, newest first.
    var alerts: [AlertDTO]
    /// The members' check-in answers, newest first: the coordinator's to read (members are told so).
    var checkIns: [MemberCheckInDTO]
    var rethinkSuggestedAt: Date?
    /// Why it ended, for the coordinator alone.
    var endReason: String?
    var endedBy: String?
}

struct AlertBody: Content {
    /// `acknowledged` (being handled) or `resolved`.
    var status: AlertStatus
    var note: String?
}

struct BoardQueryDTO: Content {
    var state: String?
    var department: String?
    var alert: String?
    var sort: String?
    var page: Int?
    var per: Int?
}
