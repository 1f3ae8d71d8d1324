import Foundation
import Vapor

/// Where Upward reads the time. The only place that asks the system; tests set another on the application.
struct UpwardClock: Sendable {
    let now: @Sendable () -> Date

    static let system = UpwardClock { Date() }

    /// Today in UTC, the day deadlines and enrolment windows are compared with.
    var today: Day { Day(now()) }

    /// A clock stopped at `date`, for tests.
    static func fixed(_ date: Date) -> UpwardClock { UpwardClock { date } }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = UpwardClock }

    var clock: UpwardClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var clock: UpwardClock { application.clock }
}
