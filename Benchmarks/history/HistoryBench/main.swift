// History store benchmark (SQLite, and PostgreSQL when run.sh found a server): generates 1,000 accounts and 1,000,000 events (100,000 on one
// account) as CSV and as one JSON document, imports each with the tmdiag binary into a fresh
// store (time and peak memory), then measures `lookup imei` and `history show` as whole
// processes (median of N runs), again while 8 importers write, and in-process (median of N calls).
//
//   history-bench TMDIAG_BINARY [WORK_DIR] [--events N] [--runs N]
import Foundation
import History
import TMDiagCore

@MainActor func fail(_ s: String) -> Never {
    FileHandle.standardError.write(Data(("history-bench: " + s + "\n").utf8))
    exit(1)
}

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    args.removeSubrange(i...(i + 1))
    return v
}
let totalEvents = option("--events", 1_000_000)
let runs = option("--runs", 21)
guard let binary = args.first else { fail("usage: history-bench TMDIAG_BINARY [WORK_DIR] [--events N] [--runs N]") }
let work = args.count > 1 ? args[1] : NSTemporaryDirectory() + "tmdiag-history-bench"
try? FileManager.default.removeItem(atPath: work)
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
let store = work + "/bench.sqlite"

@MainActor func imei(_ n: Int) -> String {
    let base = String(format: "35%06d%06d", 100_000 + n % 900_000, n)
    var sum = 0
    for (i, ch) in base.reversed().enumerated() {
        var d = Int(String(ch))!
        if i % 2 == 0 { d *= 2; if d > 9 { d -= 9 } }
        sum += d
    }
    return base + String((10 - sum % 10) % 10)
}
@MainActor func msisdn(_ n: Int) -> String { String(format: "+1206%07d", n) }
@MainActor func account(_ n: Int) -> String { String(format: "ACC-%06d", n) }

