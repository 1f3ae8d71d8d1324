import Fluent
import Foundation

/// The running demo programme's pairings at different points, done through the services people use, so every page
/// of the space and the coordinator's health board have something to show: one pair with a signed agreement, goals
/// with history, meetings held and cancelled and notes; one that has not signed yet and has a meeting nobody
/// logged; one with a missed meeting; then one pair for each remaining signal and state (cancellations by the senior
/// side, a low check-in asking for help, a falling score, two members far apart, "not a good fit", no goal after two
/// meetings, a thriving pair, one on track, and one that ended early with a re-match asked for). Alerts are raised
/// at the end, and one is acknowledged.
enum DemoPairings {
    /// `started`: the clock on the programme's first day, when the pairs read the preparation, signed and set goals.
    static func load(_ programme: Programme, into db: any Database, clock: UpwardClock, started: UpwardClock, publicURL: String = "",
                     logins: [Person]) async throws {
        let service = PairingSpaceService(database: db, clock: clock, publicURL: publicURL)
        let early = PairingSpaceService(database: db, clock: started, publicURL: publicURL)
        let pairings = try await Pairing.query(on: db).filter(\.$programme.$id == programme.requireID()).filter(\.$status == .active)
            .with(\.$members).sort(\.$createdAt).all()
        let loginIDs = logins.compactMap(\.id)
        // The logins' pairings first (the running-pairing junior and senior share one), then the rest.
        let ordered = pairings.sorted { a, b in
            let rank = { (p: Pairing) in p.members.compactMap { loginIDs.firstIndex(of: $0.$person.id) }.min() ?? Int.max }
            return rank(a) < rank(b)
        }
        guard ordered.count >= 3 else { return }
        let checkIns = CheckInService(database: db, clock: clock)
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

        guard ordered.count >= 12 else { return try await raiseAlerts(programme, db: db, clock: clock) }
        /// Every meeting whose time has passed, held: a pair that keeps its rhythm.
        func holdPast(_ space: PairingSpaceService.Space) async throws -> [Meeting] {
            let past = try await service.meetings(space).filter { $0.endsAt < clock.now() && $0.status == .planned }
            for meeting in past { try await service.act(space, on: meeting.id, .held) }
            return past
        }
        func settle(_ junior: PairingSpaceService.Space, _ senior: PairingSpaceService.Space, goal: String?) async throws {
            for space in [junior, senior] {
                try await early.acknowledgePreparation(space)
                try await early.sign(space, version: 1)
            }
            if let goal {
                try await early.addGoal(senior, GoalContent(learner: .mentee, title: goal, measure: "We both see it in my week.", targetDate: nil,
                                                            tasks: [], progress: 30, status: .open))
            }
        }
        /// Both pulses (and the fit check, when due) of one member.
        func answer(_ space: PairingSpaceService.Space, pulses: [[Int]], fit: FitAnswer = .goodFit, help: Bool = false, comment: String? = nil) async throws {
            let due = try await checkIns.due(space)
            for (slot, scores) in zip(due.filter { $0.kind == .pulse }, pulses) {
                try await checkIns.answer(space, kind: .pulse, day: slot.day, .init(relationship: scores[0], safety: scores[1], progress: scores[2],
                                                                                  needsHelp: help, comment: comment))
            }
            if let slot = due.first(where: { $0.kind == .fit }) { try await checkIns.answer(space, kind: .fit, day: slot.day, .init(fit: fit, needsHelp: false)) }
        }

        // 1 (continued). The senior checked in; the junior's check-ins are still waiting for them.
        if let (_, senior) = try await spaces(ordered[0]) { try await answer(senior, pulses: [[4, 4, 4], [5, 4, 4]]) }

        // 4. The senior side cancelled twice in a row since the first meeting: the last one and the next one.
        if let (junior, senior) = try await spaces(ordered[3]) {
            try await settle(junior, senior, goal: "Post on our internal network once a week")
            let meetings = try await service.meetings(junior)
            if let first = meetings.first, first.endsAt < clock.now() { try await service.act(junior, on: first.id, .held) }
            for meeting in meetings.dropFirst().prefix(2) {
                try await service.act(senior, on: meeting.id, .cancel, reason: "Clashed with a client visit.")
            }
        }
        // 5. A low check-in asking for help.
        if let (junior, senior) = try await spaces(ordered[4]) {
            try await settle(junior, senior, goal: "Use AI tools to draft my weekly update")
            _ = try await holdPast(junior)
            try await answer(junior, pulses: [[3, 3, 3], [2, 2, 2]], help: true, comment: "We keep talking past each other; could you help us reset?")
            try await answer(senior, pulses: [[4, 4, 3], [3, 4, 3]])
        }
        // 6. A score that fell.
        if let (junior, senior) = try await spaces(ordered[5]) {
            try await settle(junior, senior, goal: "Understand how the graduates onboard")
            _ = try await holdPast(junior)
            try await answer(senior, pulses: [[5, 5, 5], [5, 5, 3]])
            try await answer(junior, pulses: [[4, 5, 4], [4, 4, 4]])
        }
        // 7. Two members who see it differently.
        if let (junior, senior) = try await spaces(ordered[6]) {
            try await settle(junior, senior, goal: "Read a data dashboard on my own")
            _ = try await holdPast(junior)
            try await answer(senior, pulses: [[5, 5, 5], [5, 5, 5]])
            try await answer(junior, pulses: [[3, 3, 3], [3, 3, 3]])
        }
        // 8. "Not a good fit".
        if let (junior, senior) = try await spaces(ordered[7]) {
            try await settle(junior, senior, goal: "Learn how our app is built")
            _ = try await holdPast(junior)
            try await answer(junior, pulses: [], fit: .notAGoodFit)
        }
        // 9. Meeting, but no goal after two meetings.
        if let (junior, senior) = try await spaces(ordered[8]) {
            try await settle(junior, senior, goal: nil)
            _ = try await holdPast(junior)
        }
        // 10. Thriving: everything held, goals moving, check-ins high.
        if let (junior, senior) = try await spaces(ordered[9]) {
            try await settle(junior, senior, goal: "Present with a live data visual")
            try await early.addGoal(junior, GoalContent(learner: .mentor, title: "See how a strategy paper is written", measure: "I draft one section.",
                                                        targetDate: nil, tasks: [], progress: 50, status: .open))
            _ = try await holdPast(junior)
            try await answer(junior, pulses: [[5, 5, 4], [5, 5, 5]])
            try await answer(senior, pulses: [[4, 5, 4], [5, 5, 4]])
        }
        // 11. On track: meeting and a goal, no check-in answered yet.
        if let (junior, senior) = try await spaces(ordered[10]) {
            try await settle(junior, senior, goal: "Run a retrospective with my team")
            _ = try await holdPast(junior)
        }
        // 12. Ended early by the junior, who would like a new partner; the senior has not answered the offer yet.
        if let (junior, senior) = try await spaces(ordered[11]) {
            try await settle(junior, senior, goal: "Try a new collaboration tool")
            _ = try await holdPast(junior)
            try await EndingService(database: db, clock: clock).leave(junior, reason: "Our working hours barely overlap since my team moved shifts.",
                                                                      wantAnother: true, linkBase: "")
        }
        try await raiseAlerts(programme, db: db, clock: clock)
    }

    /// The alerts the hourly job would raise, at once, with the oldest quiet-pair alert acknowledged by the coordinator.
    static func raiseAlerts(_ programme: Programme, db: any Database, clock: UpwardClock) async throws {
        let health = HealthService(database: db, clock: clock)
        try await health.raiseAlerts(for: programme)
        if let quiet = try await Alert.query(on: db).filter(\.$programmeID == programme.requireID()).filter(\.$kind == .quiet).first() {
            try await health.handle(quiet.id, in: programme, resolve: false, note: "Called both; they are finding a new slot.", by: "demo")
        }
    }
}
