import Foundation
import Testing

@testable import Quickstart

@Suite struct ReportHTMLTests {
    // MARK: - The page

    @Test func pageHasTitleAndEverySectionHeading() {
        let page = QuickstartReport.example().html()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<title>swift-rlhf quickstart report</title>"))
        for heading in [
            "swift-rlhf quickstart report</h1>", "Headline: each policy against SFT</h2>",
            "Per category: win / tie / loss against SFT</h2>", "Reward model</h2>", "Annotation</h2>",
            "Training curves</h2>", "Ablations</h2>", "Length balancing</h3>", "Reference baseline</h3>",
            "PTX (pretraining mix)</h3>", "Sample answers</h2>",
        ] {
            #expect(page.contains(heading), "missing heading \(heading)")
        }
    }

    @Test func pageHasOneSVGPerPlot() throws {
        let report = QuickstartReport.example()
        let ablations = try #require(report.ablations)
        let ablationPlots = [ablations.lengthBalancing, ablations.referenceBaseline, ablations.ptx]
            .map { Set($0.curvesOn.keys).intersection($0.curvesOff.keys).count }
            .reduce(0, +)
        let expected = 1 + report.ppo.curves.count + report.dpo.curves.count + ablationPlots
        #expect(expected == 8)
        #expect(occurrences(of: "<svg", in: report.html()) == expected)
    }

    @Test func pageShowsTheRunAndTheHeadlineNumbers() {
        let page = QuickstartReport.example().html()
        for text in [
            "<td>r1</td>", "<td>fast</td>", "<td>tiny</td>", "<td>30.0 s</td>", "<th scope=\"row\">ppo</th>",
            "<td>50.0%</td>", "<td>+20.0</td>", "<td>0.700</td>", "<td>12.5</td>",
            "SFT (noise floor: second sample vs first)", "<td>75.0%</td>", "<td>80.0%</td>",
            "matches the paper", "Balancing over 2 seeds (mean ± sd)", "SFT, greedy",
            "SFT, best of 4 by the reward model", "<td>greedy (temperature 0)</td>",
            "<td>best of 4 at temperature 1 by the reward model</td>",
            "against the SFT model&#39;s answers (one sample at temperature 1)",
            "<th scope=\"row\">length_correlation</th><td>0.150 ± 0.0707</td><td>0.550 ± 0.0707</td><td>-0.400</td>",
        ] {
            #expect(page.contains(text), "missing \(text)")
        }
    }

    @Test func reportStringsAreEscaped() {
        let page = QuickstartReport.example().html()
        #expect(page.contains("What is &lt;b&gt;?"))
        #expect(!page.contains("<b>"))

        var report = QuickstartReport.example()
        report.run.model = #"a "quoted" & 'single' <i>model</i>"#
        let escapedPage = report.html()
        #expect(escapedPage.contains("a &quot;quoted&quot; &amp; &#39;single&#39; &lt;i&gt;model&lt;/i&gt;"))
        #expect(!escapedPage.contains("<i>"))
    }

    @Test func pageIsSelfContained() {
        let page = QuickstartReport.example().html().lowercased()
        #expect(!page.contains("http://"))
        #expect(!page.contains("https://"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<link"))
        #expect(!page.contains("@import"))
    }

    @Test func pageTagsAreBalanced() {
        let page = QuickstartReport.example().html()
        for tag in ["table", "svg", "section"] {
            let opens = occurrences(of: "<\(tag)>", in: page) + occurrences(of: "<\(tag) ", in: page)
            #expect(opens > 0, "no <\(tag)>")
            #expect(opens == occurrences(of: "</\(tag)>", in: page), "unbalanced <\(tag)>")
        }
        #expect(unbalancedTags(in: page) == nil)
    }

    @Test func reportWithoutAblationsHasNoAblationSection() {
        var report = QuickstartReport.example()
        report.ablations = nil
        let page = report.html()
        #expect(!page.contains("Ablations"))
        #expect(!page.contains("id=\"ablation"))
        #expect(occurrences(of: "<svg", in: page) == 1 + report.ppo.curves.count + report.dpo.curves.count)
        #expect(unbalancedTags(in: page) == nil)
    }

    @Test func missingCategoriesShowADash() {
        var report = QuickstartReport.example()
        report.dpo.perCategory["role_play"] = nil
        let page = report.html()
        #expect(page.contains("<th scope=\"row\">DPO win</th><td>50.0%</td><td>–</td></tr>"))
        #expect(page.contains("<th scope=\"row\">PPO win</th><td>50.0%</td><td>50.0%</td></tr>"))
    }

