import JSONSupport

extension JSONParser.Options {
    /// How this layer parses JSON: one JSON Lines line (or one stored value) at a time, so messages name the end of
    /// the line; no record nests anywhere near 256 levels, so deeper input is rejected as malformed.
    static let preferenceData = JSONParser.Options(maximumDepth: 256, endOfInput: "end of line")
}
