import Foundation
import Vapor

// Goals, meetings and notes as the pairing space API sends them (`PairingAPIController`).

struct GoalTaskDTO: Content, Equatable {
    var title: String
    var done: Bool
}

/// What a goal says (now, or at one revision).
struct GoalContentDTO: Content, Equatable {
    var learner: GoalLearner
    var title: String
    var measure: String
    var targetDate: String?
    var tasks: [GoalTaskDTO]
    var progress: Int
    var status: GoalStatus

    init(_ c: GoalContent) {
        (learner, title, measure, targetDate, progress, status) = (c.learner, c.title, c.measure, c.targetDate, c.progress, c.status)
        tasks = c.tasks.map { GoalTaskDTO(title: $0.title, done: $0.done) }
    }
}

/// A goal in the space's list.
struct GoalSummaryDTO: Content {
    var id: UUID
    var learner: GoalLearner
    /// Who learns, in the programme's words: "Alex learns", "Both of us learn".
    var learnerLabel: String
    var title: String
    var progress: Int
    var status: GoalStatus
    var targetDate: String?
    var revision: Int

    init(_ g: Goal, in space: PairingSpaceService.Space) throws {
        (id, learner, title, targetDate) = (try g.requireID(), g.learner, g.title, g.targetDate)
        (progress, status, revision) = (g.progress, g.status, g.revision)
        learnerLabel = PairingSpaceService.learnerLabel(g.learner, in: space)
    }
}

struct GoalRevisionDTO: Content {
    var revision: Int
    var changedBy: PersonRefDTO?
    var changedAt: Date
    var why: String?
    /// What changed from the revision before, in words.
    var changes: [String]
    var content: GoalContentDTO
}

/// One goal, with its history (newest first) when asked for alone.
struct GoalDTO: Content {
    var id: UUID
    var learnerLabel: String
    var content: GoalContentDTO
    /// The latest revision: send it back with a change, so a change made meanwhile is not overwritten.
    var revision: Int
    var createdBy: PersonRefDTO?
    var createdAt: Date?
    var updatedAt: Date?
    var revisions: [GoalRevisionDTO]?

    init(_ g: Goal, in space: PairingSpaceService.Space, revisions: [GoalRevision]? = nil) throws {
        (id, content, revision) = (try g.requireID(), GoalContentDTO(g.content), g.revision)
        learnerLabel = PairingSpaceService.learnerLabel(g.learner, in: space)
        (createdBy, createdAt, updatedAt) = (space.ref(g.createdBy), g.createdAt, g.updatedAt)
        self.revisions = revisions.map { list in
            list.enumerated().map { k, r in
                let before = k + 1 < list.count ? list[k + 1].content : nil
                return GoalRevisionDTO(revision: r.revision, changedBy: space.ref(r.changedBy), changedAt: r.changedAt, why: r.why,
                                       changes: PairingSpaceService.changes(from: before, to: r.content),
                                       content: GoalContentDTO(r.content))
            }
        }
    }
}

struct MeetingEventDTO: Content {
    /// planned, rescheduled, held, cancelled, missed, logged or moved.
    var kind: String
    var from: Date?
    var to: Date?
    var by: PersonRefDTO?
    var reason: String?
    var at: Date
}

struct MeetingDTO: Content {
    var id: UUID
    /// The session in the programme's plan; null for an extra or logged meeting.
    var session: Int?
    var start: Date
    var end: Date
    var minutes: Int
    var status: MeetingStatus
    /// iCalendar SEQUENCE: raised on every change of time or place.
    var sequence: Int
    var agenda: String
    var starter: String?
    var location: String?
    /// Why the planned time is outside someone's availability, when it is.
    var fitNote: String?
    var cancelledBy: MemberSide?
    var cancelReason: String?
    var logged: Bool
    /// `rethink` for a re-think session; null for any other meeting.
    var purpose: MeetingPurpose?
    /// On an advisory board: the advisor this meeting is with.
    var advisor: PersonRefDTO?
    var history: [MeetingEventDTO]?
    /// Notes on this meeting the caller may read (their own, and shared ones).
    var notes: [NoteDTO]?

    init(_ m: Meeting, in space: PairingSpaceService.Space, history: [MeetingEvent]? = nil, notes: [Note]? = nil) throws {
        (id, session, start, end, status, sequence) = (try m.requireID(), m.session, m.startsAt, m.endsAt, m.status, m.sequence)
        let length = m.endsAt.timeIntervalSince(m.startsAt) / 60
        minutes = length.isFinite && abs(length) < 1e9 ? Int(length.rounded()) : 0
        (agenda, starter, location, fitNote) = (m.agenda, m.starter, m.location, m.fitNote)
        (cancelledBy, cancelReason, logged, purpose) = (m.cancelledBySide, m.cancelReason, m.logged, m.purpose)
        advisor = space.ref(m.advisorID)
        self.history = history?.map {
            MeetingEventDTO(kind: $0.kind.rawValue, from: $0.fromStart, to: $0.toStart, by: space.ref($0.byPerson), reason: $0.reason,
                            at: $0.at)
        }
        self.notes = try notes?.map { try NoteDTO($0, in: space) }
    }
}

struct NoteDTO: Content {
    var id: UUID
    var text: String
    var shared: Bool
    /// Whether the caller wrote it (only the author changes or deletes a note).
    var mine: Bool
    var author: PersonRefDTO?
    var meetingId: UUID?
    var createdAt: Date?
    var updatedAt: Date?

    init(_ n: Note, in space: PairingSpaceService.Space) throws {
        (id, text, shared, mine) = (try n.requireID(), n.text, n.shared, n.authorID == space.myPersonID)
        (author, meetingId, createdAt, updatedAt) = (space.ref(n.authorID), n.$meeting.id, n.createdAt, n.updatedAt)
    }
}

/// What the coordinator sees of a pairing's space: counts and dates, never the pair's words.
struct PairingSpaceSummaryDTO: Content {
    struct GoalCounts: Content {
        var open: Int
        var achieved: Int
        var dropped: Int
    }

    /// The agreement's current version, and when the last member signed it (null until everyone has).
    var agreementVersion: Int?
    var signedAt: Date?
    var goals: GoalCounts
    var meanProgress: Int?
    var meetings: MeetingStatsDTO
    var preparedCount: Int
    /// Person ids of the members who acknowledged the preparation.
    var prepared: [UUID]

    init(_ s: PairingSpaceService.PairingSummary) {
        (agreementVersion, signedAt, meanProgress) = (s.agreementVersion, s.signedAt, s.meanProgress)
        goals = GoalCounts(open: s.goalsOpen, achieved: s.goalsAchieved, dropped: s.goalsDropped)
        meetings = MeetingStatsDTO(s.meetings)
        (preparedCount, prepared) = (s.prepared.count, s.prepared)
    }
}
