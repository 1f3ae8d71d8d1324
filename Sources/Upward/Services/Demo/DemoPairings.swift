import Fluent
import Foundation

/// The running demo programme's pairings at different points, done through the pairing space's own service, so
/// every page of the space has something to show: one pair with a signed agreement, goals with history, meetings
/// held and cancelled and notes; one that has not signed yet and has a meeting nobody logged; one with a missed
/// meeting.
enum DemoPairings {
    /// `started`: the clock on the programme's first day, when the pairs read the preparation, signed and set goals.
    static func load(_ programme: Programme, into db: any Database, clock: UpwardClock, started: UpwardClock, logins: [Person]) async throws {
        let service = PairingSpaceService(database: db, clock: clock)
        let early = PairingSpaceService(database: db, clock: started)
        let pairings = try await Pairing.query(on: db).filter(\.$programme.$id == programme.requireID()).filter(\.$status == .active)
            .with(\.$members).sort(\.$createdAt).all()
        let loginIDs = logins.compactMap(\.id)
        // The logins' pairings first (the running-pairing junior and senior share one), then the rest.
        let ordered = pairings.sorted { a, b in
            let rank = { (p: Pairing) in p.members.compactMap { loginIDs.firstIndex(of: $0.$person.id) }.min() ?? Int.max }
            return rank(a) < rank(b)
        }
        guard ordered.count >= 3 else { return }
        func spaces(_ pairing: Pairing) async throws -> (mentor: PairingSpaceService.Space, mentee: PairingSpaceService.Space)? {
            guard let mentor = pairing.members.first(where: { $0.side == .mentor }), let mentee = pairing.members.first(where: { $0.side == .mentee }) else { return nil }
            return (try await service.space(pairing.id, personID: mentor.$person.id), try await service.space(pairing.id, personID: mentee.$person.id))
        }

        // 1. Well under way: both prepared and signed, goals each way with history, meetings held and one cancelled.
        if let (junior, senior) = try await spaces(ordered[0]) {
            for space in [junior, senior] {
                try await early.acknowledgePreparation(space)
                try await early.sign(space, version: 1)
            }
            let dashboard = try await early.addGoal(senior, GoalContent(
                learner: .mentee, title: "Use our analytics dashboard without help",
                measure: "I build the weekly sales view myself and explain it at the leadership meeting.", targetDate: clock.today.adding(days: 60).description,
                tasks: [GoalTask(title: "Sign in and find the sales view", done: true), GoalTask(title: "Filter by region", done: true),
                        GoalTask(title: "Build a view from scratch", done: false)],
                progress: 40, status: .open))
            var revised = dashboard.content
            revised.progress = 67
            try await service.updateGoal(senior, dashboard.id, revised, why: "Filtering clicked once we used real data.")
            try await early.addGoal(junior, GoalContent(
                learner: .mentor, title: "Understand how the annual budget is decided",
                measure: "I can explain who decides what, and when, to my team.", targetDate: nil, tasks: [], progress: 20, status: .open))
            let meetings = try await service.meetings(junior).filter { $0.startsAt < clock.now() }
            if let first = meetings.first {
                try await service.act(junior, on: first.id, .held)
                try await service.addNote(junior, text: "Asked more than I told. Next time bring the dashboard on my laptop.", meeting: first.id, shared: false)
                try await service.addNote(senior, text: "Thank you — I finally see why the team lives in chat. Trying it for a week.", meeting: first.id, shared: true)
            }
            if meetings.count > 1 {
                try await service.act(senior, on: meetings[1].id, .cancel, reason: "The board meeting moved onto our slot.")
                let redo = meetings[1].startsAt.addingTimeInterval(2 * 86_400)
                if redo < clock.now() {
                    try await service.addMeeting(senior, start: redo, minutes: programme.sessionMinutes, agenda: "The session we moved: the dashboard, hands on.", held: true)
                }
            }
            try await service.addNote(senior, text: "Ask about the graduate scheme's onboarding; my team's starts in spring.", shared: false)
        }

        // 2. Not signed yet, with a meeting that has passed and nobody logged.
        if let (junior, senior) = try await spaces(ordered[1]) {
            try await early.acknowledgePreparation(junior)
            try await early.addGoal(junior, GoalContent(
                learner: .mentee, title: "Run a team meeting with a shared live document", measure: "Done once, and the team asks to keep it.",
                targetDate: nil, tasks: [], progress: 0, status: .open))
            try await service.addNote(junior, text: "Suggest we start with what annoys their team about meetings.", shared: false)
            try await service.addNote(senior, text: "Looking forward to it. I am slow to reply on chat; email works.", shared: true)
        }

        // 3. Signed, the first meeting held and the second missed.
        if let (junior, senior) = try await spaces(ordered[2]) {
            for space in [junior, senior] {
                try await early.acknowledgePreparation(space)
                try await early.sign(space, version: 1)
            }
            let meetings = try await service.meetings(junior).filter { $0.startsAt < clock.now() }
            if let first = meetings.first { try await service.act(junior, on: first.id, .held) }
            if meetings.count > 1 { try await service.act(senior, on: meetings[1].id, .missed) }
        }
    }
}
