import Foundation

/// The member's check-in page (`pairing-check-in.leaf`): the oldest check-in still to answer as a form, the others
/// due, and the member's own earlier answers. It says plainly who reads the answers.
struct PairingCheckInView: Encodable {
    struct Scale: Encodable {
        var name: String
        var question: String
        var low: String
        var high: String
        var options: [Option]
        var error: String?
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Form: Encodable {
        var kind: String
        var day: String
        var title: String
        var overdue: Bool
        var scales: [Scale]
        var fit: Scale?
        var needsHelp: Bool
        var comment: FieldState
    }

    struct Past: Encodable {
        var title: String
        var answered: String
        var lines: [String]
    }

    var crumbs: PairingCrumbs
    var action: String
    var form: Form?
    var alsoDue: [String]
    var past: [Past]
    var errorList: [String]
    var writable: Bool
    var privacy = Self.privacy

    static let privacy = "Your partner never sees your answers. Your programme coordinator reads them, so they can help when a pairing needs it."

    static let questions: [(name: String, question: String, low: String, high: String)] = [
        ("relationship", "How is the relationship going?", "Not well", "Very well"),
        ("safety", "I can say what I think", "Not at all", "Completely"),
        ("progress", "Progress towards our goals", "None yet", "Great progress"),
    ]

    static let fitChoices = FitAnswer.allCases.map { ($0, $0.label) }

    static func title(_ kind: CheckInKind, _ day: Day) -> String {
        kind == .fit ? "Fit check after your first meeting (\(day))" : "Check-in of \(day)"
    }

    init(_ space: PairingSpaceService.Space, due: [CheckInService.Due], answers: [CheckIn], typed: [String: String] = [:], issues: [FieldIssue] = []) {
        crumbs = PairingCrumbs(space)
        action = WebRoute.checkIns.link(space.pairingID)
        writable = space.isWritable
        let open = due.filter { !$0.answered }
        // After a refused answer, the same check-in comes back with what was typed.
        let chosen = open.first { $0.kind.rawValue == typed["kind"] && $0.day.description == typed["day"] } ?? open.first
        let message = { (field: String) in issues.first { $0.field == field }?.message }
        form = chosen.map { slot in
            Form(
                kind: slot.kind.rawValue, day: slot.day.description, title: Self.title(slot.kind, slot.day), overdue: slot.overdue,
                scales: slot.kind == .fit ? [] : Self.questions.map { q in
                    Scale(name: q.name, question: q.question, low: q.low, high: q.high,
                          options: (1...5).map { Option(value: "\($0)", label: "\($0)", checked: typed[q.name] == "\($0)") },
                          error: message(q.name))
                },
                fit: slot.kind == .fit
                    ? Scale(name: "fit", question: "Is this pairing a good fit for you?", low: "", high: "",
                            options: Self.fitChoices.map { Option(value: $0.0.rawValue, label: $0.1, checked: typed["fit"] == $0.0.rawValue) },
                            error: message("fit"))
                    : nil,
                needsHelp: typed["needsHelp"] == "on", comment: FieldState(value: typed["comment"] ?? "", error: message("comment")))
        }
        alsoDue = open.filter { $0.kind != chosen?.kind || $0.day != chosen?.day }.map { Self.title($0.kind, $0.day) + ($0.overdue ? " (overdue)" : "") }
        let zone = space.myZone
        past = answers.map { a in
            var lines: [String] = []
            if let r = a.relationship, let s = a.safety, let p = a.progress {
                lines.append("Relationship \(r) of 5 · I can say what I think \(s) of 5 · Progress \(p) of 5")
            }
            if let fit = a.fit { lines.append(Self.fitChoices.first { $0.0 == fit }?.1 ?? fit.rawValue) }
            if a.needsHelp { lines.append("You asked your coordinator for help" + (a.comment.map { ": “\($0)”" } ?? ".")) }
            else if let comment = a.comment { lines.append("Your comment for the coordinator: “\(comment)”") }
            return Past(title: Day(a.dueOn).map { Self.title(a.kind, $0) } ?? a.dueOn, answered: ZonedTime.day(a.answeredAt, in: zone), lines: lines)
        }
        errorList = issues.map(\.message)
    }
}

/// The page that ends a pairing (`pairing-end.leaf`): why (for the coordinator only) and whether the member would
/// like a new partner.
struct PairingEndView: Encodable {
    var crumbs: PairingCrumbs
    var action: String
    var partners: String
    var reason: FieldState
    var wantAnother: Bool
    var rematchPossible: Bool
    var errorList: [String]

    init(_ space: PairingSpaceService.Space, reason: String = "", wantAnother: Bool = false, issues: [FieldIssue] = [], rematchPossible: Bool) {
        crumbs = PairingCrumbs(space)
        action = WebRoute.pairingEnd.link(space.pairingID)
        partners = PairingNotesView.list(space.partners.map(\.person.name).sorted())
        self.reason = FieldState(value: reason, error: issues.first { $0.field == "reason" }?.message)
        self.wantAnother = wantAnother
        self.rematchPossible = rematchPossible
        errorList = issues.map(\.message)
    }
}

/// The part of the space that keeps the pair on track (in `pairing.leaf`): check-ins due, a suggested re-think,
/// the way out, and — once the pairing has ended — what happened and the re-match offer.
struct PairingOnTrackView: Encodable {
    struct Ended: Encodable {
        var text: String
        /// The re-match offer, unanswered, answered yes or answered no; all false when there is nothing to re-match for.
        var offered: Bool
        var wanted: Bool
        var declined: Bool
        var action: String
    }

    var checkInsLink: String
    /// "A check-in is due: …", or nil when none is waiting.
    var checkInDue: String?
    var checkInOverdue: Bool
    var rethinkReason: String?
    var rethinkAction: String
    var endLink: String?
    var ended: Ended?

    init(_ space: PairingSpaceService.Space, due: [CheckInService.Due], rethinkReason: String?, now: Date) {
        let id = space.pairingID
        checkInsLink = WebRoute.checkIns.link(id)
        let open = due.filter { !$0.answered }
        checkInDue = open.first.map { first in
            (open.count == 1 ? "A check-in is waiting for you" : "\(open.count) check-ins are waiting for you")
                + " (\(PairingCheckInView.title(first.kind, first.day))). It takes a minute; your partner never sees your answers."
        }
        checkInOverdue = open.contains { $0.overdue }
        self.rethinkReason = rethinkReason
        rethinkAction = WebRoute.rethink.link(id)
        endLink = space.pairing.status == .active ? WebRoute.pairingEnd.link(id) : nil
        if space.pairing.status == .endedEarly {
            let day = space.pairing.endedAt.map { ZonedTime.day($0, in: space.myZone) } ?? "recently"
            let text = space.pairing.endedByPerson == space.myPersonID
                ? "You ended this pairing on \(day). Thank you for the time you gave it."
                : "This pairing ended on \(day). Pairings end early for all sorts of reasons, and it is nobody's fault. Thank you for the time you gave it."
            let offer = EndingService.offersRematch(space.programme, today: Day(now)) ? space.me.application.rematch : nil
            ended = Ended(text: text + " Everything here stays readable.", offered: offer == .offered, wanted: offer == .wanted,
                          declined: offer == .declined, action: WebRoute.rematch.link(id))
        }
    }
}
