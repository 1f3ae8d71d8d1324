import Fluent
import Foundation
import SQLKit

/// Messages that time sends (DESIGN.md, "Mail"): meeting reminders 24 hours before, the "log it" prompt after a meeting,
/// check-ins when they fall due, enrolment closing soon, the daily and weekly digests, and the coordinator's weekly
/// summary. Each runs from a durable job on the injected clock; each reminder carries a key, so it goes once however
/// often the job runs and however many instances run it.
struct ScheduledMail {
    let database: any Database
    var clock: UpwardClock = .system
    /// Where Upward is reached, for the links in the messages.
    var publicURL = ""

    static let remindersJob = JobKind("mail.reminders")
    static let remindersInterval: TimeInterval = 600
    static let digestsJob = JobKind("mail.digests")
    static let digestsInterval: TimeInterval = 900
    /// Tells every applicant of a programme the outcome of selection, once the coordinator confirms it.
    static let selectionJob = JobKind("mail.selection")

    struct SelectionPayload: Codable, Sendable {
        var programme: UUID
    }

    /// A meeting's reminder goes this long before it starts.
    static let reminderLead: TimeInterval = 24 * 3600
    /// The "log it" prompt goes this long after a meeting that is still only planned ended, and not after `logWindow`.
    static let logPromptAfter: TimeInterval = 3600
    static let logWindow: TimeInterval = 3 * 86_400
    /// A check-in is announced on the day it falls due, or up to this many days late (a stopped server catches up).
    static let checkInCatchUpDays = 2
    /// Invited people who have not applied hear this many days before enrolment closes.
    static let enrolmentClosingDays = 3
    /// Digests and the weekly summary go at this hour (UTC); weekly ones on Mondays.
    static let digestHour = 7
    /// Candidates one round looks at, at most; the next round goes on.
    static let batch = 500
    /// Expired one-time links are kept this long, so an old link still says "expired" rather than "unknown".
    static let keepExpiredTokens: TimeInterval = 30 * 86_400

    struct Sent: Equatable, Sendable {
        var meetingReminders = 0, logPrompts = 0, checkInsDue = 0, enrolmentClosing = 0, digests = 0, coordinatorDigests = 0
        var expiredTokensRemoved = 0
    }

    private var now: Date { clock.now() }
    private var notifier: Notifier { Notifier(database: database, clock: clock) }

    /// The reminders job's round.
    @discardableResult
    func sendReminders() async throws -> Sent {
        var sent = Sent()
        sent.meetingReminders = try await meetingReminders()
        sent.logPrompts = try await logPrompts()
        sent.checkInsDue = try await checkInsDue()
        sent.enrolmentClosing = try await enrolmentClosing()
        sent.expiredTokensRemoved = try await removeExpiredTokens()
        return sent
    }

    /// The digests job's round.
    @discardableResult
    func sendDigests() async throws -> Sent {
        var sent = Sent()
        sent.digests = try await digests(.daily) + digests(.weekly)
        sent.coordinatorDigests = try await coordinatorDigests()
        return sent
    }

    // MARK: Meetings