    @Test func nonFiniteNumbersShowAsNotAvailable() {
        var report = QuickstartReport.example()
        report.ppo.oracleScore = .nan
        report.ppo.win = .infinity
        report.run.totalSeconds = -.infinity
        report.ppo.curves["reward"] = [.nan, .infinity, 1, -.infinity]
        report.rm.loss = [.nan]
        let page = report.html()
        #expect(page.contains("<td>n/a</td>"))
        #expect(!page.lowercased().contains("nan"))
        #expect(!page.lowercased().contains("inf<"))
        #expect(!page.lowercased().contains("\"inf"))
        #expect(unbalancedTags(in: page) == nil)
    }

    // MARK: - Number formatting

    @Test func numbersAreFormattedAsDocumented() {
        #expect(ReportFormat.percent(0.5) == "50.0%")
        #expect(ReportFormat.percent(0.12345) == "12.3%")
        #expect(ReportFormat.points(20) == "+20.0")
        #expect(ReportFormat.points(-3.25) == "-3.2" || ReportFormat.points(-3.25) == "-3.3")
        #expect(ReportFormat.decimal(0.7) == "0.700")
        #expect(ReportFormat.decimal(12.5) == "12.5")
        #expect(ReportFormat.decimal(-0.01234) == "-0.0123")
        #expect(ReportFormat.decimal(1234.5) == "1234" || ReportFormat.decimal(1234.5) == "1235")
        #expect(ReportFormat.decimal(0) == "0")
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(ReportFormat.percent(value) == "n/a")
            #expect(ReportFormat.points(value) == "n/a")
            #expect(ReportFormat.decimal(value) == "n/a")
            #expect(ReportFormat.seconds(value) == "n/a")
        }
    }

    // MARK: - SVGLinePlot

    struct PlotCase: Sendable, CustomTestStringConvertible {
        let label: String
        let series: [SVGLinePlot.Series]
        var testDescription: String { label }
    }

    static let edgeCases: [PlotCase] = [
        PlotCase(label: "no series", series: []),
        PlotCase(label: "empty series", series: [("a", [])]),
        PlotCase(label: "single point", series: [("a", [0.5])]),
        PlotCase(label: "constant", series: [("a", [2, 2, 2])]),
        PlotCase(label: "constant zero", series: [("a", [0, 0])]),
        PlotCase(label: "non-finite values", series: [("a", [1, .nan, 3, .infinity, -.infinity, 4])]),
        PlotCase(label: "only non-finite", series: [("a", [.nan, .infinity])]),
        PlotCase(label: "huge range", series: [("a", [-.greatestFiniteMagnitude, .greatestFiniteMagnitude])]),
        PlotCase(label: "huge constant", series: [("a", [.greatestFiniteMagnitude, .greatestFiniteMagnitude])]),
        PlotCase(label: "mixed lengths", series: [("a", []), ("b", [1]), ("c", [.nan, 2, 3])]),
    ]

    @Test(arguments: edgeCases)
    func plotOfEdgeCaseIsWellFormedAndFinite(_ plotCase: PlotCase) {
        let svg = SVGLinePlot(title: "edge", series: plotCase.series).svg()
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(unbalancedTags(in: svg) == nil)
        let lowercased = svg.lowercased()
        #expect(!lowercased.contains("nan"))
        #expect(!lowercased.contains("inf"))
    }

    @Test func plotWithoutFiniteValuesSaysSo() {
        #expect(SVGLinePlot(title: "edge", series: [("a", [.nan])]).svg().contains(">no data</text>"))
        #expect(!SVGLinePlot(title: "edge", series: [("a", [1])]).svg().contains("no data"))
    }

    @Test func singlePointIsDrawnAsADot() {
        let svg = SVGLinePlot(title: "edge", series: [("a", [0.5])]).svg()
        #expect(occurrences(of: "<circle", in: svg) == 1)
    }

    @Test func nonFiniteValueBreaksTheLine() {
        let svg = SVGLinePlot(title: "gap", series: [("a", [1, 2, .nan, 3, 4])]).svg()
        // Two data polylines besides the axes.
        #expect(occurrences(of: "<polyline", in: svg) == 3)
    }

    @Test func twoSeriesPlotHasBothLegendNamesAndDistinctColours() {
        let svg = SVGLinePlot(title: "response_length", series: [("on", [10, 11, 12]), ("off", [10, 14, 18])]).svg()
        #expect(svg.contains(">on</text>"))
        #expect(svg.contains(">off</text>"))
        let strokes = Set(
            svg.components(separatedBy: "stroke=\"").dropFirst().compactMap { $0.split(separator: "\"").first })
        // The axes' grey plus one colour per series.
        #expect(strokes.count == 3)
    }

    @Test func plotTextIsEscaped() {
        let svg = SVGLinePlot(title: "a<b>&\"c'", series: [("x<y", [1, 2])]).svg()
        #expect(svg.contains("a&lt;b&gt;&amp;&quot;c&#39;"))
        #expect(svg.contains(">x&lt;y</text>"))
        #expect(!svg.contains("<b>"))
        #expect(!svg.contains("x<y"))
        #expect(unbalancedTags(in: svg) == nil)
    }

    @Test func plotOfManySeriesWrapsTheLegendWithinTheHeight() {
        let series = (0..<12).map { (name: "series number \($0)", values: [Double($0), Double($0 + 1)]) }
        let svg = SVGLinePlot(title: "many", series: series).svg()
        #expect(unbalancedTags(in: svg) == nil)
        #expect(occurrences(of: "class=\"legend\"", in: svg) == 12)
        #expect(!svg.contains("y=\"-"))
    }

    // MARK: - Helpers

    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Checks that every element is closed in order (a small stand-in for an XML parser, which FoundationXML may not
    /// provide on Linux). Returns a description of the first problem, or nil when the markup is balanced.
    private func unbalancedTags(in markup: String) -> String? {
        let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link"]
        var open: [String] = []
        var rest = markup[...]
        while let start = rest.firstIndex(of: "<") {
            guard let end = rest[start...].firstIndex(of: ">") else { return "unterminated tag" }
            let tag = rest[rest.index(after: start)..<end]
            rest = rest[rest.index(after: end)...]
            if tag.hasPrefix("!") { continue }
            let isClosing = tag.hasPrefix("/")
            let name = String(tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber })).lowercased()
            guard !name.isEmpty else { return "bad tag <\(tag)>" }
            if isClosing {
                guard open.popLast() == name else { return "unexpected </\(name)>" }
            } else if !tag.hasSuffix("/"), !voidElements.contains(name) {
                open.append(name)
            }
        }
        return open.isEmpty ? nil : "unclosed <\(open.last ?? "")>"
    }
}

