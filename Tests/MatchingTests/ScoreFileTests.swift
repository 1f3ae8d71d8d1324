import Foundation
import Testing
@testable import Matching

@Suite("Score files")
struct ScoreFileTests {
    func parse(_ text: String) throws -> ScoreFile { try ScoreFile.parse(Array(text.utf8)) }

    @Test func reads_ids_scores_and_forbidden_pairs() throws {
        let file = try parse(",m1,m2\r\nalice,0.9,\nbob, 0.4 ,7e-1\n")
        #expect(file.mentors == ["m1", "m2"])
        #expect(file.mentees == ["alice", "bob"])
        #expect(file.scores[0, 0] == 0.9)
        #expect(!file.scores.isAllowed(0, 1))
        #expect(file.scores[1, 1] == 0.7)
    }

    @Test(arguments: [
        ("", "line 1: the file is empty"),
        (",m1\n", "line 2: the file has a header but no mentee rows"),
        (",m1,m2\na,1\n", "line 2: the row has 2 cells but the header has 3"),
        (",m1,m2\na,1,x\n", "line 2, column 3: 'x' is not a number (mentee 'a', mentor 'm2')"),
        (",m1,m1\na,1,2\n", "line 1, column 3: mentor id 'm1' also appears in column 2"),
        (",m1\na,1\na,2\n", "line 3, column 1: mentee id 'a' also appears on line 2"),
        (",m1\n,1\n", "line 2, column 1: the mentee id is empty"),
    ])
    func bad_files_name_the_line_and_column(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("expected an error for \(text)")
        } catch let problem as ScoreFile.Problem {
            #expect(problem.description.hasPrefix(message), "\(problem)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func solve_writes_pairs_and_stats() throws {
        let file = try parse(",m1,m2\nalice,0.9,0.2\nbob,0.8,0.1\n")
        let output = Solve.run(file, .init())
        #expect(output.csv(file) == "mentee,mentor,score\nalice,m2,0.2\nbob,m1,0.8\n")
        #expect(output.statsJSON(file).contains("\"pairs\":2"))
        let stable = Solve.run(file, .init(stable: true))
        #expect(stable.blockingPairs == 0)
        let shared = Solve.run(file, .init(capacity: 2))
        #expect(shared.pairs.count == 2 && abs(shared.total - 1.7) < 1e-6)
    }
}
