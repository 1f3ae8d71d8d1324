/// A dense matrix of scores: one row per mentee, one column per mentor. Higher is better.
/// A forbidden pair holds `-infinity`. Stored as `Float` (4 bytes a pair) so an 8 000 × 8 000
/// programme fits in 256 MB; solvers compute in `Double`.
public struct ScoreMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    public static let forbidden = -Float.infinity

    public init(rows: Int, columns: Int, fill: Float = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        values = Array(repeating: fill, count: rows * columns)
    }

    public init(_ nested: [[Float?]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "every row needs the same number of scores")
        self.init(rows: nested.count, columns: columns)
        for (i, row) in nested.enumerated() {
            for (j, score) in row.enumerated() { self[i, j] = score ?? Self.forbidden }
        }
    }

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    @inlinable
    public func isAllowed(_ row: Int, _ column: Int) -> Bool {
        self[row, column] > -Float.infinity
    }

    public mutating func forbid(_ row: Int, _ column: Int) {
        self[row, column] = Self.forbidden
    }

    /// The lowest and highest allowed score, or nil when every pair is forbidden.
    /// - Complexity: one vectorised pass over the matrix.
    public var allowedRange: (min: Double, max: Double)? {
        values.withUnsafeBufferPointer { buffer -> (min: Double, max: Double)? in
            var low8 = SIMD4<Float>(repeating: .infinity), high8 = SIMD4<Float>(repeating: -.infinity)
            let raw = UnsafeRawPointer(buffer.baseAddress)
            var k = 0
            if let raw {
                while k + 4 <= buffer.count {
                    let v = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD4<Float>.self)
                    // (stdlib's pointwiseMin/Max go lane by lane; comparisons and blends vectorise)
                    low8.replace(with: v, where: v .< low8 .& (v .> -.infinity))
                    high8.replace(with: v, where: v .> high8)
                    k += 4
                }
            }
            var low = low8.min(), high = high8.max()
            while k < buffer.count {
                let value = buffer[k]
                if value > -Float.infinity {
                    low = Swift.min(low, value)
                    high = Swift.max(high, value)
                }
                k += 1
            }
            return low <= high ? (Double(low), Double(high)) : nil
        }
    }
}
