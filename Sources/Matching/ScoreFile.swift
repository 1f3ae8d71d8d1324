/// A dense score matrix in CSV: the header row holds mentor ids (its first cell is empty or a label),
/// each following row a mentee id then one score per mentor. Higher is better; an empty cell forbids the pair.
///
/// ```
/// ,m1,m2
/// alice,0.9,
/// bob,0.4,0.7
/// ```
///
/// Parsed byte by byte: an 8 000 × 8 000 file is half a gigabyte of text.
public struct ScoreFile: Sendable {
    public var mentees: [String]
    public var mentors: [String]
    public var scores: ScoreMatrix

    /// A problem located by line and column (both from 1), worded so a person can fix the file.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var column: Int?
        public var message: String

        public var description: String {
            column.map { "line \(line), column \($0): \(message)" } ?? "line \(line): \(message)"
        }
    }

    public static func parse(_ bytes: [UInt8]) throws -> ScoreFile {
        var lines = LineReader(bytes)
        guard let header = lines.next() else {
            throw Problem(line: 1, column: nil, message: "the file is empty; expected a header row of mentor ids")
        }
        let headerCells = cells(of: header.bytes)
        guard headerCells.count >= 2 else {
            throw Problem(line: 1, column: nil, message: "the header needs an empty first cell and at least one mentor id")
        }
        var mentors: [String] = []
        var seenMentors: [String: Int] = [:]
        for (c, cell) in headerCells.enumerated().dropFirst() {
            let id = text(header.bytes[cell]).trimmingCharacters(in: " \"")
            guard !id.isEmpty else { throw Problem(line: 1, column: c + 1, message: "the mentor id is empty") }
            if let first = seenMentors[id] {
                throw Problem(line: 1, column: c + 1, message: "mentor id '\(id)' also appears in column \(first)")
            }
            seenMentors[id] = c + 1
            mentors.append(id)
        }
        let m = mentors.count
        var mentees: [String] = []
        var seenMentees: [String: Int] = [:]
        var values: [Float] = []
        while let line = lines.next() {
            if line.bytes.isEmpty { continue }
            let row = cells(of: line.bytes)
            guard row.count == m + 1 else {
                throw Problem(line: line.number, column: nil, message: "the row has \(row.count) cells but the header has \(m + 1)")
            }
            let id = text(line.bytes[row[0]]).trimmingCharacters(in: " \"")
            guard !id.isEmpty else { throw Problem(line: line.number, column: 1, message: "the mentee id is empty") }
            if let first = seenMentees[id] {
                throw Problem(line: line.number, column: 1, message: "mentee id '\(id)' also appears on line \(first)")
            }
            seenMentees[id] = line.number
            mentees.append(id)
            for c in 1...m {
                let cell = line.bytes[row[c]]
                if let value = number(cell) {
                    values.append(value)
                } else if isBlank(cell) {
                    values.append(ScoreMatrix.forbidden)
                } else {
                    throw Problem(line: line.number, column: c + 1,
                                  message: "'\(text(cell))' is not a number (mentee '\(id)', mentor '\(mentors[c - 1])'); leave the cell empty to forbid the pair")
                }
            }
        }
        guard !mentees.isEmpty else {
            throw Problem(line: 2, column: nil, message: "the file has a header but no mentee rows")
        }
        return ScoreFile(mentees: mentees, mentors: mentors, scores: ScoreMatrix(rows: mentees.count, columns: m, values: values))
    }

    // MARK: Bytes

    struct LineReader {
        let bytes: [UInt8]
        var position = 0
        var number = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        mutating func next() -> (number: Int, bytes: ArraySlice<UInt8>)? {
            guard position < bytes.count else { return nil }
            number += 1
            var end = position
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var last = end
            if last > position && bytes[last - 1] == UInt8(ascii: "\r") { last -= 1 }
            defer { position = end + 1 }
            return (number, bytes[position..<last])
        }
    }

    static func cells(of line: ArraySlice<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = line.startIndex
        for i in line.indices where line[i] == UInt8(ascii: ",") {
            result.append(start..<i)
            start = i + 1
        }
        result.append(start..<line.endIndex)
        return result
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// A decimal number: optional sign, digits, optional fraction and exponent; spaces around are fine.
    static func number(_ cell: ArraySlice<UInt8>) -> Float? {
        var i = cell.startIndex, end = cell.endIndex
        while i < end && cell[i] == UInt8(ascii: " ") { i += 1 }
        while end > i && cell[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard i < end else { return nil }
        var negative = false
        if cell[i] == UInt8(ascii: "-") || cell[i] == UInt8(ascii: "+") { negative = cell[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0, digits = 0, scale = 0
        while i < end, let d = digit(cell[i]) {
            if digits < 19 { mantissa = mantissa * 10 + d; digits += 1 } else { scale += 1 }
            i += 1
        }
        var sawDigit = digits > 0 || scale > 0
        if i < end && cell[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, let d = digit(cell[i]) {
                if digits < 19 { mantissa = mantissa * 10 + d; digits += 1; scale -= 1 }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end && (cell[i] == UInt8(ascii: "e") || cell[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < end && (cell[i] == UInt8(ascii: "-") || cell[i] == UInt8(ascii: "+")) { exponentNegative = cell[i] == UInt8(ascii: "-"); i += 1 }
            var exponent = 0, any = false
            while i < end, let d = digit(cell[i]) { exponent = min(exponent * 10 + Int(d), 400); any = true; i += 1 }
            guard any else { return nil }
            scale += exponentNegative ? -exponent : exponent
        }
        guard i == end else { return nil }
        var value = Double(mantissa)
        if scale > 0 { value *= pow10(scale) } else if scale < 0 { value /= pow10(-scale) }
        return Float(negative ? -value : value)
    }

    @inline(__always) static func digit(_ byte: UInt8) -> UInt64? {
        byte >= 48 && byte <= 57 ? UInt64(byte - 48) : nil
    }

    static func pow10(_ e: Int) -> Double {
        var result = 1.0, base = 10.0, n = e
        while n > 0 { if n & 1 == 1 { result *= base }; base *= base; n >>= 1 }
        return result
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
