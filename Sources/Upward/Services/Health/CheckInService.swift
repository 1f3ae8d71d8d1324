import Fluent
import Foundation
import Vapor

/// Check-ins (DESIGN.md, "Check-in"): when each member's fall due, their private answers, and what is overdue.
/// A member reads only their own answers; the coordinator reads them all (the form says so); a partner never does.
struct CheckInService {
    let database: any Database
    var clock: UpwardClock = .system
    var today: Day { clock.today }

    /// Days after it fell due that an unanswered check-in counts as overdue.
    static let graceDays = 7

    /// One check-in of the schedule as a member sees it: due, answered by them or not, overdue or not.
    struct Due: Sendable, Equatable {
        var kind: CheckInKind
        var day: Day
        var answered: Bool
        var overdue: Bool
    }

    /// The member's check-ins that have fallen due, oldest first: what the space shows and the member answers.
    func due(_ space: PairingSpaceService.Space) async throws -> [Due] {
        // An ended pairing asks nothing more; its answers stay readable.
        guard space.pairing.status == .active, let activated = space.pairing.activatedAt else { return [] }
        let firstHeld = try await Meeting.query(on: database).filter(\.$pairing.$id == space.pairingID).filter(\.$status == .held)
            .sort(\.$startsAt).first().map { Day($0.startsAt) }
        let mine = try await answers(space)
        let slots = space.programme.checkInSchedule.due(activatedOn: Day(activated), firstHeld: firstHeld, until: today,
                                                       last: space.programme.endsOn.flatMap(Day.init))
        return slots.map { slot in
            let answered = mine.contains { $0.kind == slot.kind && $0.dueOn == slot.day.description }
            return Due(kind: slot.kind, day: slot.day, answered: answered,
                       overdue: !answered && today.daysSince1970 - slot.day.daysSince1970 > Self.graceDays)
        }
    }

    /// This member's own answers, newest first.
    func answers(_ space: PairingSpaceService.Space) async throws -> [CheckIn] {
        try await CheckIn.query(on: database).filter(\.$pairing.$id == space.pairingID).filter(\.$personID == space.myPersonID)
            .sort(\.$answeredAt, .descending).all()
    }

    /// What a member sends: three scores for a pulse, or the fit answer for a fit check; "we need help" with an
    /// optional comment for the coordinator.
    struct Answer: Codable, Sendable, Equatable {
        var relationship: Int?
        var safety: Int?
        var progress: Int?
        var fit: FitAnswer?
        var needsHelp: Bool
        var comment: String?

        init(relationship: Int? = nil, safety: Int? = nil, progress: Int? = nil, fit: FitAnswer? = nil, needsHelp: Bool, comment: String? = nil) {
            (self.relationship, self.safety, self.progress, self.fit, self.needsHelp, self.comment) = (relationship, safety, progress, fit, needsHelp, comment)
        }
    }

    /// Saves an answer to the check-in of `kind` that fell due on `day`. It must have fallen due and not been
    /// answered by this member already; every problem names its field.
    @discardableResult
    func answer(_ space: PairingSpaceService.Space, kind: CheckInKind, day: Day, _ answer: Answer) async throws -> CheckIn {
        try space.requireWritable()
        var issues: [FieldIssue] = []
        switch kind {
        case .pulse:
            for (field, value) in [("relationship", answer.relationship), ("safety", answer.safety), ("progress", answer.progress)] {
                guard let value else { issues.append(FieldIssue(field: field, message: "Answer \(field) from 1 to 5.")); continue }
                if !(1...5).contains(value) { issues.append(FieldIssue(field: field, message: "\(field) is from 1 to 5; it was \(value).")) }
            }
            if answer.fit != nil { issues.append(FieldIssue(field: "fit", message: "A pulse check-in has no fit answer; leave fit out.")) }
        case .fit:
            if answer.fit == nil { issues.append(FieldIssue(field: "fit", message: "Say whether this is a good fit, you are still deciding, or not a good fit.")) }
            for (field, value) in [("relationship", answer.relationship), ("safety", answer.safety), ("progress", answer.progress)] where value != nil {
                issues.append(FieldIssue(field: field, message: "The fit check asks one question; leave \(field) out."))
            }
        }
        issues += TextLimit.problems([("comment", answer.comment, TextLimit.paragraph)])
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        guard let slot = try await due(space).first(where: { $0.kind == kind && $0.day == day }) else {
            throw Problem(.notFound, "No \(kind.rawValue) check-in of yours fell due on \(day).")
        }
        guard !slot.answered else { throw Problem(.conflict, "You already answered the check-in of \(day).") }
        let row = CheckIn()
        row.$pairing.id = space.pairingID
        row.personID = space.myPersonID
        row.kind = kind
        row.dueOn = day.description
        row.answeredAt = clock.now()
        (row.relationship, row.safety, row.progress, row.fit) = (answer.relationship, answer.safety, answer.progress, answer.fit)
        row.needsHelp = answer.needsHelp
        row.comment = answer.comment?.trimmed.nilIfEmpty
        do {
            try await database.writeTransaction { db in try await row.create(on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem(.conflict, "You already answered the check-in of \(day).")
        }
        // "We need help" and a low score reach the coordinator now, not at the next hourly look.
        try await HealthService(database: database, clock: clock).raiseAlerts(for: space.programme, only: space.pairingID)
        return row
    }
}