// MARK: generate
let accounts = 1_000
let busy = min(100_000, totalEvents / 10)
let end: Int64 = HistoryDate.parse("2026-11-25T00:00:00Z")!
let span: Int64 = 730 * 86_400
var t0 = Date()
var doc = #"{"accounts": ["#
for a in 0..<accounts {
    if a > 0 { doc += ",\n" }
    doc += #"{"id": "\#(account(a))", "type": "\#(a % 10 == 0 ? "business" : "consumer")", "holder": "Holder \#(a)", "plan": "Plan \#(a % 7)", "lines": [{"msisdn": "\#(msisdn(a))", "imei": "\#(imei(a))", "device": "Phone \#(a % 13)"}]}"#
}
doc += "]}\n"
_ = FileManager.default.createFile(atPath: work + "/accounts.json", contents: Data(doc.utf8))
let kinds = ["plan_change", "sim_swap", "device_change", "outage", "roaming", "billing", "note", "note", "note"]
var csv = "account,at,kind,msisdn,summary,case,channel,status\n"
// The same events as the JSON document's form, gathered per account.
var jsonEvents = [[String]](repeating: [], count: accounts)
csv.reserveCapacity(totalEvents * 90)
var caseNo = 0
for i in 0..<totalEvents {
    let a = i < busy ? 0 : 1 + (i % (accounts - 1))
    // The busy account's events spread evenly over two years; the others' scattered.
    let at = i < busy ? end - span + Int64(i) * span / Int64(busy) : end - span + Int64((i &* 7919) % Int(span))
    let stamp = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(at)))
    if i % 100 == 0 {
        caseNo += 1
        csv += "\(account(a)),\(stamp),support_case,\(msisdn(a)),No data (contact \(i)),CAS-B\(caseNo),chat,closed\n"
        jsonEvents[a].append(#"{"at": "\#(stamp)", "kind": "support_case", "msisdn": "\#(msisdn(a))", "summary": "No data (contact \#(i))", "case": "CAS-B\#(caseNo)", "channel": "chat", "status": "closed"}"#)
    } else {
        csv += "\(account(a)),\(stamp),\(kinds[i % kinds.count]),\(msisdn(a)),Generated event \(i),,,\n"
        jsonEvents[a].append(#"{"at": "\#(stamp)", "kind": "\#(kinds[i % kinds.count])", "msisdn": "\#(msisdn(a))", "summary": "Generated event \#(i)"}"#)
    }
}
_ = FileManager.default.createFile(atPath: work + "/events.csv", contents: Data(csv.utf8))
let csvMB = Double(csv.utf8.count) / 1_048_576
csv = ""
// One document: each account with its line and its events (written out piece by piece).
_ = FileManager.default.createFile(atPath: work + "/history.json", contents: nil)
let jsonOut = FileHandle(forWritingAtPath: work + "/history.json")!
jsonOut.write(Data(#"{"accounts": ["#.utf8))
for a in 0..<accounts {
    var piece = a > 0 ? ",\n" : ""
    piece += #"{"id": "\#(account(a))", "type": "\#(a % 10 == 0 ? "business" : "consumer")", "holder": "Holder \#(a)", "plan": "Plan \#(a % 7)", "lines": [{"msisdn": "\#(msisdn(a))", "imei": "\#(imei(a))", "device": "Phone \#(a % 13)"}], "events": [\#n"#
    piece += jsonEvents[a].joined(separator: ",\n") + "]}"
    jsonOut.write(Data(piece.utf8))
    jsonEvents[a] = []
}
jsonOut.write(Data("]}\n".utf8))
let jsonMB = Double(jsonOut.offsetInFile) / 1_048_576
try? jsonOut.close()
print(String(format: "generated %d accounts and %d events (%.0f MB CSV, %.0f MB JSON) in %.1f s", accounts, totalEvents, csvMB, jsonMB,
             Date().timeIntervalSince(t0)))
doc = ""

// MARK: whole-process helpers
@MainActor func run(_ arguments: [String], store: String = store) -> (Int32, TimeInterval) {
    let (status, t, _) = runMeasured(arguments, store: store)
    return (status, t)
}
/// Runs tmdiag under GNU time, which forks it afresh: a child of posix_spawn starts with this
/// process's memory high-water mark (Linux carries it across a vfork-style exec), so its own
/// `ru_maxrss` would report the generator's memory, not tmdiag's. Exit status, wall time (time's
/// start-up included, a millisecond) and tmdiag's peak resident memory in bytes.
@MainActor func runMeasuredMemory(_ arguments: [String], store: String = store) -> (Int32, TimeInterval, Int) {
    let report = work + "/peak-memory.txt"
    let saved = binary
    let (status, t, _) = runMeasured(["-f", "%M", "-o", report, saved] + arguments, store: store, program: "/usr/bin/time")
    let kb = Int((try? String(contentsOfFile: report, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    return (status, t, kb * 1024)
}
/// Runs tmdiag (or `program` with these arguments); its exit status, wall time and peak memory.
@MainActor func runMeasured(_ arguments: [String], store: String = store, program: String = binary) -> (Int32, TimeInterval, Int) {
    // posix_spawn rather than Foundation's Process, whose own start-up would be measured too.
    let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments + ["--store", store]).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { fail("cannot run \(program)") }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return ((status >> 8) & 0xFF, elapsed, usage.ru_maxrss * 1024)
}
@MainActor func mb(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1_048_576) }
@MainActor func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
@MainActor func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }

// MARK: import
let jsonStore = work + "/json.sqlite"
let (s0, tJSON, peakJSON) = runMeasuredMemory(["history", "import", work + "/history.json"], store: jsonStore)
guard s0 == 0 else { fail("JSON import failed (status \(s0))") }
let (s1, tAccounts) = run(["history", "import", work + "/accounts.json"])
guard s1 == 0 else { fail("accounts import failed") }
let (s2, tEvents, peakCSV) = runMeasuredMemory(["history", "import", work + "/events.csv"])
guard s2 == 0 else { fail("events import failed (status \(s2))") }
print("import into SQLite, whole process, one transaction (target <= 10 s each):")
print(String(format: "  JSON (%.0f MB, %d events with their accounts): %.2f s = %.0f events/s, peak memory ",
             jsonMB, totalEvents, tJSON, Double(totalEvents) / tJSON) + mb(peakJSON))
print(String(format: "  CSV  (%.0f MB, %d events; accounts first from JSON in %.2f s): %.2f s = %.0f events/s, peak memory ",
             csvMB, totalEvents, tAccounts, tEvents, Double(totalEvents) / tEvents) + mb(peakCSV))
let jsonCounts = try HistoryStore.open(path: jsonStore, create: false).counts()
let csvCounts = try HistoryStore.open(path: store, create: false).counts()
print("  same store from both: \(jsonCounts == csvCounts ? "yes" : "NO") (\(csvCounts.events) events, \(csvCounts.cases) cases)")
let (s3, tAgain) = run(["history", "import", work + "/events.csv"])
print(String(format: "re-import of the same events (no changes): %.2f s (status %d)", tAgain, s3))
let size = ((try? FileManager.default.attributesOfItem(atPath: store))?[.size] as? NSNumber)?.doubleValue ?? 0
print(String(format: "store: %.0f MB", size / 1_048_576))

// MARK: lookups, whole process
let sinceDate = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(end - 90 * 86_400)))
let busyIMEI = imei(0)
let quietAccount = account(500)
let cases: [(String, [String])] = [
    ("lookup imei (busy account)", ["lookup", "imei", busyIMEI]),
    ("lookup imei --json", ["lookup", "imei", imei(500), "--json"]),
    ("history show, 90 days of the 100k-event account (latest 200)", ["history", "show", "--account", account(0), "--since", sinceDate]),
    ("history show --limit 0, all 90 days of it (~12,000 events)", ["history", "show", "--account", account(0), "--since", sinceDate, "--limit", "0"]),
    ("history show, all of a 900-event account", ["history", "show", "--account", quietAccount]),
    ("history show --json, 90 days of the 100k-event account (latest 200)", ["history", "show", "--account", account(0), "--since", sinceDate, "--json"]),
]
print("whole process (median of \(runs) runs of \(binary)):")
for (name, arguments) in cases {
    var times: [Double] = []
    for _ in 0..<runs {
        let (status, t) = run(arguments)
        guard status == 0 else { fail("\(name) exited \(status)") }
        times.append(t)
    }
    print("  \(name): \(ms(median(times)))")
}

// MARK: lookups while 8 importers write
// Each importer loops over its own 5,000-event CSV; neighbours overlap by half, so they race
// on the same events (re-imports after the first pass: each still takes the write lock).
var importerFiles: [String] = []
for k in 0..<8 {
    var part = "account,at,kind,msisdn,summary\n"
    for i in (k * 2_500)..<(k * 2_500 + 5_000) {
        let a = 1 + i % (accounts - 1)
        let stamp = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(end + Int64(i) * 60)))
        part += "\(account(a)),\(stamp),note,\(msisdn(a)),Concurrent event \(i)\n"
    }
    let path = work + "/importer-\(k).csv"
    _ = FileManager.default.createFile(atPath: path, contents: Data(part.utf8))
    importerFiles.append(path)
}
@MainActor func startImporter(_ file: String, store: String = store) -> pid_t {
    let script = "while :; do \"$0\" history import \"$1\" --store \"$2\" >/dev/null 2>&1; done"
    let words: [String] = ["/bin/sh", "-c", script, binary, file, store]
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Its own process group, so that the loop and the import it runs stop together.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ) == 0 else { fail("cannot start an importer") }
    return pid
}
let importers = importerFiles.map { startImporter($0) }
Thread.sleep(forTimeInterval: 1)
print("whole process while 8 importers write (median of \(runs) runs; target <= 50 ms):")
var sqliteUnderLoad: [String: Double] = [:]
for (name, arguments) in cases.prefix(3) {
    var times: [Double] = []
    for _ in 0..<runs {
        let (status, t) = run(arguments)
        guard status == 0 else { fail("\(name) exited \(status) while importers ran") }
        times.append(t)
    }
    sqliteUnderLoad[name] = median(times)
    print("  \(name): \(ms(median(times)))")
}
for pid in importers { kill(-pid, SIGTERM) }
for pid in importers { var status: Int32 = 0; waitpid(pid, &status, 0) }
// An importer stopped mid-file left nothing (its transaction rolled back); one more pass of
// every file makes the expected count exact.
for file in importerFiles {
    let (status, _) = run(["history", "import", file])
    guard status == 0 else { fail("importing \(file) after the race exited \(status)") }
}
let afterRace = try HistoryStore.open(path: store, create: false).counts()
let expectedAfterRace = csvCounts.events + 8 * 2_500 + 2_500
print("  events after the race and one more pass of each file: \(afterRace.events) (expected \(expectedAfterRace): "
      + (afterRace.events == expectedAfterRace ? "no duplicates, none lost)" : "MISMATCH)"))

