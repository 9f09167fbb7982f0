// SPDX-License-Identifier: MIT

/// The start date and time of a recording, as EDF stores it (`dd.mm.yy`, `hh.mm.ss`).
///
/// EDF has two-digit years: `85`…`99` mean 1985…1999 and `00`…`84` mean 2000…2084 (EDF+ spec,
/// "clipping date"), so only years 1985…2084 can be written. The time is local time of the
/// recording, with no time zone (as in the file).
public struct EDFDateTime: Hashable, Sendable, CustomStringConvertible {
    /// Four-digit year, 1985…2084.
    public var year: Int
    /// Month, 1…12.
    public var month: Int
    /// Day of the month, from 1.
    public var day: Int
    /// Hour, 0…23.
    public var hour: Int
    /// Minute, 0…59.
    public var minute: Int
    /// Second, 0…59.
    public var second: Int

    /// Creates a date and time; ``isValid`` tells whether EDF can store it.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// True if the date exists, the time is on a 24-hour clock and the year is 1985…2084.
    public var isValid: Bool {
        guard (1985...2084).contains(year), (1...12).contains(month),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return false }
        return (1...Self.days(inMonth: month, year: year)).contains(day)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The `dd.mm.yy` start-date field.
    var dateField: String { "\(Self.twoDigits(day)).\(Self.twoDigits(month)).\(Self.twoDigits(year % 100))" }

    /// The `hh.mm.ss` start-time field.
    var timeField: String { "\(Self.twoDigits(hour)).\(Self.twoDigits(minute)).\(Self.twoDigits(second))" }

    /// ISO 8601 without a zone: `2024-05-01T07:30:00`.
    public var description: String {
        "\(year)-\(Self.twoDigits(month))-\(Self.twoDigits(day))T\(Self.twoDigits(hour)):\(Self.twoDigits(minute)):\(Self.twoDigits(second))"
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Parses the `dd.mm.yy` and `hh.mm.ss` fields; `nil` unless both are well formed and valid.
    init?(dateField: ArraySlice<UInt8>, timeField: ArraySlice<UInt8>) {
        func parts(_ f: ArraySlice<UInt8>) -> (Int, Int, Int)? {
            // "dd.mm.yy": digits at 0,1 3,4 6,7 and separators at 2 and 5 (EDF+ also allows
            // other separators in old files; only the positions are checked).
            guard f.count == 8 else { return nil }
            let b = Array(f)
            func d(_ i: Int) -> Int? { b[i] >= 0x30 && b[i] <= 0x39 ? Int(b[i] - 0x30) : nil }
            guard let a0 = d(0), let a1 = d(1), let b0 = d(3), let b1 = d(4), let c0 = d(6), let c1 = d(7),
                  !(b[2] >= 0x30 && b[2] <= 0x39), !(b[5] >= 0x30 && b[5] <= 0x39) else { return nil }
            return (a0 * 10 + a1, b0 * 10 + b1, c0 * 10 + c1)
        }
        guard let (dd, mm, yy) = parts(dateField), let (h, m, s) = parts(timeField) else { return nil }
        self.init(year: yy >= 85 ? 1900 + yy : 2000 + yy, month: mm, day: dd, hour: h, minute: m, second: s)
        guard isValid else { return nil }
    }
}