@Suite struct RealModelReportHTMLTests {
    /// The example report as a real-model run would make it.
    static func realModelReport() -> QuickstartReport {
        var report = QuickstartReport.example()
        report.startingModel = "/models/<chat> & co.gguf"
        report.sftOnTaskAnswers = report.ppo
        report.forgetting = .init(loss: ["original": 2.0, "sft": 2.02, "ppo": 2.04, "dpo": 2.1])
        return report
    }

    @Test func theOriginalModelIsTheBaselineAndItsNameIsEscaped() {
        let page = Self.realModelReport().html()
        for text in [
            "Headline: each policy against original</h2>", "Per category: win / tie / loss against original</h2>",
            "original (noise floor: second sample vs first)", "original, greedy", "SFT on the task&#39;s good answers",
            "the model: /models/&lt;chat&gt; &amp; co.gguf", "<th scope=\"col\">original answer</th>",
        ] {
            #expect(page.contains(text), "missing \(text)")
        }
        #expect(!page.contains("<chat>"))
        #expect(!QuickstartReport.example().html().contains("Forgetting check"))
    }

    @Test func theForgettingCheckShowsEachModelsChange() throws {
        let forgetting = try #require(Self.realModelReport().forgetting)
        #expect(forgetting.relativeChange["original"] == 0)
        #expect(abs(forgetting.relativeChange["dpo"]! - 0.05) < 1e-12)
        let page = Self.realModelReport().html()
        #expect(page.contains("Forgetting check: loss per token on general public-domain texts"))
        #expect(page.contains("<th scope=\"row\">DPO</th><td>2.10</td><td>5.0%</td>"))
    }

    @Test func realModelFieldsRoundTripThroughJSON() throws {
        let report = Self.realModelReport()
        #expect(try QuickstartReport.decode(report.jsonData()) == report)
        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(json["starting_model"] as? String == "/models/<chat> & co.gguf")
        #expect(json["sft_on_task_answers"] != nil && json["forgetting"] != nil)
    }
}
