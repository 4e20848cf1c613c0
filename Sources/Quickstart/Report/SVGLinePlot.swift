import Foundation

/// A small inline SVG line chart of one or more named series against their step index.
///
/// The output is a self-contained `<svg>` element meant to be embedded in an HTML page: axes with the minimum and
/// maximum of each axis as tick labels, one stroke colour per series and a legend. Non-finite values are skipped (the
/// line breaks around them), a lone point is drawn as a dot, a constant series as a flat line in the middle, and a plot
/// with no finite value at all says so, so the SVG never contains NaN or infinite coordinates.
public struct SVGLinePlot: Sendable {
    /// One named line.
    public typealias Series = (name: String, values: [Double])

    /// What the plot shows; used as the SVG's accessible title.
    public var title: String
    /// The lines, drawn in order (later ones on top) with colours from a fixed palette.
    public var series: [Series]
    /// Size of the SVG in CSS pixels.
    public var width: Double
    public var height: Double

    /// Creates a plot.
    /// - Parameters:
    ///   - title: What the plot shows, e.g. a metric name.
    ///   - series: The named lines; the value at index `i` is plotted at step `i`.
    ///   - width: Width in CSS pixels.
    ///   - height: Height in CSS pixels.
    public init(title: String, series: [Series], width: Double = 360, height: Double = 200) {
        self.title = title
        self.series = series
        self.width = width
        self.height = height
    }

    /// The chart as an `<svg>…</svg>` string; all text is XML-escaped.
    public func svg() -> String {
        let frame = PlotFrame(width: width, height: height, legendRows: legendLayout().rowCount)
        var parts = [openingTag(), "<title>\(ReportFormat.escape(title))</title>"]
        parts.append(axes(frame))
        if let range = valueRange() {
            parts.append(tickLabels(frame, range: range))
            parts += series.enumerated().map { index, line in
                polyline(line.values, colour: Self.colour(index), frame, range)
            }
        } else {
            parts.append(
                text(
                    "no data", x: (frame.left + frame.right) / 2, y: (frame.top + frame.bottom) / 2,
                    anchor: "middle", cssClass: "empty"))
        }
        parts.append(legend(frame))
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    // MARK: - Layout

    /// The drawing area inside the SVG, leaving room for tick labels on the left and the x labels and legend below.
    private struct PlotFrame {
        let left: Double
        let right: Double
        let top: Double
        let bottom: Double
        /// Baseline of the first legend row.
        let legendTop: Double

        init(width: Double, height: Double, legendRows: Int) {
            left = SVGLinePlot.leftMargin
            right = max(left + 1, width - 12)
            top = 10
            legendTop = height - 6 - Double(max(legendRows - 1, 0)) * SVGLinePlot.legendRowHeight
            bottom = max(top + 1, legendTop - 30)
        }
    }

    /// Room for the y tick labels.
    private static let leftMargin = 56.0
    private static let legendRowHeight = 14.0
    /// A rough width of one character at the 10px label size; good enough to keep legend entries from overlapping.
    private static let characterWidth = 6.0
    private static let legendSwatchWidth = 18.0

    /// Colour-blind friendly and distinct on white; cycled when there are more series than colours.
    private static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    ]

    private static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// Legend entries packed left to right, wrapping to a new row when the next one would not fit.
    private func legendLayout() -> (positions: [(x: Double, row: Int)], rowCount: Int) {
        let startX = Self.leftMargin
        var positions: [(x: Double, row: Int)] = []
        var x = startX
        var row = 0
        for line in series {
            let entryWidth = Self.legendSwatchWidth + 4 + Double(line.name.count) * Self.characterWidth + 14
            if x > startX, x + entryWidth > width {
                row += 1
                x = startX
            }
            positions.append((x, row))
            x += entryWidth
        }
        return (positions, series.isEmpty ? 0 : row + 1)
    }

    // MARK: - Data

    /// The y range over every finite value of every series, or nil when there is none.
    private func valueRange() -> ClosedRange<Double>? {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }

    /// The x axis runs from step 0 to the last step of the longest series; at least one step wide so a single point
    /// does not divide by zero.
    private var lastStep: Int { max(1, (series.map(\.values.count).max() ?? 0) - 1) }

    private func x(_ step: Int, _ frame: PlotFrame) -> Double {
        frame.left + Double(step) / Double(lastStep) * (frame.right - frame.left)
    }

    private func y(_ value: Double, _ frame: PlotFrame, _ range: ClosedRange<Double>) -> Double {
        frame.bottom - Self.fraction(value, in: range) * (frame.bottom - frame.top)
    }

    /// Where `value` sits in `range`, in [0, 1]. A constant series sits in the middle. Halving both sides first keeps
    /// the span finite even when the range covers most of the `Double` line (`max - min` would overflow to infinity).
    private static func fraction(_ value: Double, in range: ClosedRange<Double>) -> Double {
        let span = range.upperBound / 2 - range.lowerBound / 2
        guard span > 0 else { return 0.5 }
        return (value / 2 - range.lowerBound / 2) / span
    }

