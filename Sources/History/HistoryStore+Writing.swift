import Foundation
import TMDiagCore

extension HistoryStore {
    public enum ImportFormat: String, Sendable, CaseIterable {
        /// The history document (`{"accounts": [...]}`).
        case json
        /// The events table as CSV.
        case csv
    }

    /// Imports a history file (JSON document, or CSV events when it ends in `.csv` or does not
    /// start with `{`), read as a stream and written as it is read, in one transaction: all or
    /// nothing, on any error the store is as it was.
    public func importFile(_ path: String, format: ImportFormat? = nil) throws(TMDiagError) -> ImportSummary {
        let source = ImportSource.file(path)
        var fmt = format
        if fmt == nil { fmt = Self.guessFormat(path: path, firstByte: try Self.firstSignificantByte(source, file: path)) }
        switch fmt ?? .json {
        case .json: return try importHistory(source, file: path)
        case .csv: return try importEvents(source, file: path)
        }
    }

    static func guessFormat(path: String, firstByte: UInt8?) -> ImportFormat {
        if path.lowercased().hasSuffix(".csv") { return .csv }
        if path.lowercased().hasSuffix(".json") { return .json }
        return firstByte == 0x7B || firstByte == 0x5B ? .json : .csv
    }

    /// The first byte that is not white space (nor a byte order mark) of a file with no telling
    /// name; the input's own errors (missing, unreadable, not UTF-8) come out here.
    static func firstSignificantByte(_ source: ImportSource, file: String) throws(TMDiagError) -> UInt8? {
        if file.lowercased().hasSuffix(".csv") || file.lowercased().hasSuffix(".json") { return nil }
        let input = try source.open(file: file)
        while true {
            while input.start < input.end {
                let b = input.buffer[input.start]
                if ![0x20, 0x09, 0x0A, 0x0D].contains(b) { return b }
                input.start += 1
            }
            guard try input.refill() else { return nil }
        }
    }

    /// Imports the JSON history document; `file` names it in errors.
    public func importHistory(json data: Data, file: String) throws(TMDiagError) -> ImportSummary {
        try importHistory(.bytes(data), file: file)
    }

    func importHistory(_ source: ImportSource, file: String) throws(TMDiagError) -> ImportSummary {
        try write { w in try JSONImporter.importDocument(source, file: file, into: w) }
    }

    /// Imports events in CSV form; their accounts must be stored already.
    public func importEvents(csv data: Data, file: String) throws(TMDiagError) -> ImportSummary {
        try importEvents(.bytes(data), file: file)
    }

    func importEvents(_ source: ImportSource, file: String) throws(TMDiagError) -> ImportSummary {
        try write { w in
            var summary = ImportSummary(file: file)
            try CSVEventImporter.importEvents(source, file: file, into: w, summary: &summary)
            return summary
        }
    }

    /// Imports a TAC table (`lookup --import-tac FILE`); later rows replace earlier ones.
    public func importTAC(path: String) throws(TMDiagError) -> ImportSummary {
        let data = try InputFile.read(path)
        return try importTAC(csv: data, file: path)
    }

    public func importTAC(csv data: Data, file: String) throws(TMDiagError) -> ImportSummary {
        try write { w in
            var summary = ImportSummary(file: file)
            try TACImporter.importTable(data, file: file, into: w, summary: &summary)
            return summary
        }
    }

