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
func load() throws -> [Float] {  // in a function so the file's bytes are freed before the solve
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
    precondition(data.count == rows * columns * 4, "the file holds \(data.count / 4) scores, not \(rows * columns)")
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}
let scores = ScoreMatrix(rows: rows, columns: columns, values: try load())

/// Kilobytes from /proc/self/status (Linux): VmRSS now, VmHWM the peak since the last reset.
func status(_ field: String) -> Double {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}
/// Resets the peak (VmHWM) to the current resident size, so the solve's own peak can be read after it.
func resetPeak() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }
let matrixKB = Double(rows * columns * 4) / 1024
resetPeak()
let before = status("VmRSS")
/// The solve's extra memory at its peak, as a multiple of the score matrix's size.
func extraMemory() -> Double { max(0, status("VmHWM") - before) / matrixKB }

let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

if capacity == 1 {
    var result: Assignment!
    let elapsed = clock.measure { result = LinearAssignment.solve(scores) }
    let memory = extraMemory()
    let problems = result.certificate.problems(for: result, on: scores)
    print(#"{"seconds":\#(seconds(elapsed)),"total":\#(result.total),"pairs":\#(result.pairs.count),"rounds":\#(result.rounds),"certified":\#(problems.isEmpty),"memory":\#(memory)}"#)
} else {
    let seats = Array(repeating: capacity, count: columns)
    var result: CapacitatedAssignment.Result!
    let elapsed = clock.measure { result = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: seats) }
    let memory = extraMemory()
    let problems = result.certificate.problems(for: result, on: scores, rowCapacity: 1, columnCapacity: seats)
    print(#"{"seconds":\#(seconds(elapsed)),"total":\#(result.total),"pairs":\#(result.pairs.count),"rounds":\#(result.rounds),"certified":\#(problems.isEmpty),"memory":\#(memory)}"#)
}
