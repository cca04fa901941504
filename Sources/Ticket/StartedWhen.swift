import Foundation
import TMDiagCore

/// When the trouble started, as the customer said it (`--started`), and the day it means when
/// the words can be read: an ISO date or time, `today`, `yesterday`, `3 days ago`, `a week ago`,
/// `last week`, a weekday (`Monday`, `last Monday`, `since Monday`: the most recent one, today included).
public struct StartedWhen: Codable, Sendable, Hashable {
    /// The words, cleaned (`CustomerWords`).
    public var stated: String
    /// The calendar day (`2026-11-23`) when understood.
    public var day: String?

    public init(stated: String, day: String?) {
        self.stated = stated
        self.day = day
    }

    public static func parse(_ raw: String, now: Date, timeZone: TimeZone = .current, reveal: RevealSet = .none) -> StartedWhen {
        let stated = CustomerWords.clean(raw, reveal: reveal)
        return StartedWhen(stated: stated, day: date(raw, now: now, timeZone: timeZone).map { format($0, timeZone) })
    }

    static func format(_ d: Date, _ tz: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The moment the words mean (start of that day for day words), or nil.
    public static func date(_ raw: String, now: Date, timeZone: TimeZone = .current) -> Date? {
        var s = raw.lowercased().trimmingSpaces
        for prefix in ["since ", "on ", "from ", "started ", "about ", "around "] where s.hasPrefix(prefix) {
            s = String(s.dropFirst(prefix.count)).trimmingSpaces
        }
        if s.hasSuffix(".") { s.removeLast() }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let today = cal.startOfDay(for: now)
        func daysAgo(_ n: Int) -> Date? { cal.date(byAdding: .day, value: -n, to: today) }
        if s.isEmpty { return nil }
        if let d = Timestamp.parse(raw.trimmingSpaces) { return d <= now ? d : nil }
        switch s {
        case "today", "this morning", "tonight", "this afternoon", "this evening": return today
        case "yesterday", "last night": return daysAgo(1)
        case "day before yesterday", "the day before yesterday": return daysAgo(2)
        case "last week", "a week ago", "one week ago": return daysAgo(7)
        case "last month", "a month ago", "one month ago": return cal.date(byAdding: .month, value: -1, to: today)
        default: break
        }
        let words = s.split(separator: " ").map(String.init)
        let numbers = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                       "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "couple": 2]
        if words.count == 3, words[2] == "ago", let n = Int(words[0]) ?? numbers[words[0]], n >= 0, n < 10_000 {
            switch words[1] {
            case "day", "days": return daysAgo(n)
            case "week", "weeks": return daysAgo(7 * n)
            case "month", "months": return cal.date(byAdding: .month, value: -n, to: today)
            case "hour", "hours": return now.addingTimeInterval(TimeInterval(-3600 * n))
            default: return nil
            }
        }
        let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        var w = words
        var last = false
        if w.first == "last" { last = true; w.removeFirst() }
        else if w.first == "this" || w.first == "past" { w.removeFirst() }
        if w.count == 1, let target = weekdays.firstIndex(where: { $0 == w[0] || $0.prefix(3) == w[0] }) {
            let current = cal.component(.weekday, from: today) - 1
            var back = (current - target + 7) % 7
            if last && back == 0 { back = 7 }
            return daysAgo(back)
        }
        return nil
    }
}