    /// Who attends each of these meetings, with their accounts: members who see it (on a board, the holder and that
    /// advisor), in three queries whatever the number of meetings.
    private func attendees(of meetings: [Meeting]) async throws -> [UUID: [(member: PairingMember, recipient: Recipient)]] {
        let pairingIDs = Set(meetings.map { $0.$pairing.id })
        guard !pairingIDs.isEmpty else { return [:] }
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).filter(\.$answer == .accepted)
            .with(\.$person).with(\.$application).all()
        let recipients = try await Notifier.recipients(members.map(\.person), on: database)
        let byPairing = Dictionary(grouping: zip(members, recipients).map { (member: $0, recipient: $1) }, by: { $0.member.$pairing.id })
        var out: [UUID: [(member: PairingMember, recipient: Recipient)]] = [:]
        for meeting in meetings {
            guard let id = meeting.id else { continue }
            out[id] = (byPairing[meeting.$pairing.id] ?? []).filter { entry in
                guard let advisor = meeting.advisorID else { return true }
                return entry.member.side == .mentee || entry.member.$person.id == advisor
            }
        }
        return out
    }

    /// Planned meetings of active pairings whose start (or end) falls in `range`, a page of `batch` at a time (by
    /// time, then id), each page handed to `body`: every meeting of the window is seen, however many came before.
    private func plannedMeetings(_ column: KeyPath<Meeting, FieldProperty<Meeting, Date>>, in range: ClosedRange<Date>,
                                 _ body: ([Meeting]) async throws -> Int) async throws -> Int {
        var count = 0, page = 0
        while true {
            let meetings = try await Meeting.query(on: database)
                .join(Pairing.self, on: \Meeting.$pairing.$id == \Pairing.$id)
                .filter(Pairing.self, \.$status == .active)
                .filter(\.$status == .planned)
                .filter(column >= range.lowerBound).filter(column <= range.upperBound)
                .sort(column).sort(\.$id).range((page * Self.batch)..<((page + 1) * Self.batch)).all()
            count += try await body(meetings)
            if meetings.count < Self.batch { return count }
            page += 1
        }
    }

    /// The names of the programmes of these pairings, in one query.
    private func programmeNames(of pairingIDs: Set<UUID>) async throws -> [UUID: (programmeID: UUID, name: String)] {
        guard !pairingIDs.isEmpty else { return [:] }
        let pairings = try await Pairing.query(on: database).filter(\.$id ~~ pairingIDs).with(\.$programme).all()
        return Dictionary(uniqueKeysWithValues: pairings.compactMap { p in p.id.map { ($0, (p.$programme.id, p.programme.name)) } })
    }

    /// Keys already used, of these: one query per few hundred.
    private func usedKeys(_ keys: [String]) async throws -> Set<String> {
        var used = Set<String>()
        for chunk in keys.chunks(of: 500) {
            let rows = try await AppNotification.query(on: database).filter(\.$dedupeKey ~~ chunk).all(\.$dedupeKey)
            used.formUnion(rows.compactMap { $0 })
        }
        return used
    }

    /// One letter for one person, with the key that makes it go once (nil for someone without an account).
    private struct Keyed {
        var key: String?
        var letter: Letter
        var recipient: Recipient
    }

    /// Sends each letter whose key is unused; the used keys are found in a few queries, not one per letter.
    private func sendOnce(_ items: [Keyed]) async throws -> Int {
        let used = try await usedKeys(items.compactMap(\.key))
        var count = 0
        for item in items where !(item.key.map(used.contains) ?? false) {
            if try await notifier.send(item.letter, to: item.recipient, dedupeKey: item.key) { count += 1 }
        }
        return count
    }

    /// Sends `letter(meeting, member)` once per key to everyone attending these meetings. People without an account
    /// (who cannot read a meeting either) are left out: a key needs someone to keep it for.
    private func sendOnce(_ meetings: [Meeting], key: (Meeting, UUID) -> String,
                          letter: (Meeting, PairingMember, String) -> Letter) async throws -> Int {
        let attendees = try await attendees(of: meetings)
        let programmes = try await programmeNames(of: Set(meetings.map { $0.$pairing.id }))
        var items: [Keyed] = []
        for meeting in meetings {
            let programme = programmes[meeting.$pairing.id]?.name ?? "your programme"
            for entry in attendees[meeting.id ?? UUID()] ?? [] {
                guard let userID = entry.recipient.user?.id else { continue }
                items.append(Keyed(key: key(meeting, userID), letter: letter(meeting, entry.member, programme), recipient: entry.recipient))
            }
        }
        return try await sendOnce(items)
    }

    private func meetingLink(_ meeting: Meeting) -> String {
        publicURL + WebRoute.meeting.link(meeting.$pairing.id, meeting.id ?? UUID())
    }

    /// Meetings starting within the next 24 hours; a moved meeting (a new sequence) is reminded again.
    func meetingReminders() async throws -> Int {
        let now = self.now
        return try await plannedMeetings(\.$startsAt, in: now...now.addingTimeInterval(Self.reminderLead)) { meetings in
            try await sendOnce(meetings, key: { "meeting-reminder:\($0.id?.uuidString ?? ""):\($0.sequence):\($1.uuidString)" }) { meeting, member, programme in
                let when = PairingSpaceService.day(meeting.startsAt, in: PairingSpaceService.timeZone(of: member))
                let link = meetingLink(meeting)
                return Letter(kind: .meetingReminder, subject: "Coming up: your \(programme) meeting, \(when)", body: """
                    Hello \(member.person.name),

                    Your meeting in \(programme) is on \(when)\(meeting.location.map { ", at \($0)" } ?? "").
                    Its agenda, and the place to move or cancel it if you must: \(link)
                    """, path: Letter.path(of: link))
            }
        }
    }

    /// Meetings that ended an hour or more ago and are still only planned: did it happen?
    func logPrompts() async throws -> Int {
        let now = self.now
        let window = now.addingTimeInterval(-Self.logWindow)...now.addingTimeInterval(-Self.logPromptAfter)
        return try await plannedMeetings(\.$endsAt, in: window) { meetings in
            try await sendOnce(meetings, key: { "meeting-log:\($0.id?.uuidString ?? ""):\($1.uuidString)" }) { meeting, member, programme in
                let when = PairingSpaceService.day(meeting.startsAt, in: PairingSpaceService.timeZone(of: member))
                let link = meetingLink(meeting)
                return Letter(kind: .meetingReminder, subject: "How did it go? Log your meeting of \(when)", body: """
                    Hello \(member.person.name),

                    Your meeting in \(programme) of \(when) has passed. Say whether it was held, missed or cancelled — it takes
                    a click, and it keeps your pairing's record (and the programme's) true: \(link)
                    """, path: Letter.path(of: link))
            }
        }
    }

    // MARK: Selection

    /// The selected, waitlisted (with their position) and declined applicants of `programmeID` hear the outcome: a
    /// key per person, so the job may run again after a stop without telling anyone twice.
    @discardableResult
    func selectionOutcomes(_ programmeID: UUID) async throws -> Int {
        guard let programme = try await Programme.find(programmeID, on: database) else { return 0 }
        let link = publicURL + WebRoute.programme.link(programmeID)
        var count = 0
        var after: UUID?
        while true {
            var query = ProgrammeApplication.query(on: database).filter(\.$programme.$id == programmeID)
                .filter(\.$status ~~ [.selected, .waitlisted, .declined]).sort(\.$id).limit(Self.batch)
            if let after { query = query.filter(\.$id > after) }
            let applications = try await query.with(\.$person).all()
            guard let last = applications.last?.id else { break }
            after = last
            let recipients = try await Notifier.recipients(applications.map(\.person), on: database)
            count += try await sendOnce(zip(applications, recipients).map { application, recipient in
                Keyed(key: recipient.user?.id.map { "selection-outcome:\(programmeID):\($0)" },
                      letter: Mail.selectionOutcome(to: application.person, programme: programme, status: application.status,
                                                    position: application.waitlistPosition, link: link),
                      recipient: recipient)
            })
            if applications.count < Self.batch { break }
        }
        return count
    }

    // MARK: Check-ins

    /// Members of active pairings whose check-in fell due today (or up to two days ago) and is not answered.
    func checkInsDue() async throws -> Int {
        let today = clock.today
        var count = 0
        var after: UUID?
        while true {
            var query = Pairing.query(on: database).filter(\.$status == .active).filter(\.$activatedAt != nil).sort(\.$id).limit(Self.batch)
            if let after { query = query.filter(\.$id > after) }
            let pairings = try await query.with(\.$programme).all()
            guard let last = pairings.last?.id else { break }
            after = last
            let ids = pairings.compactMap(\.id)
            let firstHeld = try await firstHeldDays(ids)
            let answered = Set(try await CheckIn.query(on: database).filter(\.$pairing.$id ~~ ids).all()
                .map { "\($0.$pairing.id):\($0.personID):\($0.kind.rawValue):\($0.dueOn)" })
            let members = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ ids).filter(\.$answer == .accepted).with(\.$person).all()
            let recipients = try await Notifier.recipients(members.map(\.person), on: database)
            let byPairing = Dictionary(grouping: zip(members, recipients).map { ($0, $1) }, by: { $0.0.$pairing.id })
            var items: [Keyed] = []
            for pairing in pairings {
                guard let id = pairing.id, let activated = pairing.activatedAt else { continue }
                let slots = pairing.programme.checkInSchedule.due(activatedOn: Day(activated), firstHeld: firstHeld[id], until: today,
                                                                  last: pairing.programme.endsOn.flatMap(Day.init))
                    .filter { today.daysSince1970 - $0.day.daysSince1970 <= Self.checkInCatchUpDays }
                for slot in slots {
                    for (member, recipient) in byPairing[id] ?? [] {
                        guard let userID = recipient.user?.id,
                              !answered.contains("\(id):\(member.$person.id):\(slot.kind.rawValue):\(slot.day)") else { continue }
                        let link = publicURL + WebRoute.checkIns.link(id)
                        let question = slot.kind == .fit ? "one question: is it a good fit?" : "three questions on how it is going"
                        items.append(Keyed(key: "checkin-due:\(id):\(slot.kind.rawValue):\(slot.day):\(userID)", letter: Letter(
                            kind: .checkInDue, subject: "Check-in due: \(pairing.programme.name)", body: """
                                Hello \(member.person.name),

                                Your pairing's check-in is due: \(question). Your answers go to the programme's coordinator,
                                never to your partner, and help spot a pair that needs support early. \(link)
                                """, path: Letter.path(of: link)), recipient: recipient))
                    }
                }
            }
            count += try await sendOnce(items)
            if pairings.count < Self.batch { break }
        }
        return count
    }

    /// The day of each pairing's first held meeting, in one grouped query.
    private func firstHeldDays(_ pairingIDs: [UUID]) async throws -> [UUID: Day] {
        let held = try await Meeting.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).filter(\.$status == .held).sort(\.$startsAt).all()
        var out: [UUID: Day] = [:]
        for meeting in held where out[meeting.$pairing.id] == nil { out[meeting.$pairing.id] = Day(meeting.startsAt) }
        return out
    }

    // MARK: Enrolment

    /// Invited people who have not applied, three days before enrolment closes.
    func enrolmentClosing() async throws -> Int {
        let day = clock.today.adding(days: Self.enrolmentClosingDays).description
        let programmes = try await Programme.query(on: database).filter(\.$status == .enrolling).filter(\.$enrolmentCloses == day).all()
        var count = 0
        for programme in programmes {
            let id = try programme.requireID()
            let link = publicURL + WebRoute.programme.link(id)
            struct Row: Decodable { var person_id: UUID }
            var after: UUID?
            // Invited and not applied (a draft is not an application), a page at a time in the database.
            while true {
                let page: SQLQueryString = after.map { "AND i.person_id > \(bind: $0) " } ?? ""
                let rows = try await database.requireSQL().raw("""
                    SELECT i.person_id FROM \(ident: ProgrammeInvitation.schema) i WHERE i.programme_id = \(bind: id) \
                    \(page)AND NOT EXISTS (SELECT 1 FROM \(ident: ProgrammeApplication.schema) a \
                    WHERE a.programme_id = i.programme_id AND a.person_id = i.person_id AND a.status <> \(bind: ApplicationStatus.draft.rawValue)) \
                    ORDER BY i.person_id LIMIT \(unsafeRaw: String(Self.batch))
                    """).all(decoding: Row.self)
                guard let last = rows.last?.person_id else { break }
                after = last
                let people = try await Person.query(on: database).filter(\.$id ~~ rows.map(\.person_id)).all()
                let recipients = try await Notifier.recipients(people, on: database)
                count += try await sendOnce(zip(people, recipients).compactMap { person, recipient in
                    recipient.user?.id.map { userID in
                        Keyed(key: "enrolment-closing:\(id):\(userID)", letter: Letter(
                            kind: .enrolmentClosing, subject: "Enrolment closes in 3 days: \(programme.name)", body: """
                                Hello \(person.name),

                                You were invited to \(programme.name) (\(programme.commitment)). Enrolment closes on \(day); if you
                                would like to take part, apply before then: \(link)
                                """, path: Letter.path(of: link)), recipient: recipient)
                    }
                })
                if rows.count < Self.batch { break }
            }
        }
        return count
    }

    /// Invitation and reset links that expired long ago are removed.
    func removeExpiredTokens() async throws -> Int {
        let cutoff = now.addingTimeInterval(-Self.keepExpiredTokens)
        return try await database.writeTransaction { db in
            let query = OneTimeToken.query(on: db).filter(\.$expiresAt < cutoff)
            let count = try await query.copy().count()
            if count > 0 { try await query.delete() }
            return count
        }
    }

    // MARK: Digests

    /// The latest digest hour that has passed: today's, or yesterday's before it; for a weekly digest, Monday's.
    static func boundary(_ delivery: NotificationDelivery, now: Date) -> Date {
        let today = Day(now)
        var day = now >= today.startDate.addingTimeInterval(Double(digestHour) * 3600) ? today : today.adding(days: -1)
        if delivery == .weekly {
            // 1970-01-01 was a Thursday: Monday is (days + 3) % 7 == 0.
            day = day.adding(days: -((day.daysSince1970 + 3) % 7))
        }
        return day.startDate.addingTimeInterval(Double(digestHour) * 3600)
    }

    /// One digest per person with notifications waiting for it from before the last digest hour; none when nothing
    /// waits. Each person's digest and the marking of what it holds are one transaction.
    func digests(_ delivery: NotificationDelivery) async throws -> Int {
        let boundary = Self.boundary(delivery, now: now)
        struct Row: Decodable { var user_id: UUID }
        // Active accounts only: a deactivated one's waiting rows would otherwise come first in every round.
        let users = try await database.requireSQL().raw("""
            SELECT DISTINCT n.user_id FROM \(ident: AppNotification.schema) n JOIN \(ident: User.schema) u ON u.id = n.user_id \
            WHERE n.digest = \(bind: delivery.rawValue) AND n.digested_at IS NULL AND n.created_at < \(bind: boundary) \
            AND u.deactivated_at IS NULL LIMIT \(unsafeRaw: String(Self.batch))
            """).all(decoding: Row.self).map(\.user_id)
        var count = 0
        for userID in users {
            guard let user = try await User.find(userID, on: database), user.isActive else { continue }
            let now = self.now
            let sent = try await database.writeTransaction { db -> Bool in
                let waiting = try await AppNotification.query(on: db).filter(\.$user.$id == userID).filter(\.$digest == delivery)
                    .filter(\.$digestedAt == nil).filter(\.$createdAt < boundary).sort(\.$createdAt).all()
                guard !waiting.isEmpty else { return false }
                let period = delivery == .daily ? "day" : "week"
                let lines = waiting.map { n in "• \(n.subject)\(n.link.map { "\n  \(publicURL + $0)" } ?? "")" }
                let message = OutboxMessage(recipient: user.email, subject: "Your Upward \(delivery == .daily ? "daily" : "weekly") digest: \(waiting.count) update\(waiting.count == 1 ? "" : "s")",
                                            body: """
                    Hello \(user.name),

                    What happened in Upward this \(period):

                    \(lines.joined(separator: "\n\n"))

                    Read them all under Notifications: \(publicURL + WebRoute.notifications.link())
                    """)
                message.kind = NotificationService.digestTopic(delivery)
                message.unsubscribePath = Notifier.unsubscribePath(token: try await Notifier.unsubscribeToken(user, on: db),
                                                                   topic: NotificationService.digestTopic(delivery))
                try await message.create(on: db)
                try await AppNotification.query(on: db).filter(\.$id ~~ waiting.compactMap(\.id)).set(\.$digestedAt, to: now).update()
                return true
            }
            if sent { count += 1 }
        }
        return count
    }

    /// Each coordinator's weekly look at the programmes that are not closed: the next action of each and the newest
    /// alerts someone raised. Once a week (a key per week and person); none when no programme is open.
    func coordinatorDigests() async throws -> Int {
        let monday = Self.boundary(.weekly, now: now)
        // On Monday (from the digest hour), not on the first round of a server started mid-week.
        guard now.timeIntervalSince(monday) < 86_400 else { return 0 }
        let week = Day(monday)
        let coordinators = try await User.query(on: database).filter(\.$role == .coordinator).filter(\.$deactivatedAt == nil).all()
        guard !coordinators.isEmpty else { return 0 }
        let keys = coordinators.compactMap { $0.id.map { "coordinator-digest:\(week):\($0)" } }
        let used = try await usedKeys(keys)
        let due = coordinators.filter { $0.id.map { !used.contains("coordinator-digest:\(week):\($0)") } ?? false }
        guard !due.isEmpty else { return 0 }
        let overview = ProgrammeOverview(database: database, clock: clock)
        let actions = try await overview.nextActions()
        guard !actions.isEmpty else { return 0 }
        let alerts = try await overview.urgentAlerts(limit: 10)
        var lines = actions.map { "• \($0.name) (\($0.status.label.lowercased())): \($0.text)\n  \(publicURL + WebRoute.programme.link($0.programmeID))" }
        if !alerts.isEmpty {
            lines.append("Raised by participants, newest first:")
            lines += alerts.map { "• \($0.programmeName), \($0.pair): \($0.detail)\n  \(publicURL + WebRoute.healthPairing.link($0.programmeID, $0.pairingID))" }
        }
        var count = 0
        for user in due {
            let letter = Letter(kind: .coordinatorDigest, subject: "Your programmes this week: \(actions.count) open, \(actions.filter(\.urgent).count) need you", body: """
                Hello \(user.name),

                Your programmes in Upward, week of \(week):

                \(lines.joined(separator: "\n\n"))
                """, path: WebRoute.home.link())
            if try await notifier.send(letter, to: Notifier.recipient(user), dedupeKey: "coordinator-digest:\(week):\(try user.requireID())") { count += 1 }
        }
        return count
    }
}