// MARK: in-process
let h = try HistoryStore.open(path: store, create: false)
@MainActor func timeIt(_ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return median(times)
}
let since = Date(timeIntervalSince1970: TimeInterval(end - 90 * 86_400))
var windowCount = 0
print("in-process (median of \(runs) calls):")
print("  open store: \(ms(try timeIt { _ = try HistoryStore.open(path: store, create: false) }))")
print("  lookup(imei:): \(ms(try timeIt { _ = try h.lookup(imei: busyIMEI) }))")
print("  accountFor(imei:): \(ms(try timeIt { _ = try h.accountFor(imei: busyIMEI) }))")
let tWindow = try timeIt { windowCount = try h.events(account: account(0), since: since).count }
print("  events(account:since:) 90-day window of the 100k-event account (\(windowCount) events): \(ms(tWindow))")
print("  history(account:since:limit: 200) + text timeline, same window: \(ms(try timeIt { _ = HistoryText.timeline(try h.history(account: account(0), since: since, limit: 200)!.masked(.none)) }))")
print("  history(account:since:) + text timeline, all of the window: \(ms(try timeIt { _ = HistoryText.timeline(try h.history(account: account(0), since: since)!.masked(.none)) }))")
print("  history(account:) of a 900-event account: \(ms(try timeIt { _ = try h.history(account: quietAccount) }))")

