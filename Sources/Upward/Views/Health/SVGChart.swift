import Foundation

/// Small charts drawn on the server as inline SVG: no JavaScript, readable by screen readers through their title
/// and description, and always printed next to a table of the same numbers. (Hand-written: no Swift charting
/// package renders SVG on a server, and these are a few dozen lines.)
enum SVGChart {
    struct Series: Sendable {
        var name: String
        /// A class of the stylesheet that colours it (`series-a`, `series-b`, `series-c`).
        var cssClass: String
        var values: [Double]
    }

    static let width = 640.0, height = 240.0
    static let left = 36.0, right = 8.0, top = 28.0, bottom = 36.0

    /// Grouped bars: for each category, one bar per series.
    static func bars(id: String, title: String, description: String, categories: [String], series: [Series]) -> String {
        let maximum = niceMaximum(series.flatMap(\.values).max() ?? 0)
        // Whole-number steps: up to 5 a tick per unit, above it five (or, for 2×10ⁿ, four) even steps.
        let ticks = maximum <= 5 ? max(1, Int(maximum)) : (maximum / pow(10, floor(log10(maximum))) == 2 ? 4 : 5)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let slot = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let bar = series.isEmpty ? 0 : slot * 0.8 / Double(series.count)
        var body = axes(maximum: maximum, ticks: ticks)
        for (i, category) in categories.enumerated() {
            let x0 = left + Double(i) * slot + slot * 0.1
            for (k, s) in series.enumerated() where i < s.values.count {
                let h = maximum == 0 ? 0 : s.values[i] / maximum * plotHeight
                body += rect(x: x0 + Double(k) * bar, y: top + plotHeight - h, width: max(bar - 1, 1), height: h, cssClass: s.cssClass,
                             label: "\(category): \(s.name) \(number(s.values[i]))")
            }
            // Every other label when they would crowd.
            if categories.count <= 8 || i % 2 == 0 {
                body += text(x: left + Double(i) * slot + slot / 2, y: height - bottom + 16, category, anchor: "middle")
            }
        }
        return svg(id: id, title: title, description: description, body: body + legend(series))
    }

    /// Lines over categories, on a fixed scale (check-in scores: 1 to 5).
    static func lines(id: String, title: String, description: String, categories: [String], series: [Series], scale: ClosedRange<Double>) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let step = categories.count > 1 ? plotWidth / Double(categories.count - 1) : 0
        let y = { (v: Double) in top + plotHeight - (v - scale.lowerBound) / (scale.upperBound - scale.lowerBound) * plotHeight }
        var body = ""
        for tick in stride(from: scale.lowerBound, through: scale.upperBound, by: 1) {
            body += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(tick)))\"/>"
            body += text(x: left - 6, y: y(tick) + 4, number(tick), anchor: "end")
        }
        for (k, s) in series.enumerated() {
            let points = s.values.enumerated().map { "\(f(left + Double($0.offset) * step + (categories.count > 1 ? 0 : plotWidth / 2))),\(f(y($0.element)))" }
            if points.count > 1 { body += "<polyline class=\"line \(s.cssClass)\" points=\"\(points.joined(separator: " "))\"/>" }
            for (i, p) in points.enumerated() {
                let xy = p.split(separator: ",")
                body += "<circle class=\"\(s.cssClass)\" cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"\(3 + k)\"><title>\(escape("\(categories[i]): \(s.name) \(number(s.values[i]))"))</title></circle>"
            }
        }
        for (i, category) in categories.enumerated() where categories.count <= 8 || i % 2 == 0 || i == categories.count - 1 {
            // The first and last labels sit at the plot's edges: anchored inwards, so neither is cut off.
            let anchor = categories.count < 2 ? "middle" : i == 0 ? "start" : i == categories.count - 1 ? "end" : "middle"
            body += text(x: left + Double(i) * step + (categories.count > 1 ? 0 : plotWidth / 2), y: height - bottom + 16, category, anchor: anchor)
        }
        return svg(id: id, title: title, description: description, body: body + legend(series))
    }

    // MARK: Pieces

    static func svg(id: String, title: String, description: String, body: String) -> String {
        """
        <svg class="chart" id="\(escape(id))" role="img" aria-labelledby="\(escape(id))-title \(escape(id))-desc" viewBox="0 0 \(f(width)) \(f(height))" \
        preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg"><title id="\(escape(id))-title">\(escape(title))</title>\
        <desc id="\(escape(id))-desc">\(escape(description))</desc>\(body)</svg>
        """
    }

    static func axes(maximum: Double, ticks: Int) -> String {
        let plotHeight = height - top - bottom
        var out = ""
        for i in 0...ticks {
            let value = maximum * Double(i) / Double(ticks)
            let y = top + plotHeight - (maximum == 0 ? 0 : value / maximum * plotHeight)
            out += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\"/>"
            out += text(x: left - 6, y: y + 4, number(value), anchor: "end")
        }
        return out
    }

    static func legend(_ series: [Series]) -> String {
        var out = "", x = left + 4
        for s in series {
            out += "<rect class=\"\(s.cssClass)\" x=\"\(f(x))\" y=\"8\" width=\"12\" height=\"12\"/>"
            out += text(x: x + 16, y: 18, s.name, anchor: "start")
            x += 28 + Double(s.name.count) * 7
        }
        return out
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, cssClass: String, label: String) -> String {
        "<rect class=\"\(cssClass)\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\"><title>\(escape(label))</title></rect>"
    }

    static func text(x: Double, y: Double, _ content: String, anchor: String) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\">\(escape(content))</text>"
    }

    /// 1, 2 or 5 times a power of ten at or above `value` (at least 1), so the axis reads in round numbers.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, floor(log10(value)))
        for m in [1.0, 2, 5, 10] where m * power >= value { return m * power }
        return 10 * power
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.1f", v)
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
