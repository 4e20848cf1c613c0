import JSONSupport
import PreferenceData

/// JSON forms of the data layer's reports, for `--json` output. Keys are snake_case and stable.
extension JSONValue {
    init(_ fields: KeyValuePairs<String, JSONValue>) {
        self = .object(JSONObject(fields.map { (key: $0.key, value: $0.value) }))
    }

    static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }

    static func counts<Key>(_ dictionary: [Key: Int], name: (Key) -> String) -> JSONValue {
        .object(
            JSONObject(
                dictionary.map { (key: name($0.key), value: JSONValue.int($0.value)) }.sorted { $0.key < $1.key }))
    }
}

extension ImportReport {
    var json: JSONValue {
        JSONValue([
            "file": .string(file), "format": format.map { .string($0.rawValue) } ?? .null, "source": .string(source),
            "lines": .int(lines), "records": .int(records), "prompts_added": .int(added.promptsAdded),
            "responses_added": .int(added.responsesAdded), "comparisons_added": .int(added.comparisonsAdded),
            "judgements_added": .int(added.judgementsAdded),
            "judgements_already_present": .int(added.judgementsAlreadyPresent),
            "annotators_added": .int(added.annotatorsAdded),
            "skipped": .array(skipped.map { JSONValue(["line": .int($0.line), "problem": .string($0.problem)]) }),
        ])
    }
}

extension AgreementStatistics {
    var json: JSONValue {
        JSONValue([
            "items": .int(items), "ratings": .int(ratings), "observed_agreement": .optional(observedAgreement),
            "unanimous": .optional(unanimous), "fleiss_kappa": .optional(fleissKappa),
            "mean_cohen_kappa": .optional(meanCohenKappa),
            "pairwise": .array(
                pairwise.map {
                    JSONValue([
                        "first": .int(Int($0.first.rawValue)), "second": .int(Int($0.second.rawValue)),
                        "shared_items": .int($0.sharedItems), "agreement": .number($0.agreement),
                        "cohen_kappa": .optional($0.cohenKappa),
                    ])
                }),
        ])
    }
}

extension StoreStatistics {
    var json: JSONValue {
        let named = { (counts: [NamedCount]) in
            JSONValue.array(counts.map { JSONValue(["name": .string($0.name), "count": .int($0.count)]) })
        }
        return JSONValue([
            "prompts": .int(prompts), "multi_turn_prompts": .int(multiTurnPrompts),
            "flagged_prompts": .counts(flaggedPrompts) { $0 }, "categories": named(categories),
            "sources": named(sources),
            "responses": .int(responses), "comparisons": .int(comparisons),
            "unjudged_comparisons": .int(unjudgedComparisons),
            "judgements": .int(judgements), "judgements_by_choice": .counts(judgementsByChoice) { $0.rawValue },
            "judgements_per_comparison": .counts(judgementsPerComparison) { String($0) },
            "annotators": .counts(annotators) { $0.rawValue },
            "length_preference": JSONValue([
                "decided": .int(lengthPreference.decided), "preferred_longer": .int(lengthPreference.preferredLonger),
                "preferred_shorter": .int(lengthPreference.preferredShorter),
                "mean_preferred_characters": .optional(lengthPreference.meanPreferredCharacters),
                "mean_dispreferred_characters": .optional(lengthPreference.meanDispreferredCharacters),
            ]),
            "agreement": agreement.json,
            "dimension_agreement": .object(
                JSONObject(
                    dimensionAgreement.sorted { $0.key.rawValue < $1.key.rawValue }
                        .map { (key: $0.key.rawValue, value: $0.value.json) })),
            "splits": .array(splits.map { $0.json }), "imports": .int(imports),
        ])
    }
}

extension SplitSummary {
    var json: JSONValue {
        JSONValue([
            "name": .string(name), "pairs": .int(pairs), "ties": .int(ties), "prompts": .int(prompts),
            "recipe": (try? JSONParser.parse(recipe)) ?? .string(recipe),
        ])
    }
}

extension PromptQualityReport {
    var json: JSONValue {
        JSONValue([
            "checked": .int(checked), "too_short": .int(tooShort), "no_request": .int(noRequest),
            "duplicate": .int(duplicate), "near_duplicate": .int(nearDuplicate), "kept": .int(kept),
            "tagged": .counts(tagged) { $0 },
        ])
    }
}

extension PostFilterReport {
    var json: JSONValue {
        JSONValue([
            "comparisons": .int(comparisons), "contradictory_resolved": .int(contradictoryResolved),
            "dropped_contradictory": .int(droppedContradictory), "dropped_both_bad": .int(droppedBothBad),
            "dropped_ties": .int(droppedTies), "dropped_cyclic": .int(droppedCyclic),
            "prompts_with_cycles": .int(promptsWithCycles), "kept": .int(kept), "kept_ties": .int(keptTies),
            "dropped_excluded_judgements": .int(droppedExcludedJudgements), "agreement": agreement.json,
        ])
    }
}

extension LengthBalancingReport {
    var json: JSONValue {
        JSONValue([
            "unit": .string(unit), "before": .int(before), "after": .int(after), "equal_length": .int(equalLength),
            "ties": .int(ties),
            "buckets": .array(
                buckets.map {
                    JSONValue([
                        "from": .int($0.lowerBound), "to": $0.upperBound.map { .int($0) } ?? .null,
                        "longer_before": .int($0.longerBefore), "shorter_before": .int($0.shorterBefore),
                        "longer_after": .int($0.longerAfter), "shorter_after": .int($0.shorterAfter),
                    ])
                }),
        ])
    }
}
