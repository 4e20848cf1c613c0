import Foundation
import Testing

@testable import PreferenceData

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 1_714_557_600.123)) == "2024-05-01T10:00:00.123Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test func parsesAndRoundTripsExactly() throws {
        for text in [
            "2024-05-01T10:00:00.123Z", "1999-12-31T23:59:59.999Z", "2024-02-29T12:00:00.000Z",
            "1960-06-15T01:02:03.004Z",
        ] {
            let date = try #require(Timestamp.date(from: text))
            #expect(Timestamp.string(from: date) == text)
        }
    }

    @Test func acceptsOffsetsSpacesAndNoFraction() throws {
        let utc = try #require(Timestamp.date(from: "2024-05-01T10:00:00Z"))
        #expect(Timestamp.date(from: "2024-05-01T12:00:00+02:00") == utc)
        #expect(Timestamp.date(from: "2024-05-01T07:30:00-02:30") == utc)
        #expect(Timestamp.date(from: "2024-05-01 10:00:00Z") == utc)
        #expect(
            Timestamp.date(from: "2024-05-01T10:00:00.5Z")
                == Date(timeIntervalSince1970: utc.timeIntervalSince1970 + 0.5))
    }

    @Test func rejectsInvalidText() {
        for text in [
            "", "2024-05-01", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z",
            "2024-05-01T10:00:00", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00Zjunk", "yesterday",
        ] {
            #expect(Timestamp.date(from: text) == nil, "\(text)")
        }
    }
}