    /// Checks an event given as named strings (`history add-event` options: at, kind, summary,
    /// msisdn, imei, iccid, case, channel, rep, status, resolution, ...); errors name `--key`.
    public static func checkEvent(fields: [String: String]) throws(TMDiagError) -> EventInput {
        let reader = OptionFields(values: fields)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) where SecretFields.isSecret(fieldName: key) || !EventField.names.contains(key) {
            _ = value
            throw reader.fail(key, "not an event field")
        }
        return try Check.event(reader)
    }

    /// Adds one event to an account (what a customer records after contacting support).
    /// Returns false when the same event was stored already.
    @discardableResult
    public func addEvent(account: String, _ event: EventInput) throws(TMDiagError) -> Bool {
        try write { writer in
            guard let id = try writer.storedAccountId(account.trimmingSpaces) else {
                throw TMDiagError("no account '\(TerminalText.escape(account, limit: 64))' in the store", status: .notFound)
            }
            return try writer.add(event: event, accountId: id, where: { "event" })
        }
    }

    public enum CaseOutcome: String, Sendable, Codable {
        /// A new case (and its `support_case` event).
        case created
        /// The case number went onto the newest draft contact of the account.
        case attachedToDraft = "attached-to-draft"
        /// The case existed; its status, rep, resolution were updated.
        case updated
    }

    /// `history add-case`: records a case number the customer got from support. It goes onto
    /// the account's newest draft contact (from `tmdiag ticket`) if there is one, updates the
    /// case if it is known, else creates it.
    public func addCase(account: String, number: String, channel: ContactChannel?, rep: String?, status: CaseStatus,
                        summary: String?, resolution: String?, at: Date? = nil,
                        reportId: String? = nil) throws(TMDiagError) -> (outcome: CaseOutcome, supportCase: SupportCase) {
        let fields = OptionFields(values: ["case": number, "rep": rep, "summary": summary, "resolution": resolution]
            .compactMapValues { $0 })
        let checkedNumber = try Check.caseNumber(fields, required: true)!
        let checkedRep = try Check.text(fields, "rep")
        let checkedSummary = try Check.text(fields, "summary", max: Check.maxText, free: true)
        let checkedResolution = try Check.text(fields, "resolution", max: Check.maxText, free: true)
        guard status != .draft else { throw fields.fail("status", "use open, closed or escalated") }
        let now = Int64((at ?? Date()).timeIntervalSince1970.rounded(.down))
        return try write { writer in
            guard let accountId = try writer.storedAccountId(account.trimmingSpaces) else {
                throw TMDiagError("no account '\(TerminalText.escape(account, limit: 64))' in the store", status: .notFound)
            }
            let outcome: CaseOutcome
            if var existing = try writer.supportCase(number: checkedNumber) {
                guard existing.accountId.lowercased() == accountId.lowercased() else {
                    throw TMDiagError("case \(TerminalText.escape(checkedNumber)) belongs to another account", status: .dataError)
                }
                existing.channel = channel ?? existing.channel
                existing.rep = checkedRep ?? existing.rep
                existing.status = status
                existing.summary = checkedSummary ?? existing.summary
                existing.resolution = checkedResolution ?? existing.resolution
                existing.updatedAt = Date(timeIntervalSince1970: TimeInterval(max(now, Int64(existing.openedAt.timeIntervalSince1970))))
                try writer.update(case: existing)
                outcome = .updated
            } else if var draft = try writer.newestDraft(accountId: accountId) {
                draft.number = checkedNumber
                draft.channel = channel
                draft.rep = checkedRep
                draft.status = status
                draft.summary = checkedSummary ?? draft.summary
                draft.resolution = checkedResolution
                draft.updatedAt = Date(timeIntervalSince1970: TimeInterval(max(now, Int64(draft.openedAt.timeIntervalSince1970))))
                try writer.update(case: draft)
                var e = EventInput(at: Int64(draft.openedAt.timeIntervalSince1970), kind: .supportCase, summary: draft.summary ?? "")
                e.caseNumber = checkedNumber
                try writer.add(event: e, accountId: accountId, where: { "add-case" }, caseAlreadyStored: true)
                outcome = .attachedToDraft
            } else {
                var e = EventInput(at: now, kind: .supportCase, summary: checkedSummary ?? "")
                e.caseNumber = checkedNumber
                e.channel = channel
                e.rep = checkedRep
                e.status = status
                e.resolution = checkedResolution
                try writer.add(event: e, accountId: accountId, where: { "add-case" })
                outcome = .created
            }
            guard let stored = try writer.supportCase(number: checkedNumber), let storedId = stored.id else {
                throw TMDiagError("case was not stored", status: .software)
            }
            if let reportId { try writer.link(caseId: storedId, reportId: reportId) }
            return (outcome, try writer.supportCase(number: checkedNumber) ?? stored)
        }
    }

    /// Records a draft support contact linked to a report (what `tmdiag ticket` does before the
    /// customer has a case number). Returns its handle, `DRAFT-<n>`.
    public func recordDraftContact(account: String, reportId: String?, summary: String?, at: Date = Date()) throws(TMDiagError) -> String {
        let fields = OptionFields(values: ["summary": summary].compactMapValues { $0 })
        let checkedSummary = try Check.text(fields, "summary", max: Check.maxText, free: true)
        return try write { writer in
            guard let accountId = try writer.storedAccountId(account.trimmingSpaces) else {
                throw TMDiagError("no account '\(TerminalText.escape(account, limit: 64))' in the store", status: .notFound)
            }
            let when = Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down))
            let reportId = reportId?.trimmingSpaces.nilIfEmpty
            // One draft per report and account: a second ticket from the same report updates it.
            if let reportId, let existing = try writer.draftId(accountId: accountId, reportId: reportId) {
                try writer.updateDraft(id: existing, summary: checkedSummary, updatedAt: Int64(when.timeIntervalSince1970))
                return "DRAFT-\(existing)"
            }
            var draft = SupportCase(number: nil, accountId: accountId, channel: nil, rep: nil, status: .draft,
                                    summary: checkedSummary, resolution: nil, openedAt: when, updatedAt: when)
            draft.id = try writer.insert(case: draft)
            if let reportId, let id = draft.id { try writer.link(caseId: id, reportId: reportId) }
            return draft.handle
        }
    }
}

/// Named values from the command line; errors name the option.
struct OptionFields: FieldReader {
    let values: [String: String]

    func string(_ key: String) throws(TMDiagError) -> String? {
        guard let v = values[key]?.trimmingSpaces, !v.isEmpty else { return nil }
        return v
    }

    func strings(_ key: String) throws(TMDiagError) -> [String] {
        (try string(key))?.split(separator: ",").map { String($0).trimmingSpaces } ?? []
    }

    func fail(_ key: String, _ what: String) -> TMDiagError {
        TMDiagError("--\(key == "case" ? "case" : key): \(what)", status: .usage)
    }
}
