import Fluent
import Foundation
import Scheduling
import Vapor

/// The shared space where an active pairing does its work: partners, agreement (`+Agreement`), goals (`+Goals`),
/// meetings (`+Meetings`), notes (`+Notes`), calendar feeds (`+Calendar`) and the coordinator's counts
/// (`+Summary`). Every read and write goes through `space(_:for:)`, the one rule for who may see a pairing:
/// its members, and nobody else — not the coordinator, an admin or a sponsor.
struct PairingSpaceService {
    let database: any Database
    var clock: UpwardClock = .system
    /// Where Upward is reached, for the links in the messages it writes.
    var publicURL = ""
    /// Who sends meeting invitations: Upward's own address (`UPWARD_MAIL_FROM`).
    var organizer = CalendarPerson(name: "Upward", email: "upward@localhost")
    var now: Date { clock.now() }
    var today: Day { clock.today }

    /// A pairing as one of its members sees it: every member with their person and application loaded.
    struct Space: Sendable {
        var pairing: Pairing
        var programme: Programme
        var me: PairingMember
        var members: [PairingMember]

        var pairingID: UUID { pairing.id ?? UUID() }
        var myPersonID: UUID { me.$person.id }
        var isBoard: Bool { programme.format == .advisoryBoard }
        /// The people this member works with: the other side (on a board, an advisor works with the holder only).
        var partners: [PairingMember] { members.filter { $0.side != me.side } }
        /// Active pairings (and finished ones, to look back) may be written to; one ended early is read only.
        var isWritable: Bool { pairing.status == .active || pairing.status == .completed }

        func member(_ personID: UUID) -> PairingMember? { members.first { $0.$person.id == personID } }

        /// A board's meeting with one advisor is the holder's and that advisor's; any other meeting is everyone's.
        func sees(_ meeting: Meeting) -> Bool {
            guard let advisor = meeting.advisorID else { return true }
            return me.side == .mentee || advisor == myPersonID
        }

        /// A note is its author's, and also their partners' once shared: the other side of the pairing (on a board,
        /// an advisor's note reaches the holder, never the other advisors), and only those who see its meeting.
        func sees(_ note: Note, meeting: Meeting?) -> Bool {
            if note.authorID == myPersonID { return true }
            guard note.shared, let author = member(note.authorID), author.side != me.side else { return false }
            return meeting.map(sees) ?? true
        }

        func requireWritable() throws {
            guard isWritable else { throw Problem(.conflict, "This pairing has ended; its space can be read but no longer changed.") }
        }
    }

    /// The pairing with this id, if the user is one of its members and it has started. Anyone else — a coordinator
    /// included — is told it does not exist, so a pairing's space never reveals even that it is there.
    func space(_ pairingID: UUID?, for user: User) async throws -> Space {
        try await space(pairingID, personID: user.$person.id)
    }

