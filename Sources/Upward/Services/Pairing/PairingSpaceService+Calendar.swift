import Fluent
import Foundation
import Scheduling
import Vapor

// MARK: Calendar feeds and single meetings as iCalendar

extension PairingSpaceService {
    /// A new secret feed address for the person, replacing any earlier one (which stops working at once).
    /// Returns the secret; only its digest is stored, so it is shown once.
    func newFeed(for personID: UUID) async throws -> String {
        let token = Secrets.newToken()
        try await database.writeTransaction { db in
            try await CalendarFeed.query(on: db).filter(\.$personID == personID).delete()
            let feed = CalendarFeed()
            feed.personID = personID
            feed.tokenHash = Secrets.digest(token)
            try await feed.create(on: db)
        }
        return token
    }

    func revokeFeed(for personID: UUID) async throws {
        try await database.writeTransaction { db in try await CalendarFeed.query(on: db).filter(\.$personID == personID).delete() }
    }

    /// When the person's current feed address was made, or nil when they have none.
    func feedCreated(for personID: UUID) async throws -> Date? {
        try await CalendarFeed.query(on: database).filter(\.$personID == personID).first()?.createdAt
    }

    /// The feed's calendar for a secret from its address, or nil when no feed has it (revoked, replaced, made up).
    func feed(token: String) async throws -> String? {
        guard !token.isEmpty, token.count <= 100,
              let feed = try await CalendarFeed.query(on: database).filter(\.$tokenHash == Secrets.digest(token)).first() else { return nil }
        // Someone who has left, or whose account is deactivated, no longer gets their pairs' meetings.
        guard let person = try await Person.find(feed.personID, on: database), !person.hasLeft(asOf: today.description),
              try await User.query(on: database).filter(\.$person.$id == feed.personID).filter(\.$deactivatedAt == nil).count() > 0 else {
            return nil
        }
        let events = try await events(for: feed.personID)
        return ICalendar.document(events, name: "Upward: reverse mentoring")
    }

    /// Every meeting the person sees in their pairings, as calendar events.
    func events(for personID: UUID) async throws -> [CalendarEvent] {
        let memberships = try await PairingMember.query(on: database).filter(\.$person.$id == personID).filter(\.$answer == .accepted)
            .with(\.$pairing) { $0.with(\.$programme) }.all()
            .filter(\.pairing.status.hasStarted)
        let pairingIDs = memberships.map { $0.$pairing.id }
        guard !pairingIDs.isEmpty else { return [] }
        let members = try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).filter(\.$answer == .accepted)
            .with(\.$person).with(\.$application).all()
        let meetings = try await Meeting.query(on: database).filter(\.$pairing.$id ~~ pairingIDs).sort(\.$startsAt).all()
        var events: [CalendarEvent] = []
        for meeting in meetings {
            guard let membership = memberships.first(where: { $0.$pairing.id == meeting.$pairing.id }) else { continue }
            let everyone = members.filter { $0.$pairing.id == meeting.$pairing.id }
            // `me` as loaded with everyone (person and application), like every other space.
            let space = Space(pairing: membership.pairing, programme: membership.pairing.programme,
                              me: everyone.first { $0.id == membership.id } ?? membership, members: everyone)
            guard space.sees(meeting) else { continue }
            events.append(event(meeting, in: space))
        }
        return events
    }

    /// One meeting as the member sees it: "Reverse mentoring with Sam Lee", its agenda and starter, its place.
    /// `DTSTAMP` is when the calendar is written (RFC 5545 §3.8.7.2, with a METHOD); `SEQUENCE` tells versions apart.
    func event(_ meeting: Meeting, in space: Space) -> CalendarEvent {
        let others = meeting.advisorID.map { advisor in space.members.filter { $0.$person.id == advisor || $0.side == .mentee } } ?? space.members
        let names = others.filter { $0.$person.id != space.myPersonID }.map(\.person.name)
        var description = [meeting.agenda]
        if let starter = meeting.starter { description.append("Conversation starter: \(starter)") }
        description.append("Programme: \(space.programme.name)")
        return CalendarEvent(
            uid: "\(meeting.id?.uuidString.lowercased() ?? "")@upward", sequence: meeting.sequence, start: meeting.startsAt, end: meeting.endsAt,
            summary: "\(space.programme.name): meeting with \(names.joined(separator: ", "))",
            description: description.filter { !$0.isEmpty }.joined(separator: "\n\n"), location: meeting.location,
            status: meeting.status == .cancelled ? .cancelled : .confirmed,
            stamp: now)
    }

    /// One meeting as a calendar file to download.
    func ics(_ meeting: Meeting, in space: Space) -> String {
        ICalendar.document([event(meeting, in: space)], method: "PUBLISH")
    }
}
