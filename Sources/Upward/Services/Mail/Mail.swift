import Foundation

/// The texts of the messages Upward sends, as letters for the `Notifier` (which knows how each person wants them).
enum Mail {
    static func invitation(name: String, link: String, expiresOn: Day) -> Letter {
        Letter(kind: .accountInvitation, subject: "You are invited to Upward", body: """
            Hello \(name),

            Your organisation runs its reverse mentoring programmes on Upward. Set your password to sign in:

            \(link)

            The link works once and expires on \(expiresOn).
            """, path: Letter.path(of: link))
    }

    static func passwordReset(name: String, link: String) -> Letter {
        Letter(kind: .passwordReset, subject: "Reset your Upward password", body: """
            Hello \(name),

            Someone asked to reset the password of your Upward account. If it was you, choose a new password here:

            \(link)

            The link works once and expires in one hour. If it was not you, ignore this message.
            """, path: Letter.path(of: link))
    }

    static func programmeInvitation(to person: Person, programme: Programme, link: String) -> Letter {
        Letter(kind: .programmeInvitation, subject: "You're invited: \(programme.name)", body: """
            Hello \(person.name),

            You are invited to apply to \(programme.name): \(programme.commitment). Enrolment closes on \(programme.enrolmentCloses ?? "a date still to be set").

            Read what it involves and apply: \(link)
            """, path: Letter.path(of: link))
    }

    static func promotedFromWaitlist(to person: Person, programme: Programme, link: String) -> Letter {
        Letter(kind: .applicationUpdate, subject: "A place opened for you: \(programme.name)", body: """
            Hello \(person.name),

            A place opened in \(programme.name) and you were next on the waiting list, so you are now selected.
            If you can no longer take part, withdraw on the programme's page: \(link)
            """, path: Letter.path(of: link))
    }

    static func proposal(to person: Person, programme: Programme, deadline: String, link: String) -> Letter {
        Letter(kind: .consentRequest, subject: "Your proposed match in \(programme.name)", body: """
            Hello \(person.name),

            \(programme.name) has a proposed match for you, with a few words on why. Nobody is paired against their wishes:
            accept or decline (a reason is optional and stays private) by \(deadline).

            \(link)
            """, path: Letter.path(of: link))
    }

    static func nudge(to person: Person, programme: Programme, deadline: String, link: String) -> Letter {
        Letter(kind: .consentRequest, subject: "Reminder: your match in \(programme.name) is waiting", body: """
            Hello \(person.name),

            Your proposed match in \(programme.name) is waiting for your answer. Accept or decline by \(deadline): \(link)
            """, path: Letter.path(of: link))
    }

    /// Kind, and without the reason: that is for the coordinator alone.
    static func pairingEnded(to person: Person, programme: Programme, rematchOffered: Bool, link: String) -> Letter {
        let offer = rematchOffered
            ? "If you would like a new partner for the rest of the programme, say so in your pairing's space; nobody is re-matched unasked."
            : "The programme is coming to its close, so there is no re-match this time."
        return Letter(kind: .pairingUpdate, subject: "Your pairing in \(programme.name) has ended", body: """
            Hello \(person.name),

            Your pairing in \(programme.name) has ended. Pairings end early for all sorts of reasons — diaries, roles,
            or simply a fit that did not click — and it is nobody's fault. Thank you for the time you gave it.

            \(offer) Your notes and the pairing's history stay readable: \(link)
            """, path: Letter.path(of: link))
    }

    static func applicationReceived(to person: Person, programme: Programme, link: String) -> Letter {
        Letter(kind: .applicationUpdate, subject: "Application received: \(programme.name)", body: """
            Hello \(person.name),

            Thank you for applying to \(programme.name). You can change your answers until enrolment closes on
            \(programme.enrolmentCloses ?? "the closing date"); after that the coordinator chooses who takes part, and you will hear either way.

            Your application: \(link)
            """, path: Letter.path(of: link))
    }

    /// The outcome of selection, sent once the coordinator confirms it: kind whatever it is.
    static func selectionOutcome(to person: Person, programme: Programme, status: ApplicationStatus, position: Int?, link: String) -> Letter {
        let (subject, text): (String, String) = switch status {
        case .selected:
            ("You are selected: \(programme.name)",
             "You have a place in \(programme.name). Next, the coordinator matches pairs; you will be asked to accept your proposed match before anything is final.")
        case .waitlisted:
            ("You are on the waiting list: \(programme.name)",
             "\(programme.name) had more applicants than places, so you are on the waiting list\(position.map { ", number \($0)" } ?? ""). If a place opens, it is yours and you will hear at once.")
        default:
            ("About your application: \(programme.name)",
             "Thank you for applying to \(programme.name). There were more applicants than places this round, so you do not have a place this time. This says nothing about what you would bring: please apply again next round.")
        }
        return Letter(kind: .applicationUpdate, subject: subject, body: """
            Hello \(person.name),

            \(text)

            \(link)
            """, path: Letter.path(of: link))
    }

    /// Both sides said yes: the pairing's space is ready.
    static func pairingActive(to person: Person, partners: [String], programme: Programme, firstMeeting: String?, link: String) -> Letter {
        Letter(kind: .pairingUpdate, subject: "You are paired: \(programme.name)", body: """
            Hello \(person.name),

            You and \(partners.joined(separator: " and ")) both said yes: your pairing in \(programme.name) is active.
            Before your first meeting\(firstMeeting.map { " (\($0))" } ?? ""), read the preparation and sign your agreement together.
            Your meetings are planned in your pairing's space, and your calendar can follow them from your account page.

            \(link)
            """, path: Letter.path(of: link))
    }
}
