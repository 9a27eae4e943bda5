/// `--nightly HH:MM`: the daily time (UTC) a scheduled audit runs.
public struct NightlySchedule: Sendable, Hashable, CustomStringConvertible {
    /// Seconds after midnight UTC.
    public let secondOfDay: Int64

    /// `HH:MM` with a real hour and minute, else nil.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int64(parts[0]), let minute = Int64(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        secondOfDay = hour * 3600 + minute * 60
    }

    /// The first run at or after `instant`, or nil when that would be after 9999-12-31T23:59:59Z
    /// (a start on the last day, after the run's time): no timestamp can name it.
    public func firstRun(atOrAfter instant: Timestamp) -> Timestamp? {
        let day = instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400
        var run = Timestamp(seconds: day * 86_400 + secondOfDay)
        if run < instant { run = Timestamp(seconds: run.seconds + 86_400) }
        return run.seconds <= Timestamp.lastSecond ? run : nil
    }

    public var description: String {
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}
