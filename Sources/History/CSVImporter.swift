import Foundation
import TMDiagCore

/// RFC 4180 CSV over bytes: quoted fields may hold the delimiter, quotes (doubled) and line
/// breaks; CRLF and LF both end a record; blank lines are skipped. An unquoted field becomes
/// a String straight from its bytes; only quoted ones are gathered first.
enum CSV {
    static func forEachRecord(_ bytes: Data, delimiter: UInt8 = 0x2C, file: String,
                              _ body: (_ line: Int, _ fields: [String]) throws -> Void) throws {
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            _ = try forEachRecord(in: raw.bindMemory(to: UInt8.self), firstLine: 1, delimiter: delimiter, file: file, body)
        }
    }

    /// Reads records as the input streams in: each window of whole records (up to the last
    /// line end outside quotes) is parsed in place, then consumed; a record longer than a
    /// chunk makes the window grow until it ends.
    static func forEachRecord(_ input: ImportInput, delimiter: UInt8 = 0x2C, file: String,
                              _ body: (_ line: Int, _ fields: [String]) throws -> Void) throws {
        var line = 1
        var scan = RecordBoundaryScan(delimiter: delimiter)
        var scanned = 0   // bytes after `input.start` already scanned
        var atEnd = false
        while !atEnd {
            if !(try input.refill()) { atEnd = true }
            let from = input.start
            let boundary = atEnd ? input.end : scan.lastBoundary(input.buffer, from: from + scanned, to: input.end).map { $0 } ?? -1
            scanned = input.end - from
            guard boundary > from else { continue }
            try input.buffer.withUnsafeBufferPointer { b in
                line = try forEachRecord(in: UnsafeBufferPointer(rebasing: b[from..<boundary]), firstLine: line,
                                         delimiter: delimiter, file: file, body)
            }
            input.start = boundary
            scanned = input.end - boundary
            scan.resetBoundary()
        }
    }

    /// Parses whole records; returns the line after the last one.
    static func forEachRecord(in b: UnsafeBufferPointer<UInt8>, firstLine: Int, delimiter: UInt8, file: String,
                              _ body: (_ line: Int, _ fields: [String]) throws -> Void) throws -> Int {
        let n = b.count
        var i = 0
        var line = firstLine
        var fields: [String] = []
        fields.reserveCapacity(16)
        var quoted: [UInt8] = []
        while i < n {
            // Blank lines (LF or CRLF alone) are no records.
            if b[i] == 0x0A { line += 1; i += 1; continue }
            if b[i] == 0x0D, i + 1 < n, b[i + 1] == 0x0A { line += 1; i += 2; continue }
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            while true {
                var wasQuoted = false
                if i < n, b[i] == 0x22 {
                    wasQuoted = true
                    quoted.removeAll(keepingCapacity: true)
                    i += 1
                    var closed = false
                    while i < n {
                        let c = b[i]
                        if c == 0x22 {
                            if i + 1 < n, b[i + 1] == 0x22 { quoted.append(0x22); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if c == 0x0A { line += 1 }
                        quoted.append(c)
                        i += 1
                    }
                    if !closed {
                        throw TMDiagError("\(TerminalText.escape(file)):\(recordLine): a quoted field is not closed", status: .dataError)
                    }
                }
                // The unquoted run (or what follows a closing quote) up to the delimiter or
                // the line end; a CR right before LF belongs to the line end.
                let s = i
                while i < n, b[i] != delimiter, b[i] != 0x0A { i += 1 }
                var e = i
                if e > s, i < n, b[e - 1] == 0x0D { e -= 1 }
                let run = UnsafeBufferPointer(rebasing: b[s..<e])
                if wasQuoted {
                    quoted.append(contentsOf: run)
                    fields.append(String(decoding: quoted, as: UTF8.self))
                } else {
                    fields.append(String(decoding: run, as: UTF8.self))
                }
                if i < n, b[i] == delimiter { i += 1; continue }
                if i < n { i += 1; line += 1 }   // the LF
                break
            }
            try body(recordLine, fields)
        }
        return line
    }
}

/// Finds where whole CSV records end in bytes that arrive in pieces, with the parser's own
/// reading of quotes: a quote opens a quoted field only at a field's start; inside, a doubled
/// quote is a quote and a single one closes it. The state carries over between pieces.
struct RecordBoundaryScan {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    let delimiter: UInt8
    var state = State.fieldStart
    /// The last record end found since the last `resetBoundary`, as an offset past its LF.
    private var boundary: Int?

    init(delimiter: UInt8) { self.delimiter = delimiter }

    mutating func resetBoundary() { boundary = nil }

    /// Scans `bytes[from..<to]` on from the state left; the offset just past the last line end
    /// outside quotes seen so far (nil if none).
    mutating func lastBoundary(_ bytes: [UInt8], from: Int, to: Int) -> Int? {
        var s = state
        var last = boundary
        bytes.withUnsafeBufferPointer { b in
            var i = from
            while i < to {
                let c = b[i]
                switch s {
                case .quoted:
                    if c == 0x22 { s = .quoteInQuoted }
                case .quoteInQuoted:
                    if c == 0x22 { s = .quoted; break }
                    s = .unquoted
                    continue   // the byte after a closing quote is read as unquoted
                case .fieldStart:
                    if c == 0x22 { s = .quoted; break }
                    s = .unquoted
                    continue
                case .unquoted:
                    if c == delimiter { s = .fieldStart } else if c == 0x0A { s = .fieldStart; last = i + 1 }
                }
                i += 1
            }
        }
        state = s
        boundary = last
        return last
    }
}

/// One CSV record read by column name.
struct CSVFields: FieldReader {
    let file: String
    let line: Int
    let columns: [String: Int]
    let values: [String]
    let memo: NormalisationMemo?

    func string(_ key: String) throws(TMDiagError) -> String? {
        guard let i = columns[key], i < values.count else { return nil }
        let v = values[i]
        guard let first = v.utf8.first else { return nil }
        if first > 0x20, first < 0x80, let last = v.utf8.last, last > 0x20, last < 0x80 { return v } // nothing to trim
        let t = v.trimmingSpaces
        return t.isEmpty ? nil : t
    }

    func strings(_ key: String) throws(TMDiagError) -> [String] {
        (try string(key))?.split(separator: ";").map { String($0).trimmingSpaces } ?? []
    }

    func fail(_ key: String, _ what: String) -> TMDiagError {
        let column = columns[key].map { ":\($0 + 1)" } ?? ""
        return TMDiagError("\(file):\(line)\(column): \(key): \(what)", status: .dataError)
    }
}

/// The CSV form of the events table (columns in Fixtures/history/README.md). The accounts
/// must be in the store already (import their JSON first).
///
/// Reading and checking rows runs on a second thread, a few thousand rows ahead of the
/// database writes; the first error from either side stops both and rolls back.
enum CSVEventImporter {
    static let columns = Set(EventField.csvColumns)
    static let chunkSize = 4_096

    struct Row: Sendable {
        var line: Int
        var accountId: String
        var event: EventInput
        var fingerprint: Int64
    }

    struct ReaderTotals: Sendable {
        var events = 0
        var cases = 0
        var accounts = 0
    }

    /// What the reader thread hands the writer.
    enum ReaderItem: Sendable {
        case rows([Row])
        case finished(ReaderTotals)
        case failed(any Error)
    }

    static func importEvents(_ source: ImportSource, file: String, into writer: any StoreWriter, summary: inout ImportSummary) throws {
        let shown = TerminalText.escape(file)
        try writer.beginBulkIfWorthIt(expectedEvents: try source.count(0x0A))
        var accounts: [String: String] = [:]
        for id in try writer.storedAccountIds() { accounts[id.lowercased()] = id }

        let channel = BoundedChannel<ReaderItem>(capacity: 8)
        let known = accounts
        let reader: @Sendable () -> Void = {
            do {
                let input = try source.open(file: file)
                let totals = try readRows(input, file: file, shown: shown, accounts: known, channel: channel)
                _ = channel.send(.finished(totals))
            } catch is CancellationError {
                // The writer stopped first; it reports its own error.
            } catch {
                _ = channel.send(.failed(error))
            }
        }
        try BlockingIO.alongside(reader) {
            do {
                loop: while true {
                    switch channel.receive() {
                    case nil:
                        throw CancellationError()
                    case .rows(let rows):
                        for r in rows where try writer.add(event: r.event, accountId: r.accountId, fingerprint: r.fingerprint,
                                                           where: { "\(shown):\(r.line)" }, caseAlreadyStored: false) {
                            summary.newEvents += 1
                        }
                    case .finished(let totals):
                        summary.events = totals.events
                        summary.cases = totals.cases
                        summary.accounts = totals.accounts
                        break loop
                    case .failed(let error):
                        throw error
                    }
                }
            } catch {
                // Wakes a reader waiting to send, so that it ends before the error is thrown.
                channel.cancel()
                throw error
            }
        }
        if writer.bulk { summary.newEvents = try writer.finishBulk() }
    }

    /// Reads and checks every record; sends rows in chunks. Runs on the reader thread.
    static func readRows(_ input: ImportInput, file: String, shown: String, accounts: [String: String],
                         channel: BoundedChannel<ReaderItem>) throws -> ReaderTotals {
        var header: [String: Int]? = nil
        var width = 0
        var seenCases: [String: Int] = [:]
        var seenAccounts = Set<String>()
        var totals = ReaderTotals()
        let memo = NormalisationMemo()
        var chunk: [Row] = []
        chunk.reserveCapacity(chunkSize)
        try CSV.forEachRecord(input, file: file) { line, values in
            guard let columns = header else {
                header = try readHeader(values, line: line, shown: shown)
                width = values.count
                return
            }
            guard values.count == width else {
                throw TMDiagError("\(shown):\(line): expected \(width) fields as in the header, found \(values.count)", status: .dataError)
            }
            let r = CSVFields(file: shown, line: line, columns: columns, values: values, memo: memo)
            let given = try Check.accountId(r, "account")
            guard let accountId = accounts[given.lowercased()] else {
                throw r.fail("account", "no account '\(TerminalText.escape(given))' in the store; import the accounts (JSON) first")
            }
            let event = try Check.event(r)
            if let number = event.caseNumber, event.kind == .supportCase {
                if let first = seenCases[number.uppercased()] {
                    throw r.fail("case", "duplicate case '\(TerminalText.escape(number))' (first on line \(first))")
                }
                seenCases[number.uppercased()] = line
                totals.cases += 1
            }
            totals.events += 1
            seenAccounts.insert(accountId)
            // The same event twice in one file is stored once: the store skips the repeat.
            chunk.append(Row(line: line, accountId: accountId, event: event, fingerprint: event.fingerprint(accountId: accountId)))
            if chunk.count == chunkSize {
                guard channel.send(.rows(chunk)) else { throw CancellationError() }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if header == nil { throw TMDiagError("\(shown): empty (expected a header row and events)", status: .dataError) }
        if !chunk.isEmpty, !channel.send(.rows(chunk)) { throw CancellationError() }
        totals.accounts = seenAccounts.count
        return totals
    }

    static func readHeader(_ values: [String], line: Int, shown: String) throws -> [String: Int] {
        var h: [String: Int] = [:]
        for (i, raw) in values.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            if SecretFields.isSecret(fieldName: name) {
                throw TMDiagError("\(shown):\(line):\(i + 1): column '\(TerminalText.escape(name, limit: 40))' looks like a secret "
                                  + "(PIN, password, security answer...); tmdiag never stores those — remove it", status: .dataError)
            }
            guard columns.contains(name) else {
                throw TMDiagError("\(shown):\(line):\(i + 1): unknown column '\(TerminalText.escape(name, limit: 40))' "
                                  + "(expected a header row of: \(columns.sorted().joined(separator: ", ")))", status: .dataError)
            }
            if h[name] != nil {
                throw TMDiagError("\(shown):\(line):\(i + 1): column '\(name)' appears twice", status: .dataError)
            }
            h[name] = i
        }
        for required in ["account", "at", "kind"] where h[required] == nil {
            throw TMDiagError("\(shown):\(line): the header has no '\(required)' column", status: .dataError)
        }
        return h
    }
}

/// A TAC table: `tac,manufacturer,model` or any CSV (comma, semicolon or tab) with columns
/// named like those; a file without a header is read as tac, manufacturer, model.
enum TACImporter {
    static let tacNames: Set<String> = ["tac", "tac_code", "taccode", "type_allocation_code", "typeallocationcode", "tac8"]
    static let makerNames: Set<String> = ["manufacturer", "manufacturer_name", "brand", "brand_name", "make", "vendor", "maker",
                                          "oem", "company"]
    static let modelNames: Set<String> = ["model", "model_name", "modelname", "marketing_name", "marketingname", "name",
                                          "device", "device_name", "product", "model_number"]

    static func importTable(_ data: Data, file: String, into writer: any StoreWriter, summary: inout ImportSummary) throws {
        let shown = TerminalText.escape(file)
        let bytes = try InputFile.utf8(data, file: file)
        let firstLine = bytes.prefix { $0 != 0x0A }
        let counts: [(UInt8, Int)] = [0x2C, 0x3B, 0x09, 0x7C].map { d in (d, firstLine.filter { $0 == d }.count) }
        let delimiter = counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : 0x2C } ?? 0x2C
        var map: (tac: Int, maker: Int?, model: Int?)? = nil
        var seen: [String: Int] = [:]
        try CSV.forEachRecord(bytes, delimiter: delimiter, file: file) { line, raw in
            let values = raw.map { $0.trimmingSpaces }
            if map == nil {
                let names = values.map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }
                if let t = names.firstIndex(where: { tacNames.contains($0) }) {
                    map = (t, names.firstIndex { makerNames.contains($0) }, names.firstIndex { modelNames.contains($0) })
                    return
                }
                let looksLikeTAC = values.first.map { $0.count == 8 && $0.allSatisfy(\.isASCIIDigit) } ?? false
                guard looksLikeTAC else {
                    throw TMDiagError("\(shown):\(line): no 'tac' column in the header (expected columns like tac, manufacturer, model)",
                                      status: .dataError)
                }
                map = (0, values.count > 1 ? 1 : nil, values.count > 2 ? 2 : nil)
            }
            let m = map!
            guard m.tac < values.count else {
                throw TMDiagError("\(shown):\(line): too few fields (no TAC column)", status: .dataError)
            }
            let tac = values[m.tac].filter { $0 != " " }
            guard tac.count == 8, tac.allSatisfy(\.isASCIIDigit) else {
                throw TMDiagError("\(shown):\(line):\(m.tac + 1): not a TAC (expected 8 digits)", status: .dataError)
            }
            func field(_ i: Int?) throws -> String? {
                guard let i, i < values.count, !values[i].isEmpty else { return nil }
                guard values[i].unicodeScalars.count <= Check.maxName else {
                    throw TMDiagError("\(shown):\(line):\(i + 1): too long", status: .dataError)
                }
                return values[i]
            }
            if let first = seen[tac], first != line {
                // Public TAC lists repeat codes; the last row wins, as a re-import would.
                summary.tacs -= 1
            }
            seen[tac] = line
            try writer.upsertTAC(tac, manufacturer: try field(m.maker), model: try field(m.model))
            summary.tacs += 1
        }
        if map == nil { throw TMDiagError("\(shown): empty TAC table", status: .dataError) }
    }
}
