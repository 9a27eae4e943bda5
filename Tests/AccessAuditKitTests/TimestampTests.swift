@testable import AccessAuditKit
import Testing

/// CONTRACT.md §2 timestamps, edge by edge.
struct TimestampTests {
    @Test(
        "Valid forms",
        arguments: [
            "2019-03-07", "2019-03-07T09:12", "2019-03-07 09:12", "2019-03-07T09:12:00", "2019-03-07T09:12:00Z",
            "2019-03-07T09:12:00.5", "2019-03-07T09:12:00.123456789012345678901Z", "2019-03-07T09:12+01:00",
            "2019-03-07T09:12:00-23:59", "2019-03-07 09:12Z", "0001-01-01", "9999-12-31T23:59:59.999Z",
            "2024-02-29", "2000-02-29", "2019-12-31T23:59:59+00:00",
            "9999-12-31T23:59:59+00:00", "9999-12-31T23:58:59-00:01", "0001-01-01T00:01+00:01", "0001-01-01T00:00:00-23:59",
        ])
    func valid(_ text: String) {
        #expect(Timestamp(text) != nil)
    }

    @Test(
        "Invalid forms",
        arguments: [
            "", " ", "2019-03-07 ", " 2019-03-07", "2019-3-7", "19-03-07", "2019/03/07", "2019-03-07t09:12",
            "2019-03-07T09:12z", "2019-03-07T09", "2019-03-07T9:12", "2019-03-07T09:12:0", "2019-03-07T09:12:00.",
            "2019-03-07T09:12.5", "2019-03-07Z", "2019-03-07T09:12:00+01", "2019-03-07T09:12:00+0100",
            "2019-03-07T09:12:00 +01:00", "2019-03-07  09:12", "2019-03-07T24:00", "2019-03-07T23:60",
            "2019-03-07T23:59:60", "2019-03-07T09:12+24:00", "2019-03-07T09:12+01:60", "0000-01-01", "2019-00-10",
            "2019-13-10", "2019-02-29", "1900-02-29", "2019-04-31", "2019-03-00", "2019-03-32", "２０１９-03-07",
            "2019-03-07T09:12:00Zjunk", "2019-03-07T09:12:00.5.5", "+2019-03-07", "2019-03-07T09:12:00.-1",
            "2019-03-07T",
            // Real fields, but a zone moves the UTC instant out of years 0001-9999.
            "9999-12-31T23:59-23:59", "9999-12-31T23:59:59-00:01", "0001-01-01T00:00+00:01", "0001-01-01T00:00:00+23:59",
        ])
    func invalid(_ text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test func noZoneMeansUTC() {
        #expect(Timestamp("2019-03-07T09:12") == Timestamp("2019-03-07T09:12:00Z"))
        #expect(Timestamp("2019-03-07") == Timestamp("2019-03-07T00:00:00Z"))
    }

    @Test func zoneOffsetsConvertToUTC() {
        #expect(Timestamp("2019-03-07T10:12+01:00") == Timestamp("2019-03-07T09:12Z"))
        #expect(Timestamp("2019-03-06T23:42-09:30") == Timestamp("2019-03-07T09:12Z"))
        #expect(Timestamp("2019-03-07T00:30+01:00")?.description == "2019-03-06T23:30:00Z")
    }

    @Test func fractionsCompareExactly() {
        let a = Fixture.timestamp("2019-03-07T09:12:00.5")
        let b = Fixture.timestamp("2019-03-07T09:12:00.50000")
        let c = Fixture.timestamp("2019-03-07T09:12:00.500000000000000000001")
        let d = Fixture.timestamp("2019-03-07T09:12:00.45")
        let whole = Fixture.timestamp("2019-03-07T09:12:00")
        #expect(a == b)
        #expect(b < c)
        #expect(d < a)
        #expect(whole < d)
        #expect(Fixture.timestamp("2019-03-07T09:12:00.000") == whole)
        #expect(!(a < b) && !(b < a))
    }

    @Test func descriptionIsTheContractJSONForm() {
        #expect(Fixture.timestamp("2019-03-07 09:12:05.999+00:00").description == "2019-03-07T09:12:05Z")
        #expect(Fixture.timestamp("0001-01-01").description == "0001-01-01T00:00:00Z")
        #expect(Fixture.timestamp("9999-12-31T23:59:59").description == "9999-12-31T23:59:59Z")
        #expect(Fixture.timestamp("1969-12-31T23:59:59").description == "1969-12-31T23:59:59Z")
        #expect(Fixture.timestamp("1970-01-01").seconds == 0)
    }

    @Test func civilRoundTripsOverFourCenturies() {
        var days = Timestamp.daysFromCivil(year: 1800, month: 1, day: 1)
        let end = Timestamp.daysFromCivil(year: 2200, month: 1, day: 1)
        while days < end {
            let (y, m, d) = Timestamp.civil(fromDays: days)
            #expect(Timestamp.daysFromCivil(year: y, month: m, day: d) == days)
            days += 37
        }
    }

    @Test func addingSeconds() {
        #expect(Fixture.timestamp("2019-03-13T02:00:00Z").adding(seconds: -90 * 86_400) == Timestamp("2018-12-13T02:00:00Z"))
    }
}
