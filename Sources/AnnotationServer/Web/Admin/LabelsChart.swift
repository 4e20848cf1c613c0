import Foundation
import PreferenceData

/// The dashboard's bar chart of labels per hour, as the numbers of an inline SVG (no script, no external image:
/// the page's Content-Security-Policy stays strict and the chart works offline).
struct LabelsChart {
    /// One bar.
    struct Bar {
        let x: String
        let y: String
        let width: String
        let height: String
        /// The tooltip: the hour and its count.
        let title: String
    }

    static let width = 720.0
    static let height = 160.0
    /// Room for the axis labels below the bars.
    static let axis = 18.0
    /// The widest an hour's slot (bar and gap) gets.
    static let widestSlot = 30.0

    let viewBox: String
    let bars: [Bar]
    let most: Int
    let firstHour: String
    let lastHour: String
    let baseline: String
    let labelY: String
    let widthText: String
    /// Where the last hour's label ends: under the last bar, but far enough right not to cover the first label.
    let lastLabelX: String
    /// Whether there is more than one hour (else only the first hour is labelled).
    let spansHours: Bool

    /// The chart of `hours`; nil when there is nothing to draw.
    init?(_ hours: [HourlyLabels]) {
        guard let first = hours.first, let last = hours.last else { return nil }
        let most = max(1, hours.map(\.labels).max() ?? 1)
        let plot = Self.height - Self.axis
        // A few hours must not become a few slabs: a bar is at most `widestSlot` wide, the chart filled from the left.
        let slot = min(Self.widestSlot, Self.width / Double(hours.count))
        bars = hours.enumerated().map { index, hour in
            let height = plot * Double(hour.labels) / Double(most)
            return Bar(
                x: Self.number(Double(index) * slot + slot * 0.1), y: Self.number(plot - height),
                width: Self.number(max(1, slot * 0.8)), height: Self.number(height),
                title: "\(Self.hourText(hour.hour)): \(hour.labels) label\(hour.labels == 1 ? "" : "s")")
        }
        self.most = most
        firstHour = Self.hourText(first.hour)
        lastHour = Self.hourText(last.hour)
        viewBox = "0 0 \(Self.number(Self.width)) \(Self.number(Self.height))"
        baseline = Self.number(plot)
        labelY = Self.number(Self.height - 4)
        widthText = Self.number(Self.width)
        lastLabelX = Self.number(max(Double(hours.count) * slot, 320))
        spansHours = hours.count > 1
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// "2026-12-06 14:00 UTC".
    static func hourText(_ date: Date) -> String {
        let stamp = Timestamp.string(from: date)
        return String(stamp.prefix(10)) + " " + String(stamp.dropFirst(11).prefix(5)) + " UTC"
    }
}