// MARK: PostgreSQL
// The same imports and lookups on a PostgreSQL store, when run.sh started a throwaway server
// (TMDIAG_BENCH_POSTGRES_SOCKET, TMDIAG_BENCH_POSTGRES_BIN).
let environment = ProcessInfo.processInfo.environment
if let socket = environment["TMDIAG_BENCH_POSTGRES_SOCKET"], let bin = environment["TMDIAG_BENCH_POSTGRES_BIN"] {
    @MainActor func psql(_ sql: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin + "/psql")
        p.arguments = ["-h", socket, "-U", "tmdiag", "-d", "tmdiag_test", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        do { try p.run() } catch { fail("cannot run psql: \(error)") }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { fail("psql failed: \(sql)") }
    }
    @MainActor func pgURL(_ database: String) -> String {
        "postgresql://tmdiag@" + socket.replacingOccurrences(of: "/", with: "%2F") + ":5432/" + database
    }
    for db in ["bench_json", "bench_csv"] { psql("DROP DATABASE IF EXISTS \(db)"); psql("CREATE DATABASE \(db)") }
    let pgJSON = pgURL("bench_json"), pgCSV = pgURL("bench_csv")
    let (p0, tpJSON, peakPJSON) = runMeasuredMemory(["history", "import", work + "/history.json"], store: pgJSON)
    guard p0 == 0 else { fail("JSON import into PostgreSQL failed (status \(p0))") }
    let (p1, tpAccounts) = run(["history", "import", work + "/accounts.json"], store: pgCSV)
    guard p1 == 0 else { fail("accounts import into PostgreSQL failed") }
    let (p2, tpEvents, peakPCSV) = runMeasuredMemory(["history", "import", work + "/events.csv"], store: pgCSV)
    guard p2 == 0 else { fail("events import into PostgreSQL failed (status \(p2))") }
    print("import into PostgreSQL, whole process, one transaction (target <= 20 s each; SQLite beside it):")
    print(String(format: "  JSON: %.2f s = %.0f events/s, peak memory ", tpJSON, Double(totalEvents) / tpJSON) + mb(peakPJSON)
          + String(format: " (SQLite %.2f s, x%.1f)", tJSON, tpJSON / tJSON))
    print(String(format: "  CSV:  %.2f s = %.0f events/s (accounts first in %.2f s), peak memory ", tpEvents,
                 Double(totalEvents) / tpEvents, tpAccounts) + mb(peakPCSV) + String(format: " (SQLite %.2f s, x%.1f)", tEvents, tpEvents / tEvents))
    let pgJSONCounts = try HistoryStore.open(path: pgJSON, create: false).counts()
    let pgCSVCounts = try HistoryStore.open(path: pgCSV, create: false).counts()
    print("  same store as SQLite's from both: \(pgJSONCounts == csvCounts && pgCSVCounts == csvCounts ? "yes" : "NO") "
          + "(\(pgCSVCounts.events) events, \(pgCSVCounts.cases) cases)")
    let (p3, tpAgain) = run(["history", "import", work + "/events.csv"], store: pgCSV)
    print(String(format: "  re-import of the same events (no changes): %.2f s (status %d; SQLite %.2f s)", tpAgain, p3, tAgain))

    let pgImporters = importerFiles.map { startImporter($0, store: pgCSV) }
    Thread.sleep(forTimeInterval: 1)
    print("whole process on PostgreSQL while 8 importers write (median of \(runs) runs; target <= 50 ms; SQLite beside it):")
    for (name, arguments) in cases.prefix(3) {
        var times: [Double] = []
        for _ in 0..<runs {
            let (status, t) = run(arguments, store: pgCSV)
            guard status == 0 else { fail("\(name) on PostgreSQL exited \(status) while importers ran") }
            times.append(t)
        }
        print("  \(name): \(ms(median(times))) (SQLite \(ms(sqliteUnderLoad[name] ?? 0)))")
    }
    for pid in pgImporters { kill(-pid, SIGTERM) }
    for pid in pgImporters { var status: Int32 = 0; waitpid(pid, &status, 0) }
    for file in importerFiles {
        let (status, _) = run(["history", "import", file], store: pgCSV)
        guard status == 0 else { fail("importing \(file) into PostgreSQL after the race exited \(status)") }
    }
    let pgAfter = try HistoryStore.open(path: pgCSV, create: false).counts()
    print("  events after the race and one more pass of each file: \(pgAfter.events) (expected \(expectedAfterRace): "
          + (pgAfter.events == expectedAfterRace ? "no duplicates, none lost)" : "MISMATCH)"))
    let hp = try HistoryStore.open(path: pgCSV, create: false)
    print("in-process on PostgreSQL (median of \(runs) calls):")
    print("  open store: \(ms(try timeIt { _ = try HistoryStore.open(path: pgCSV, create: false) }))")
    print("  lookup(imei:): \(ms(try timeIt { _ = try hp.lookup(imei: busyIMEI) }))")
    print("  history(account:since:limit: 200) + text timeline: \(ms(try timeIt { _ = HistoryText.timeline(try hp.history(account: account(0), since: since, limit: 200)!.masked(.none)) }))")
} else {
    print("PostgreSQL: skipped (no server; run.sh starts one where PostgreSQL is installed)")
}
