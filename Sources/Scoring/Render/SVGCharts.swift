import Foundation

/// The report's charts as inline SVG (no scripts, no external references); every label is escaped.
enum SVGCharts {
    static let stored = "#1f4e79", retained = "#5b9bd5", removed = "#d0d7de", bar = "#c55a11", shape = "#2e75b6"

    /// Section 2: one horizontal bar per rule, length ∝ bytes removed.
    static func noiseBars(_ rows: [NoiseRuleRow]) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = 230.0, barWidth = 400.0, rowHeight = 24.0
        let height = rowHeight * Double(rows.count) + 8
        let top = Double(rows.map(\.bytes).max() ?? 1)
        var svg = open(width: 760, height: height, label: "Bytes removed by each noise rule")
        for (i, row) in rows.enumerated() {
            let y = 4 + rowHeight * Double(i)
            let w = top > 0 ? barWidth * Double(row.bytes) / top : 0
            let value = "\(FigureText.bytes(row.bytes)) (\(FigureText.percent(ofRatio: row.shareOfReceived)))"
            svg += "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(y + 16))\" text-anchor=\"end\" class=\"lbl\">\(TextEscaping.html(row.rule, limit: 34))</text>"
            svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 3))\" width=\"\(n(max(w, 1)))\" height=\"\(n(rowHeight - 8))\" fill=\"\(bar)\">"
            svg += "<title>\(TextEscaping.html(row.rule)): \(value)</title></rect>"
            svg += "<text x=\"\(n(labelWidth + max(w, 1) + 6))\" y=\"\(n(y + 16))\" class=\"val\">\(value)</text>"
        }
        return svg + "</svg>"
    }

    /// Section 5: six axes at points/5; n/a axes are dashed with a hollow marker and left out of the shape.
    static func radar(_ card: Scorecard) -> String {
        let cx = 235.0, cy = 150.0, radius = 100.0
        func point(_ axis: Int, _ r: Double) -> (Double, Double) {
            let a = (-90.0 + 60.0 * Double(axis)) * .pi / 180
            return (cx + r * cos(a), cy + r * sin(a))
        }
        func pts(_ list: [(Double, Double)]) -> String { list.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") }
        var svg = open(width: 470, height: 300, label: "Radar chart of the six metrics, \(ReportText.scopeName(card))")
        for ring in 1...5 {
            svg += "<polygon points=\"\(pts((0..<6).map { point($0, radius * Double(ring) / 5) }))\" class=\"ring\"/>"
        }
        var shape: [(Double, Double)] = []
        for (i, m) in card.metrics.enumerated() {
            let rim = point(i, radius)
            if let p = m.points {
                svg += "<line x1=\"\(n(cx))\" y1=\"\(n(cy))\" x2=\"\(n(rim.0))\" y2=\"\(n(rim.1))\" class=\"axis\"/>"
                shape.append(point(i, radius * min(5, max(0, p)) / 5))
            } else {
                svg += "<line x1=\"\(n(cx))\" y1=\"\(n(cy))\" x2=\"\(n(rim.0))\" y2=\"\(n(rim.1))\" class=\"axis na\"/>"
                svg += "<circle cx=\"\(n(rim.0))\" cy=\"\(n(rim.1))\" r=\"5\" class=\"hollow\"><title>\(m.metric.title): n/a</title></circle>"
            }
        }
        if shape.count >= 3 {
            svg += "<polygon points=\"\(pts(shape))\" class=\"shape\"/>"
        } else if shape.count == 2 {
            svg += "<polyline points=\"\(pts(shape))\" class=\"shape\"/>"
        }
        for (i, m) in card.metrics.enumerated() where m.points != nil {
            let v = point(i, radius * min(5, max(0, m.points!)) / 5)
            svg += "<circle cx=\"\(n(v.0))\" cy=\"\(n(v.1))\" r=\"3.5\" class=\"dot\"><title>\(m.metric.title): \(m.$points)</title></circle>"
        }
        for (i, m) in card.metrics.enumerated() {
            let at = point(i, radius + 18)
            let anchor = at.0 > cx + 1 ? "start" : at.0 < cx - 1 ? "end" : "middle"
            let dy = i == 0 ? -4.0 : i == 3 ? 14.0 : 4.0
            svg += "<text x=\"\(n(at.0))\" y=\"\(n(at.1 + dy))\" text-anchor=\"\(anchor)\" class=\"lbl\">\(m.metric.title) \(m.$points)</text>"
        }
        return svg + "</svg>"
    }

    /// Section 6: per day, bytes on disk, bytes compression saved, and bytes noise rules removed, stacked to the bytes received.
    static func dailyStack(_ days: [DailyVolume]) -> String {
        guard !days.isEmpty else { return "" }
        let left = 80.0, top = 30.0, width = 660.0, height = 200.0
        let most = Double(max(1, days.map { $0.layers.reduce(0, +) }.max() ?? 1))
        let slot = width / Double(days.count), barWidth = slot * 0.6
        var svg = open(width: 760, height: top + height + 30, label: "Bytes received, retained and stored per day")
        let legend = [(stored, "stored on disk"), (retained, "saved by compression"), (removed, "removed by noise rules")]
        for (k, (color, name)) in legend.enumerated() {
            let x = left + Double(k) * 190
            svg += "<rect x=\"\(n(x))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(color)\"/><text x=\"\(n(x + 18))\" y=\"16\" class=\"lbl\">\(name)</text>"
        }
        for tick in 0...4 {
            let y = top + height - height * Double(tick) / 4
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + width))\" y2=\"\(n(y))\" class=\"grid\"/>"
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\" class=\"val\">\(FigureText.bytes(Int64(most * Double(tick) / 4)))</text>"
        }
        for (i, d) in days.enumerated() {
            let x = left + slot * Double(i) + (slot - barWidth) / 2
            var y = top + height
            for (layer, color) in zip(d.layers, [stored, retained, removed]) where layer > 0 {
                let h = height * Double(layer) / most
                y -= h
                svg += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(barWidth))\" height=\"\(n(h))\" fill=\"\(color)\">"
                svg += "<title>\(d.date): \(FigureText.bytes(layer))</title></rect>"
            }
            svg += "<text x=\"\(n(x + barWidth / 2))\" y=\"\(n(top + height + 16))\" text-anchor=\"middle\" class=\"val\">\(d.date.suffix(5))</text>"
        }
        return svg + "</svg>"
    }

    private static func open(width: Double, height: Double, label: String) -> String {
        "<svg class=\"chart\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(TextEscaping.html(label))\">"
    }

    /// A coordinate.
    private static func n(_ v: Double) -> String { FigureText.fixed(v, decimals: 1) }
}
