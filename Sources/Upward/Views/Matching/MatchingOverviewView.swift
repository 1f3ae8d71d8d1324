import Matching

/// A programme's matching (`matching.leaf`): the settings form, its runs side by side, and consent at a glance.
struct MatchingOverviewView: Encodable {
    struct WeightField: Encodable {
        var key: String
        var label: String
        var value: String
    }

    /// The hard rules as the form shows them: boxes ticked or not, numbers as text.
    struct Rules: Encodable {
        var excludeReportingLine: Bool
        var excludeSameManagerPeers: Bool
        var requireDifferentDepartment: Bool
        var avoidRepeats: Bool
        var stable: Bool
        var minimumLevelGap: String
        var mentorCapacity: String
        var boardSize: String

        init(_ settings: MatchingSettings) {
            excludeReportingLine = settings.excludeReportingLine
            excludeSameManagerPeers = settings.excludeSameManagerPeers
            requireDifferentDepartment = settings.requireDifferentDepartment
            avoidRepeats = settings.avoidRepeats
            stable = settings.stable
            minimumLevelGap = String(settings.minimumLevelGap)
            mentorCapacity = String(settings.mentorCapacity)
            boardSize = String(settings.boardSize)
        }
    }

    struct RunLine: Encodable {
        var number: Int
        var link: String
        var when: String
        var by: String
        var status: String
        var running: Bool
        var progress: Int
        var matchedShare: String
        var total: String
        var lowest: String
        var changed: String
        var published: Bool
        var seconds: String
        /// "Adjusted 3 times: total now 24.10", when the coordinator changed the engine's result.
        var revision: String?
    }

    struct PairingLine: Encodable {
        /// For the status badge's CSS class only.
        var status: String
        var statusLabel: String
        /// The answer-by date while everyone's answer is awaited.
        var awaitingConsent: Bool
        var deadline: String
        var members: [MatchingMemberLine]
    }

    /// How many pairings are in each state of consent.
    struct ConsentCounts: Encodable {
        var active = 0
        var awaitingConsent = 0
        var declined = 0
        var expired = 0

        init(_ statuses: [PairingStatus]) {
            for status in statuses {
                switch status {
                case .active: active += 1
                case .awaitingConsent: awaitingConsent += 1
                case .declined: declined += 1
                case .expired: expired += 1
                case .completed, .endedEarly: break
                }
            }
        }
    }

    var p: ProgrammeSummary
    var canRun: Bool
    var runRefusal: String?
    var runLabel: String
    var weights: [WeightField]
    var rules: Rules
    var board: Bool
    var runs: [RunLine]
    var pairings: [PairingLine]
    var counts: ConsentCounts
    var action: String
    var nudgeLink: String
    var programmeLink: String
    var errors: [String]
}
