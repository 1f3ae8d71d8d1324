// Times Upward's matching engine on matrices written by matching_reference.py, one line of JSON per
// run, and checks its own result: the optimality certificate must hold on the whole matrix.
//   MatchingBenchmark FILE.f32 ROWS COLUMNS [--capacity N]
// The file is ROWS × COLUMNS little-endian Float32 scores, row-major, higher is better.
import Foundation
import Matching

let arguments = CommandLine.arguments
guard arguments.count >= 4, let rows = Int(arguments[2]), let columns = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: MatchingBenchmark FILE.f32 ROWS COLUMNS [--capacity N]\n".utf8))
    exit(2)
}
let capacity = arguments.firstIndex(of: "--capacity").flatMap { Int(arguments[$0 + 1]) } ?? 1
let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
precondition(data.count == rows * columns * 4, "the file holds \(data.count / 4) scores, not \(rows * columns)")
let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
let scores = ScoreMatrix(rows: rows, columns: columns, values: values)

let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

if capacity == 1 {
    var result: Assignment!
    let elapsed = clock.measure { result = LinearAssignment.solve(scores) }
    let problems = result.certificate.problems(for: result, on: scores)
    print(#"{"seconds":\#(seconds(elapsed)),"total":\#(result.total),"pairs":\#(result.pairs.count),"rounds":\#(result.rounds),"certified":\#(problems.isEmpty)}"#)
} else {
    let seats = Array(repeating: capacity, count: columns)
    var result: CapacitatedAssignment.Result!
    let elapsed = clock.measure { result = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: seats) }
    let problems = result.certificate.problems(for: result, on: scores, rowCapacity: 1, columnCapacity: seats)
    print(#"{"seconds":\#(seconds(elapsed)),"total":\#(result.total),"pairs":\#(result.pairs.count),"rounds":\#(result.rounds),"certified":\#(problems.isEmpty)}"#)
}
