import Fluent
import Foundation
import Matching
import SQLKit
import Vapor

/// Runs the engine on a programme, keeps runs for comparison, lets the coordinator adjust them, publishes
/// pairings and collects consent (DESIGN.md, "Matching run", "Pairing").
struct MatchingService {
    let database: any Database
    var clock: UpwardClock = .system
    /// Where Upward is reached, for the links in the messages it writes.
    var publicURL = ""
    /// Told the share of a run done as the engine reports it (tests hold a run part-way with it).
    var progressHook: (@Sendable (Double) -> Void)?
    var today: Day { clock.today }
    /// Days participants have to answer after publication.
    static let consentDays = 7

    // MARK: Settings

    static func defaultSettings(for programme: Programme) -> MatchingSettings {
        let format: Format = switch programme.format {
        case .reverse: .reverse
        case .twoWay: .twoWay
        case .advisoryBoard: .advisoryBoard
        }
        var settings = MatchingSettings.defaults(for: format)
        settings.minimumLevelGap = programme.minLevelGap
        settings.boardSize = programme.format == .advisoryBoard ? (programme.boardSize ?? 3) : 1
        return settings
    }

    /// The settings a run was made with (a run stored unreadably counts as made with the format's defaults).
    static func settings(of run: MatchingRun, in programme: Programme) -> MatchingSettings {
        JSONText.decode(MatchingSettings.self, run.settingsJSON, default: defaultSettings(for: programme))
    }

    /// The settings of the latest run, or the format's defaults.
    func currentSettings(for programme: Programme) async throws -> MatchingSettings {
        if let last = try await runs(of: programme).first {
            return Self.settings(of: last, in: programme)
        }
        return Self.defaultSettings(for: programme)
    }

    func runs(of programme: Programme) async throws -> [MatchingRun] {
        try await MatchingRun.query(on: database).filter(\.$programme.$id == programme.requireID()).sort(\.$number, .descending).all()
    }
}