    /// The labels at the bottom and top of the y axis. A constant series is drawn in the middle, so its labels are
    /// the value padded either way (falling back to the value itself if the padding would overflow).
    private static func tickValues(_ range: ClosedRange<Double>) -> (low: Double, high: Double) {
        guard range.lowerBound == range.upperBound else { return (range.lowerBound, range.upperBound) }
        let value = range.lowerBound
        let padding = value == 0 ? 1 : abs(value) * 0.1
        let low = value - padding, high = value + padding
        return low.isFinite && high.isFinite ? (low, high) : (value, value)
    }

    /// Runs of consecutive finite values as (step, value) points; a non-finite value ends a run, so the line shows a
    /// gap instead of inventing a value.
    private static func finiteRuns(_ values: [Double]) -> [[(step: Int, value: Double)]] {
        var runs: [[(step: Int, value: Double)]] = []
        var current: [(step: Int, value: Double)] = []
        for (step, value) in values.enumerated() {
            if value.isFinite {
                current.append((step, value))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    // MARK: - Elements

    private func openingTag() -> String {
        // No xmlns: an inline <svg> in HTML5 does not need it, and the page must not contain any URL.
        "<svg class=\"line-plot\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" "
            + "aria-label=\"\(ReportFormat.escape(title))\" font-family=\"sans-serif\" font-size=\"10\">"
    }

    private func axes(_ frame: PlotFrame) -> String {
        let corner = "\(Self.number(frame.left)),\(Self.number(frame.bottom))"
        return "<polyline class=\"axes\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\" points=\""
            + "\(Self.number(frame.left)),\(Self.number(frame.top)) \(corner) "
            + "\(Self.number(frame.right)),\(Self.number(frame.bottom))\"/>"
    }

    private func tickLabels(_ frame: PlotFrame, range: ClosedRange<Double>) -> String {
        let ticks = Self.tickValues(range)
        let xLabelY = frame.bottom + 13
        return [
            text(ReportFormat.decimal(ticks.high), x: frame.left - 4, y: frame.top + 4, anchor: "end"),
            text(ReportFormat.decimal(ticks.low), x: frame.left - 4, y: frame.bottom, anchor: "end"),
            text("0", x: frame.left, y: xLabelY, anchor: "start"),
            text(String(lastStep), x: frame.right, y: xLabelY, anchor: "end"),
            text("step", x: (frame.left + frame.right) / 2, y: xLabelY, anchor: "middle"),
        ].joined(separator: "\n")
    }

    /// One series: a path per run of finite values, and a dot for a run of one point (a path of one point is
    /// invisible).
    private func polyline(_ values: [Double], colour: String, _ frame: PlotFrame, _ range: ClosedRange<Double>)
        -> String
    {
        Self.finiteRuns(values).map { run -> String in
            let points = run.map { (x: x($0.step, frame), y: y($0.value, frame, range)) }
            if points.count == 1 {
                return "<circle cx=\"\(Self.number(points[0].x))\" cy=\"\(Self.number(points[0].y))\" r=\"2.5\" "
                    + "fill=\"\(colour)\"/>"
            }
            let coordinates = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
            return "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" "
                + "points=\"\(coordinates)\"/>"
        }.joined(separator: "\n")
    }

    private func legend(_ frame: PlotFrame) -> String {
        let layout = legendLayout()
        return zip(series.indices, layout.positions).map { index, position -> String in
            let baseline = frame.legendTop + Double(position.row) * Self.legendRowHeight
            let swatchY = Self.number(baseline - 3.5)
            let swatch =
                "<line x1=\"\(Self.number(position.x))\" y1=\"\(swatchY)\" "
                + "x2=\"\(Self.number(position.x + Self.legendSwatchWidth))\" y2=\"\(swatchY)\" "
                + "stroke=\"\(Self.colour(index))\" stroke-width=\"2\"/>"
            let label = text(
                series[index].name, x: position.x + Self.legendSwatchWidth + 4, y: baseline, anchor: "start",
                cssClass: "legend")
            return swatch + "\n" + label
        }.joined(separator: "\n")
    }

    private func text(_ content: String, x: Double, y: Double, anchor: String, cssClass: String? = nil) -> String {
        let classAttribute = cssClass.map { " class=\"\($0)\"" } ?? ""
        return "<text\(classAttribute) x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" "
            + "fill=\"#333\">\(ReportFormat.escape(content))</text>"
    }

    /// A coordinate with one decimal. Coordinates are finite by construction; the guard is a last line of defence so
    /// a layout bug can never write NaN into the markup.
    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String(format: "%.1f", value)
    }
}
