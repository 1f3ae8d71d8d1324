import Fluent
import Foundation
import Vapor

// MARK: Where a participant stands, and the one thing to do next

extension PairingSpaceService {
    /// The one next step in a pairing's space, by priority: read the preparation, sign the agreement, log a meeting
    /// that has passed, set a first goal (or one in the missing direction), else the next meeting.
    struct NextStep: Sendable, Equatable {
        enum Kind: String, Sendable { case prepare, sign, log, setGoal, meet, none }
        var kind: Kind
        var text: String
        /// The meeting it is about, for `log` and `meet`.
        var meetingID: UUID?
    }

    func nextStep(_ space: Space) async throws -> NextStep {
        let meetings = try await meetings(space)
        let agreement = try await agreementIfAny(space)
        let goals = try await goals(space)
        return Self.nextStep(space, agreement: agreement, goals: goals, meetings: meetings, now: now)
    }

    static func nextStep(_ space: Space, agreement: AgreementState?, goals: [Goal], meetings: [Meeting], now: Date) -> NextStep {
        let partnerNames = space.partners.map(\.person.name).joined(separator: " and ")
        let zone = timeZone(of: space.me)
        let firstHeld = meetings.contains { $0.status == .held }
        if space.pairing.status == .endedEarly { return NextStep(kind: .none, text: "This pairing has ended. Its space stays here to read.") }
        if space.me.preparedAt == nil && !firstHeld {
            return NextStep(kind: .prepare, text: "Read the preparation before your first meeting and say you have.")
        }
        if let agreement, agreement.signature(of: space.myPersonID) == nil {
            return NextStep(kind: .sign, text: agreement.current.version > 1
                            ? "The agreement changed (version \(agreement.current.version)): read it and sign it again."
                            : "Sign the agreement with \(partnerNames) before your first meeting.")
        }
        if let past = meetings.last(where: { $0.status == .planned && $0.endsAt <= now }) {
            return NextStep(kind: .log, text: "Log the meeting of \(Self.day(past.startsAt, in: zone)): held, missed or cancelled?", meetingID: past.id)
        }
        if goals.isEmpty { return NextStep(kind: .setGoal, text: "Set your first goal together.") }
        let missing = missingDirections(goals, format: space.programme.format)
        if let side = missing.first {
            return NextStep(kind: .setGoal, text: "Set a goal where \(learnerLabel(side, in: space).replacingOccurrences(of: " learns", with: "")) learns: a two-way pairing has goals each way.")
        }
        if let next = meetings.first(where: { $0.status == .planned && $0.startsAt > now }) {
            let with = next.advisorID.flatMap { id in space.members.first { $0.$person.id == id }?.person.name }
            let name = space.me.side == .mentee ? with ?? partnerNames : partnerNames
            return NextStep(kind: .meet, text: "Your next meeting is on \(Self.day(next.startsAt, in: zone)) with \(name).", meetingID: next.id)
        }
        return NextStep(kind: .none, text: "No meeting is planned. Plan the next one together, or log one you had.")
    }

    /// "Tue 24 Nov 2026, 09:30 (Europe/London)": in the reader's own zone, named.
    static func day(_ date: Date, in zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = zone
        f.dateFormat = "EEE d MMM yyyy, HH:mm"
        return "\(f.string(from: date)) (\(zone.identifier))"
    }
}
