import Foundation

extension QuickstartReport {
    /// The page title, also the top heading.
    static let htmlTitle = "swift-rlhf quickstart report"

    /// `report.html`: the whole report as one self-contained HTML5 page.
    ///
    /// The page has inline CSS and inline SVG plots only (no scripts, fonts, images or URLs), so it opens offline
    /// and can be mailed or archived as a single file. Every string taken from the report is HTML-escaped; rates are
    /// shown as percentages with one decimal, other values with three significant digits, and non-finite values as
    /// "n/a".
    public func html() -> String {
        let body = [
            headerHTML(),
            "<main>\n",
            headlineSection(),
            perCategorySection(),
            rewardModelSection(),
            annotationSection(),
            trainingSection(),
            ablations.map(ablationsSection) ?? "",
            samplesSection(),
            "</main>\n",
        ].joined()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(ReportFormat.escape(Self.htmlTitle))</title>
            <style>
            \(Self.styleSheet)
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    // MARK: - Sections

    private func headerHTML() -> String {
        let facts: [(label: String, value: String)] = [
            ("Run id", run.id),
            ("Mode", run.mode),
            ("Seed", String(run.seed)),
            ("Model", run.model),
            ("Machine", run.machine.summary),
            ("Total time", ReportFormat.seconds(run.totalSeconds)),
        ]
        // Stage names are not known here (the pipeline owns them), so they are listed alphabetically for a stable page.
        let peaks = run.stagePeakResidentBytes ?? [:]
        let stageRows = run.stageSeconds.sorted { $0.key < $1.key }.map {
            [$0.key, ReportFormat.seconds($0.value), peaks[$0.key].map { String(format: "%.2f GB", $0 / 1e9) } ?? "—"]
        }
        let peakRow = peaks.values.max().map { String(format: "%.2f GB", $0 / 1e9) } ?? "—"
        return "<header>\n"
            + HTMLFragment.heading(1, Self.htmlTitle)
            + "<div class=\"row\">\n"
            + HTMLFragment.facts(caption: "Run", facts)
            + HTMLFragment.table(
                caption: "Time and peak memory per stage", header: ["Stage", "Time", "Peak RSS"],
                rows: stageRows + [["total", ReportFormat.seconds(run.totalSeconds), peakRow]])
            + "</div>\n</header>\n"
    }

    private func headlineSection() -> String {
        let header = [
            "Policy", "Sampling", "Win", "Tie", "Loss", "Win − loss (points)", "Oracle score", "Helpfulness",
            "Harmlessness", "Fluency", "Mean length",
        ]
        let base = baselineName
        let rows =
            [
                headlineRow("\(base) (noise floor: second sample vs first)", sft),
                headlineRow("\(base), greedy", sftGreedy),
                headlineRow("\(base), best of \(bestOfN.sampling.candidates) by the reward model", bestOfN),
            ] + (sftOnTaskAnswers.map { [headlineRow("SFT on the task's good answers", $0)] } ?? [])
            + [headlineRow("PPO", ppo), headlineRow("DPO", dpo)]
        let against =
            startingModel.map { "the original model's answers (\(baselineSampling.text); the model: \($0))" }
            ?? "the SFT model's answers (\(baselineSampling.text))"
        return HTMLFragment.section(
            id: "headline",
            HTMLFragment.heading(2, "Headline: each policy against \(base)")
                + HTMLFragment.paragraph(
                    "Win, tie and loss are judged by the gold oracle on held-out prompts, against "
                        + "\(against). The first row compares a second sample "
                        + "with the first: differences smaller than it are noise. Greedy decoding and the best of several "
                        + "samples picked by the reward model are the baselines RL must beat.",
                    cssClass: "note")
                + HTMLFragment.table(header: header, rows: rows)
                + (forgetting.map(forgettingTable) ?? ""))
    }

    /// What every row is judged against: "SFT", or "original" for a real model.
    var baselineName: String { startingModel == nil ? "SFT" : "original" }

    private func forgettingTable(_ forgetting: Forgetting) -> String {
        let rows = [("original", "Original"), ("sft", "SFT on task answers"), ("ppo", "PPO"), ("dpo", "DPO")]
            .compactMap { key, name in
                forgetting.loss[key].map {
                    [name, ReportFormat.decimal($0), ReportFormat.percent(forgetting.relativeChange[key] ?? .nan)]
                }
            }
        return HTMLFragment.table(
            caption: "Forgetting check: loss per token on general public-domain texts (lower is better)",
            header: ["Model", "Loss per token", "Change vs original"], rows: rows)
    }

    private func headlineRow(_ name: String, _ policy: PolicyInfo) -> [String] {
        [
            name, policy.sampling.text, ReportFormat.percent(policy.win), ReportFormat.percent(policy.tie),
            ReportFormat.percent(policy.loss),
            ReportFormat.points(policy.winMinusLoss), ReportFormat.decimal(policy.oracleScore),
            ReportFormat.decimal(policy.helpfulness), ReportFormat.decimal(policy.harmlessness),
            ReportFormat.decimal(policy.fluency), ReportFormat.decimal(policy.meanLength),
        ]
    }

    private func perCategorySection() -> String {
        let categories = ReportFormat.orderedCategories(
            task.categories, extraKeys: Array(ppo.perCategory.keys) + Array(dpo.perCategory.keys))
        let rows = perCategoryRows("PPO", ppo, categories) + perCategoryRows("DPO", dpo, categories)
        return HTMLFragment.section(
            id: "per-category",
            HTMLFragment.heading(2, "Per category: win / tie / loss against \(baselineName)")
                + HTMLFragment.table(header: ["Policy"] + categories, rows: rows))
    }

    /// Win, tie, loss and the prompt count of one policy, one row each; "–" where the category was not evaluated.
    private func perCategoryRows(_ name: String, _ policy: PolicyInfo, _ categories: [String]) -> [[String]] {
        let measures: [(label: String, value: (Outcome) -> String)] = [
            ("win", { ReportFormat.percent($0.win) }),
            ("tie", { ReportFormat.percent($0.tie) }),
            ("loss", { ReportFormat.percent($0.loss) }),
            ("prompts", { String($0.count) }),
        ]
        return measures.map { measure in
            ["\(name) \(measure.label)"]
                + categories.map { policy.perCategory[$0].map(measure.value) ?? ReportFormat.missing }
        }
    }

    private func rewardModelSection() -> String {
        let facts: [(label: String, value: String)] = [
            ("Accuracy vs oracle", ReportFormat.percent(rm.accuracy)),
            ("Annotators' oracle agreement, same pairs (ceiling)", ReportFormat.percent(rm.oracleAgreement)),
            ("Held-out pairs the oracle decides", String(rm.oraclePairs)),
            ("Accuracy vs annotators' labels", ReportFormat.percent(rm.labelAccuracy)),
            ("Reward–length correlation", ReportFormat.decimal(rm.lengthCorrelation)),
            ("Training pairs", String(rm.trainPairs)),
            ("Held-out pairs", String(rm.evalPairs)),
        ]
        let categories = ReportFormat.orderedCategories(task.categories, extraKeys: rm.perCategory.keys)
        let perCategory = HTMLFragment.table(
            caption: "Accuracy vs oracle per category", header: ["Category", "Accuracy"],
            rows: categories.map { [$0, rm.perCategory[$0].map(ReportFormat.percent) ?? ReportFormat.missing] })
        let lossPlot = SVGLinePlot(title: "reward model loss", series: [("loss", rm.loss)])
        return HTMLFragment.section(
            id: "reward-model",
            HTMLFragment.heading(2, "Reward model")
                + "<div class=\"row\">\n" + HTMLFragment.facts(facts) + perCategory + "</div>\n"
                + HTMLFragment.plots([lossPlot], emptyNote: "No loss logged."))
    }

    private func annotationSection() -> String {
        let labelling: [(label: String, value: String)] = [
            ("Annotators", String(annotation.annotators)),
            ("Tasks", String(annotation.tasks)),
            ("Labels", String(annotation.labels)),
            ("Labels per second", ReportFormat.decimal(annotation.labelsPerSecond)),
            ("Oracle agreement (every label, before filtering)", ReportFormat.percent(annotation.oracleAgreement)),
            ("Pairs after filtering", String(annotation.pairsAfterFilter)),
            ("Pairs after length balancing", String(annotation.pairsAfterBalancing)),
        ]
        let sizes: [(label: String, value: String)] = [
            ("SFT examples", String(task.sftExamples)),
            ("Preference prompts", String(task.preferencePrompts)),
            ("RL prompts", String(task.rlPrompts)),
            ("Held-out prompts", String(task.evalPrompts)),
            ("Categories", task.categories.joined(separator: ", ")),
        ]
        return HTMLFragment.section(
            id: "annotation",
            HTMLFragment.heading(2, "Annotation")
                + "<div class=\"row\">\n"
                + HTMLFragment.facts(caption: "Labelling through the annotation server", labelling)
                + HTMLFragment.facts(caption: "Task sizes", sizes)
                + "</div>\n")
    }

    private func trainingSection() -> String {
        HTMLFragment.section(
            id: "training",
            HTMLFragment.heading(2, "Training curves")
                + HTMLFragment.heading(3, "PPO")
                + HTMLFragment.plots(Self.curvePlots(ppo.curves), emptyNote: "No PPO curves logged.")
                + HTMLFragment.heading(3, "DPO")
                + HTMLFragment.plots(Self.curvePlots(dpo.curves), emptyNote: "No DPO curves logged."))
    }

    /// One single-series plot per curve, sorted by name so the page is stable across runs.
    private static func curvePlots(_ curves: [String: [Double]]) -> [SVGLinePlot] {
        curves.sorted { $0.key < $1.key }.map { SVGLinePlot(title: $0.key, series: [($0.key, $0.value)]) }
    }

    private func ablationsSection(_ ablations: Ablations) -> String {
        HTMLFragment.section(
            id: "ablations",
            HTMLFragment.heading(2, "Ablations")
                + HTMLFragment.paragraph(
                    "Each technique from the paper switched off on its own, everything else equal, "
                        + "over \(ablations.lengthBalancing.seeds) seeds (mean ± standard deviation). A difference matches "
                        + "the paper only where the mean per-seed difference exceeds two standard errors; otherwise it is "
                        + "within noise.", cssClass: "note")
                + Self.ablationSection(id: "ablation-length-balancing", "Length balancing", ablations.lengthBalancing)
                + Self.ablationSection(
                    id: "ablation-reference-baseline", "Reference baseline", ablations.referenceBaseline)
                + Self.ablationSection(id: "ablation-ptx", "PTX (pretraining mix)", ablations.ptx))
    }

    private static func ablationSection(id: String, _ name: String, _ ablation: Ablation) -> String {
        let rows =
            ablation.measures.sorted { $0.key < $1.key }.map { name, measure in
                let paper = ablation.paperMeasures[name].map {
                    "\($0.rawValue) with it on: \(ablation.measureVerdicts[name]?.rawValue ?? ReportFormat.missing)"
                }
                return [
                    name, meanText(measure.onMean, measure.onStandardDeviation),
                    meanText(measure.offMean, measure.offStandardDeviation), ReportFormat.decimal(measure.difference),
                    ReportFormat.decimal(2 * measure.standardError), paper ?? "",
                ]
            } + [["verdict", ablation.verdict.rawValue]]
        // Only metrics logged on both sides can be compared on one plot.
        let plots = Set(ablation.curvesOn.keys).intersection(ablation.curvesOff.keys).sorted().map { metric in
            SVGLinePlot(
                title: metric,
                series: [("on", ablation.curvesOn[metric] ?? []), ("off", ablation.curvesOff[metric] ?? [])])
        }
        return HTMLFragment.section(
            id: id,
            HTMLFragment.heading(3, name)
                + HTMLFragment.paragraph(ablation.summary)
                + HTMLFragment.table(header: ["Measure", "On", "Off", "On − off", "2 SE", "The paper"], rows: rows)
                + HTMLFragment.plots(plots, emptyNote: "No curves logged on both sides (first seed shown)."))
    }

    /// "0.123 ± 0.0100", or the mean alone when there is one seed.
    private static func meanText(_ mean: Double, _ deviation: Double) -> String {
        deviation.isNaN
            ? ReportFormat.decimal(mean) : "\(ReportFormat.decimal(mean)) ± \(ReportFormat.decimal(deviation))"
    }

    private func samplesSection() -> String {
        HTMLFragment.section(
            id: "samples",
            HTMLFragment.heading(2, "Sample answers")
                + HTMLFragment.heading(3, "PPO")
                + Self.samplesTable(ppo.samples, baseline: baselineName)
                + HTMLFragment.heading(3, "DPO")
                + Self.samplesTable(dpo.samples, baseline: baselineName))
    }

    /// Built by hand rather than with `HTMLFragment.table` because the text cells keep line breaks and the verdict is
    /// coloured.
    private static func samplesTable(_ samples: [Sample], baseline: String) -> String {
        guard !samples.isEmpty else { return HTMLFragment.paragraph("No samples.", cssClass: "note") }
        let header = ["Category", "Prompt", "Policy answer", "\(baseline) answer", "Verdict"]
            .map { "<th scope=\"col\">\($0)</th>" }.joined()
        let rows = samples.map { sample in
            "<tr><td>\(ReportFormat.escape(sample.category))</td>"
                + "<td class=\"text\">\(ReportFormat.escape(sample.prompt))</td>"
                + "<td class=\"text\">\(ReportFormat.escape(sample.response))</td>"
                + "<td class=\"text\">\(ReportFormat.escape(sample.sftResponse))</td>"
                + "<td class=\"\(verdictClass(sample.verdict))\">\(ReportFormat.escape(sample.verdict))</td></tr>\n"
        }
        return
            "<table class=\"samples\">\n<thead><tr>\(header)</tr></thead>\n<tbody>\n\(rows.joined())</tbody>\n</table>\n"
    }

    /// A CSS class from a fixed set, so an unexpected verdict string can never inject an attribute.
    private static func verdictClass(_ verdict: String) -> String {
        ["win", "tie", "loss"].contains(verdict) ? "verdict \(verdict)" : "verdict"
    }

    // MARK: - Style

    /// System fonts only: the page must render offline and reference no external resource.
    private static let styleSheet = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1200px;
               padding: 1rem 1.5rem 3rem; color: #222; background: #fff; line-height: 1.4; }
        h1 { font-size: 1.6rem; margin-bottom: 0.5rem; }
        h2 { font-size: 1.25rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
        h3 { font-size: 1.05rem; margin-top: 1.2rem; }
        section section { margin-left: 0.5rem; }
        .row { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
        table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
        caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
        th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top; }
        thead th { background: #f4f4f4; }
        th[scope="row"] { text-align: left; font-weight: normal; background: #fafafa; }
        td { text-align: right; font-variant-numeric: tabular-nums; }
        table.samples td, table.facts td { text-align: left; }
        td[colspan] { text-align: center; }
        td.text { white-space: pre-wrap; max-width: 28rem; }
        .verdict.win { color: #1a7f37; font-weight: 600; }
        .verdict.loss { color: #b42318; font-weight: 600; }
        .note { color: #555; font-size: 0.9rem; }
        .plots { display: flex; flex-wrap: wrap; gap: 1rem; }
        figure.plot { margin: 0; }
        figcaption { text-align: center; font-size: 0.85rem; color: #444; }
        """
}