    /// The same for a person (the demo acts for people without accounts).
    func space(_ pairingID: UUID?, personID: UUID?) async throws -> Space {
        let missing = Problem(.notFound, "You are in no pairing with this id. Your pairings are listed on your home page.")
        guard let pairingID, let personID,
              let pairing = try await Pairing.query(on: database).filter(\.$id == pairingID).with(\.$programme).first() else { throw missing }
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id == pairingID)
            .with(\.$person).with(\.$application).all()
        guard let me = members.first(where: { $0.$person.id == personID && $0.answer == .accepted }) else { throw missing }
        guard pairing.status.hasStarted else {
            throw Problem(.conflict, "This pairing starts once everyone in it has accepted; its space opens then.")
        }
        // A board advisor who declined is no longer part of it.
        let current = members.filter { $0.answer == .accepted }
        return Space(pairing: pairing, programme: pairing.programme, me: me, members: current.sorted { ($0.side.rawValue, $0.person.name) > ($1.side.rawValue, $1.person.name) })
    }

    /// The pairings a person is in (active or finished), newest first, programmes loaded.
    func pairings(of personID: UUID) async throws -> [Pairing] {
        let memberships = try await PairingMember.query(on: database).filter(\.$person.$id == personID).filter(\.$answer == .accepted)
            .with(\.$pairing) { $0.with(\.$programme) }.all()
        return memberships.map(\.pairing).filter(\.status.hasStarted)
            .sorted { ($0.activatedAt ?? $0.createdAt ?? .distantPast) > ($1.activatedAt ?? $1.createdAt ?? .distantPast) }
    }

    // MARK: Setting up a pairing that has just become active

    /// Writes the first version of the agreement from the programme's template and plans the meetings from its
    /// cadence. Idempotent: a pairing that already has an agreement is left as it is, so two members accepting at
    /// the same moment set it up once.
    func setUp(_ pairingID: UUID) async throws {
        try await database.writeTransaction { db in
            try await db.lockForWriting(Pairing.schema, id: pairingID)
            guard let pairing = try await Pairing.query(on: db).filter(\.$id == pairingID).with(\.$programme).first(),
                  pairing.status == .active,
                  try await Agreement.query(on: db).filter(\.$pairing.$id == pairingID).count() == 0 else { return }
            let members = try await PairingMember.query(on: db).filter(\.$pairing.$id == pairingID).filter(\.$answer == .accepted)
                .with(\.$person).with(\.$application).all()
            let service = PairingSpaceService(database: db, clock: clock, publicURL: publicURL, organizer: organizer)
            let agreement = Agreement()
            agreement.$pairing.id = pairingID
            agreement.version = 1
            agreement.terms = service.template(for: pairing.programme, members: members)
            try await agreement.create(on: db)
            try await service.planMeetings(pairing, programme: pairing.programme, members: members, on: db)
            let first = try await Meeting.query(on: db).filter(\.$pairing.$id == pairingID).filter(\.$status == .planned).sort(\.$startsAt).first()
            let link = publicURL + WebRoute.pairing.link(pairingID)
            for (member, recipient) in zip(members, try await Notifier.recipients(members.map(\.person), on: db)) {
                let partners = members.filter { $0.side != member.side }.map(\.person.name)
                let when = first.map { Self.day($0.startsAt, in: Self.timeZone(of: member)) }
                try await Notifier(database: db, clock: clock).send(
                    Mail.pairingActive(to: member.person, partners: partners, programme: pairing.programme, firstMeeting: when, link: link), to: recipient)
            }
        }
    }

    /// Active pairings without an agreement — activated before the space existed — set up now: the work of the
    /// `pairing.setUp` job. Returns how many.
    @discardableResult
    func setUpMissing() async throws -> Int {
        let sql = try database.requireSQL()
        struct Row: Decodable { let id: UUID }
        let rows = try await sql.raw("""
            SELECT p.id FROM \(ident: Pairing.schema) p WHERE p.status = \(bind: PairingStatus.active.rawValue)
            AND NOT EXISTS (SELECT 1 FROM \(ident: Agreement.schema) a WHERE a.pairing_id = p.id)
            """).all(decoding: Row.self)
        for row in rows { try await setUp(row.id) }
        return rows.count
    }

    /// Where a member is: their application's time zone, else the directory's, else UTC.
    static func timeZone(of member: PairingMember) -> TimeZone {
        let name = member.application.timeZone ?? member.person.timeZone ?? "UTC"
        return TimeZone(identifier: name) ?? .gmt
    }

    /// The programme's first and last day as this pairing lives them: from its start (or from the day after
    /// activation, for a pairing made while the programme runs) to its end.
    func period(of programme: Programme) -> (first: Day, last: Day) {
        let start = programme.startsOn.flatMap(Day.init) ?? today
        let first = max(start, today.adding(days: 1))
        let planned = first.adding(days: programme.sessionCount * programme.cadenceWeeks * 7)
        let last = max(first, programme.endsOn.flatMap(Day.init) ?? planned)
        return (first, last)
    }
}

/// What a partner and I have in common, the one rule the space's page and the API both show: interests we both
/// gave, skills they offer that I seek, skills I offer that they seek — compared without case or surrounding space,
/// each listed once in the giver's spelling. Only application answers a partner may see are read.
struct PartnerFit: Equatable, Sendable {
    var sharedInterests: [String]
    var offersYou: [String]
    var youOffer: [String]

    /// Both members with their applications loaded.
    init(partner: PairingMember, me: PairingMember) {
        let (them, mine) = (partner.application, me.application)
        sharedInterests = Self.common(them.interests, mine.interests)
        offersYou = Self.common(them.skillsOffered.map(\.name), mine.skillsSought.map(\.name))
        youOffer = Self.common(mine.skillsOffered.map(\.name), them.skillsSought.map(\.name))
    }

    /// The entries of `list` also in `other`, in `list`'s order and spelling, each once.
    static func common(_ list: [String], _ other: [String]) -> [String] {
        let key = { (text: String) in text.trimmed.lowercased() }
        let wanted = Set(other.map(key))
        var seen: Set<String> = []
        return list.filter { wanted.contains(key($0)) && seen.insert(key($0)).inserted }
    }
}
