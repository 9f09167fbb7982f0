// SPDX-License-Identifier: MIT

/// An instant in UTC: seconds since 1970-01-01T00:00:00Z (fractions for TCX's milliseconds).
///
/// FIT and TCX both time-stamp in UTC; activities keep that time until a writer needs a
/// calendar date (``dateTime``).
public struct UTCInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Double

    public init(secondsSince1970: Double) {
        self.secondsSince1970 = secondsSince1970
    }

    /// A FIT `date_time`: seconds since the FIT epoch, 1989-12-31T00:00:00Z.
    public init(fitTimestamp: UInt32) {
        secondsSince1970 = Double(Int64(fitTimestamp) + FITProfile.epochUnixSeconds)
    }

    public static func < (a: UTCInstant, b: UTCInstant) -> Bool { a.secondsSince1970 < b.secondsSince1970 }

    /// `self` plus `seconds`.
    public func adding(seconds: Double) -> UTCInstant { UTCInstant(secondsSince1970: secondsSince1970 + seconds) }

    /// Seconds from `other` to `self`.
    public func seconds(since other: UTCInstant) -> Double { secondsSince1970 - other.secondsSince1970 }

    /// The whole second at or before this instant.
    public var wholeSecond: Int64 { Int64(secondsSince1970.rounded(.down)) }

    /// The calendar date and time (UTC) of ``wholeSecond``, as EDF stores it.
    public var dateTime: EDFDateTime {
        let s = wholeSecond
        let days = s >= 0 ? s / 86400 : (s - 86399) / 86400
        let secondOfDay = Int(s - days * 86400)
        let (y, m, d) = Self.civil(fromDays: days)
        return EDFDateTime(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
    }

    /// ISO 8601 in UTC: `2015-08-15T14:45:08Z`, with milliseconds when there is a fraction.
    public var description: String {
        let base = dateTime.description
        let fraction = secondsSince1970 - Double(wholeSecond)
        guard fraction >= 0.0005 else { return base + "Z" }
        let ms = min(999, Int((fraction * 1000).rounded()))
        return base + "." + String(1000 + ms).dropFirst() + "Z"
    }

    // MARK: - Calendar

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
    /// Low-Level Date Algorithms", `days_from_civil`).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of `days` since 1970-01-01 (Hinnant, `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = Int(yoe + era * 400) + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    // MARK: - ISO 8601

    /// Parses an XML Schema `dateTime` as TCX writes it: `2015-08-15T14:45:08Z`,
    /// `2015-08-15T14:45:08.123Z`, `2015-08-15T16:45:08+02:00`. A time without a zone is taken
    /// as UTC. `nil` if the text is not such a date and time.
    public init?(iso8601 text: String) {
        var u = Array(text.utf8)[...]
        while let f = u.first, f == 0x20 || f == 0x0A || f == 0x0D || f == 0x09 { u.removeFirst() }
        while let l = u.last, l == 0x20 || l == 0x0A || l == 0x0D || l == 0x09 { u.removeLast() }
        func number(_ count: Int) -> Int? {
            guard u.count >= count else { return nil }
            var n = 0
            for _ in 0..<count {
                let c = u.removeFirst()
                guard c >= 0x30 && c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        func expect(_ c: UInt8) -> Bool {
            guard u.first == c else { return false }
            u.removeFirst()
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              expect(0x54) || expect(0x74) || expect(0x20),
              let hour = number(2), expect(0x3A), let minute = number(2), expect(0x3A), let second = number(2) else { return nil }
        var fraction = 0.0
        if expect(0x2E) {
            var scale = 0.1
            var digits = 0
            while let c = u.first, c >= 0x30 && c <= 0x39 {
                fraction += Double(c - 0x30) * scale
                scale /= 10
                digits += 1
                u.removeFirst()
            }
            guard digits > 0 else { return nil }
        }
        var zoneSeconds = 0
        if expect(0x5A) || expect(0x7A) {
        } else if let sign = u.first, sign == 0x2B || sign == 0x2D {
            u.removeFirst()
            guard let zh = number(2), expect(0x3A), let zm = number(2), zh <= 14, zm < 60 else { return nil }
            zoneSeconds = (zh * 3600 + zm * 60) * (sign == 0x2D ? -1 : 1)
        }
        guard u.isEmpty, (1...12).contains(month), day >= 1, day <= EDFDateTime.days(inMonth: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = days * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(zoneSeconds)
        secondsSince1970 = Double(seconds) + fraction
    }
}
