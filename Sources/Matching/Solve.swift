/// What `upward solve` does with a score file, as a plain function: choose the solver for the
/// options, solve, and report the pairs with statistics.
public enum Solve {
    public struct Options: Sendable, Equatable {
        /// Mentees per mentor.
        public var capacity: Int = 1
        /// Mentors per mentee (an advisory board).
        public var board: Int = 1
        /// Deferred acceptance instead of the optimum.
        public var stable = false
        public var proposers: StableMatching.Side = .rows

        public init(capacity: Int = 1, board: Int = 1, stable: Bool = false, proposers: StableMatching.Side = .rows) {
            self.capacity = capacity
            self.board = board
            self.stable = stable
            self.proposers = proposers
        }
    }

    public struct Output: Sendable {
        public var pairs: [Assignment.Pair]
        public var total: Double
        public var seconds: Double
        public var method: String
        public var blockingPairs: Int?
        public var rounds: Int?

        /// `mentee,mentor,score` lines, by mentee.
        public func csv(_ file: ScoreFile) -> String {
            var out = "mentee,mentor,score\n"
            for p in pairs { out += "\(file.mentees[p.row]),\(file.mentors[p.column]),\(p.score)\n" }
            return out
        }

        /// One JSON line: pairs, total, solve_seconds and what was run.
        public func statsJSON(_ file: ScoreFile) -> String {
            var fields = [
                "\"pairs\":\(pairs.count)", "\"total\":\(total)", "\"solve_seconds\":\(seconds)",
                "\"mentees\":\(file.mentees.count)", "\"mentors\":\(file.mentors.count)", "\"method\":\"\(method)\"",
            ]
            if let blockingPairs { fields.append("\"blocking_pairs\":\(blockingPairs)") }
            if let rounds { fields.append("\"repair_rounds\":\(rounds)") }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    public static func run(_ file: ScoreFile, _ options: Options) -> Output {
        let clock = ContinuousClock()
        let scores = file.scores
        let seats = Array(repeating: options.capacity, count: scores.columns)
        var output: Output!
        let elapsed = clock.measure {
            if options.stable {
                let result = StableMatching.solve(scores, rowCapacity: options.board, columnCapacity: seats, proposers: options.proposers)
                output = Output(pairs: result.pairs, total: result.total, seconds: 0, method: "stable (\(options.proposers == .rows ? "mentees" : "mentors") propose)",
                                blockingPairs: result.blockingPairs)
            } else if options.capacity == 1 && options.board == 1 {
                let result = LinearAssignment.solve(scores)
                output = Output(pairs: result.pairs, total: result.total, seconds: 0, method: "assignment", rounds: result.rounds)
            } else {
                let result = CapacitatedAssignment.solve(scores, rowCapacity: options.board, columnCapacity: seats)
                output = Output(pairs: result.pairs, total: result.total, seconds: 0, method: "min-cost flow", rounds: result.rounds)
            }
        }
        output.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return output
    }
}
