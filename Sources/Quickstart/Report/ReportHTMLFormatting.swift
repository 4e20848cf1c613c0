import Foundation

/// Text and number formatting shared by the HTML report and its SVG plots.
///
/// Everything here is pure and total: every `Double`, including NaN and the infinities, becomes printable text, so a
/// half-broken run still renders a readable page instead of a page with "nan" inside attribute values.
enum ReportFormat {
    /// Shown wherever a number is not finite or a value is missing.
    static let notAvailable = "n/a"
    /// Shown in a table cell with no value (a category a policy was never evaluated on, a measure one side lacks).
    static let missing = "–"

    /// Escapes the five characters that are special in HTML and XML text and attribute values, so any string from the
    /// report (model output included) is shown as text and never parsed as markup.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            // &apos; is not an HTML 4 entity; the numeric form works in every HTML and XML parser.
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A rate in [0, 1] as a percentage with one decimal, e.g. `0.5` → `50.0%`.
    static func percent(_ rate: Double) -> String {
        guard rate.isFinite else { return notAvailable }
        return String(format: "%.1f%%", rate * 100)
    }

    /// A difference already in percentage points, signed so the direction reads at a glance, e.g. `20` → `+20.0`.
    static func points(_ value: Double) -> String {
        guard value.isFinite else { return notAvailable }
        return String(format: "%+.1f", value)
    }

    /// A value with three significant digits, never in exponent notation for ordinary magnitudes: `0.7` → `0.700`,
    /// `12.5` → `12.5`, `1234.5` → `1235` (integer digits are never dropped).
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return notAvailable }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        // Below this the fixed form would be a long run of zeros; the exponent form is easier to read.
        if magnitude < 1e-4 { return String(format: "%.2e", value) }
        let leadingDigitPower = Int(floor(log10(magnitude)))
        let decimals = max(0, 2 - leadingDigitPower)
        return String(format: "%.\(decimals)f", value)
    }

    /// Seconds with three significant digits and a unit.
    static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return notAvailable }
        return decimal(value) + " s"
    }

    /// The keys of a per-category dictionary in report order: the task's categories first, then any the task does not
    /// list (sorted), so no measured category is silently dropped from a table.
    static func orderedCategories(_ categories: [String], extraKeys: some Sequence<String>) -> [String] {
        let listed = Set(categories)
        return categories + Set(extraKeys).subtracting(listed).sorted()
    }
}

/// Builds small HTML fragments. Every parameter is plain text and is escaped here, so callers cannot forget to.
enum HTMLFragment {
    /// A table whose first column holds row headers.
    /// - Parameters:
    ///   - caption: Optional caption shown above the table.
    ///   - header: Column titles, including the first (row header) column.
    ///   - rows: Cell texts, one array per row; the first cell becomes a `<th scope="row">`. A row shorter than the
    ///     header stretches its last cell over the remaining columns (for a verdict that covers every column).
    ///   - cssClass: Optional class of the `<table>`.
    static func table(caption: String? = nil, header: [String], rows: [[String]], cssClass: String? = nil) -> String {
        let classAttribute = cssClass.map { " class=\"\(ReportFormat.escape($0))\"" } ?? ""
        var html = "<table\(classAttribute)>\n"
        if let caption { html += "<caption>\(ReportFormat.escape(caption))</caption>\n" }
        html +=
            "<thead><tr>" + header.map { "<th scope=\"col\">\(ReportFormat.escape($0))</th>" }.joined()
            + "</tr></thead>\n"
        html += "<tbody>\n"
        for row in rows {
            let cells = row.enumerated().map { index, text in
                let span = index == row.count - 1 ? header.count - index : 1
                return cell(text, isRowHeader: index == 0, span: span)
            }
            html += "<tr>" + cells.joined() + "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    /// A two-column table of labelled values, for the "key facts" blocks.
    static func facts(caption: String? = nil, _ facts: [(label: String, value: String)]) -> String {
        table(
            caption: caption, header: ["Measure", "Value"], rows: facts.map { [$0.label, $0.value] }, cssClass: "facts")
    }

    /// A heading of the given level with an optional anchor id.
    static func heading(_ level: Int, _ text: String, id: String? = nil) -> String {
        let anchor = id.map { " id=\"\(ReportFormat.escape($0))\"" } ?? ""
        return "<h\(level)\(anchor)>\(ReportFormat.escape(text))</h\(level)>\n"
    }

    /// A paragraph of plain text.
    static func paragraph(_ text: String, cssClass: String? = nil) -> String {
        let classAttribute = cssClass.map { " class=\"\(ReportFormat.escape($0))\"" } ?? ""
        return "<p\(classAttribute)>\(ReportFormat.escape(text))</p>\n"
    }

    /// A `<section>` wrapping already-built HTML.
    static func section(id: String, _ body: String) -> String {
        "<section id=\"\(ReportFormat.escape(id))\">\n\(body)</section>\n"
    }

    /// A captioned figure holding one SVG plot; the caption names the plotted metric.
    static func figure(_ plot: SVGLinePlot) -> String {
        "<figure class=\"plot\">\n\(plot.svg())\n<figcaption>\(ReportFormat.escape(plot.title))</figcaption>\n</figure>\n"
    }

    /// A row of plots that wraps on narrow screens, or a note when there is nothing to plot.
    static func plots(_ plots: [SVGLinePlot], emptyNote: String) -> String {
        guard !plots.isEmpty else { return paragraph(emptyNote, cssClass: "note") }
        return "<div class=\"plots\">\n" + plots.map(figure).joined() + "</div>\n"
    }

    private static func cell(_ text: String, isRowHeader: Bool, span: Int) -> String {
        let escaped = ReportFormat.escape(text)
        let spanAttribute = span > 1 ? " colspan=\"\(span)\"" : ""
        return isRowHeader
            ? "<th scope=\"row\"\(spanAttribute)>\(escaped)</th>"
            : "<td\(spanAttribute)>\(escaped)</td>"
    }
}
