import TMDiagCore

extension FactsBuilder {
    /// CME codes that an optional command may return without it meaning anything:
    /// not allowed, not supported, invalid parameters, unknown.
    static let uninformativeCME: Set<Int> = [3, 4, 50, 100]

    mutating func handleFailure(_ ex: ATExchange, command: String, optional: Bool) {
        let raw = ex.finalRaw ?? "\(ex.final)"
        switch ex.final {
        case let .cme(code, text):
            // A SIM error says what state the SIM is in, whichever command met it.
            simState(fromCME: code, text: text)
            guard !isRecorded(command: ex.command, raw: raw) else { return }
            let informative = code.map { !Self.uninformativeCME.contains($0) } ?? true
            guard !optional || informative else { return }
            record(explainedError(table: "cme", kind: .cme, code: code, text: text, raw: raw, command: ex.command))
        case let .cms(code, text):
            guard !optional, !isRecorded(command: ex.command, raw: raw) else { return }
            record(explainedError(table: "cms", kind: .cms, code: code, text: text, raw: raw, command: ex.command))
        case .error, .notSupported:
            guard !optional else { return }
            let meaning = ex.final == .notSupported
                ? "The modem does not support \(ex.command)."
                : "The modem answered \(ex.command) with a plain ERROR (no reason given)."
            record(ReportedError(command: ex.command, raw: raw, kind: .generic, code: nil, meaning: meaning,
                                 advice: "Usually harmless for one command. If every command fails, turn on verbose errors (the report does this itself) or restart the modem.",
                                 actor: .device))
        case .other(let word):
            guard !optional else { return }
            record(ReportedError(command: ex.command, raw: raw, kind: .generic, code: nil,
                                 meaning: "The modem answered \(ex.command) with \(word).", advice: nil, actor: .network))
        case .timeout:
            addTimeout(command: ex.command)
        case .disconnected:
            record(ReportedError(command: ex.command, raw: "(port closed)", kind: .timeout, code: nil,
                                 meaning: "The port went away while \(ex.command) was in flight (unplugged or reset).",
                                 advice: "Check the cable and the USB port, then run the report again.", actor: .device))
        case .ok:
            break
        }
    }

    func explainedError(table: String, kind: ErrorKind, code: Int?, text: String?, raw: String, command: String?) -> ReportedError {
        let exp = code.flatMap { catalog.explain(table: table, code: $0) } ?? text.flatMap { catalog.explain(table: table, text: $0) }
        let label = table == "cme" ? "+CME ERROR" : "+CMS ERROR"
        return ReportedError(command: command, raw: raw, kind: kind, code: code ?? exp?.code,
                             meaning: exp?.meaning ?? "\(label) \(code.map(String.init) ?? text ?? "") is not in the 3GPP tables (vendor-specific).",
                             advice: exp?.advice, actor: exp?.actor)
    }

    /// `+CEER` forms: `+CEER: EMM cause 7`, `+CEER: "LTE ESM cause",33`, `+CEER: No cause information
    /// available`, `+CEER: Normal call clearing`, `+CEER: 16` (a bare CC cause), `+CEER: "CC cause",17,...`.
    mutating func parseCEER(_ lines: [String]) {
        for l in lines {
            guard let e = ceerError(l) else { continue }
            record(e)
            if e.kind == .emm || e.kind == .gmm, let code = e.code {
                var r = facts.registration ?? RegistrationFacts()
                if r.rejectCause == nil { r.rejectCause = RejectCause(kind: e.kind.rawValue, code: code, meaning: e.meaning) }
                facts.registration = r
            }
        }
    }

    /// One `+CEER` line as an explained error, or nil when it says there is nothing to report.
    public func ceerError(_ line: String) -> ReportedError? {
        let rest = ATParams.split(line: line)?.rest ?? line
        let plain = rest.replacingOccurrences(of: "\"", with: "").trimmingSpaces
        let norm = ErrorCatalog.normalize(plain)
        let harmless = ["nocauseinformationavailable", "noreportavailable", "normalunspecified",
                        "normalcallclearing", "noerror", "none", "0", "nocause", "unknown", "unknowncause"]
        if plain.isEmpty || harmless.contains(norm) { return nil }
        let lower = plain.lowercased()
        // Which table: the words before the number decide.
        var table: String?
        if lower.contains("emm") { table = "emm" }
        else if lower.contains("esm") || lower.contains("sm cause") || lower.contains("pdn") || lower.contains("pdp") { table = "esm" }
        else if lower.contains("gmm") || lower.contains("mm cause") || lower.contains("mm reject") { table = "gmm" }
        else if lower.contains("cc ") || lower.contains("call control") || lower.hasPrefix("cc") { table = "cc" }
        let code = plain.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.first
        let kind: ErrorKind = table == "emm" ? .emm : table == "gmm" ? .gmm : .ceer
        if let table, let code, let exp = catalog.explain(table: table, code: code) {
            return ReportedError(command: "AT+CEER", raw: line, kind: kind, code: code, meaning: exp.meaning,
                                 advice: exp.advice, actor: exp.actor)
        }
        if table == nil, let code, plain.allSatisfy({ $0.isNumber || $0 == " " }), let exp = catalog.explain(table: "cc", code: code) {
            return ReportedError(command: "AT+CEER", raw: line, kind: .ceer, code: code, meaning: exp.meaning,
                                 advice: exp.advice, actor: exp.actor)
        }
        // Verbose text forms: match the cause name in every table.
        for t in ["cc", "esm", "emm", "gmm"] {
            let candidates = [plain] + plain.split(separator: ",").map { String($0).trimmingSpaces }
            for c in candidates {
                if let exp = catalog.explain(table: t, text: c) {
                    if ["normalcallclearing", "normalunspecified"].contains(ErrorCatalog.normalize(exp.name)) { return nil }
                    return ReportedError(command: "AT+CEER", raw: line, kind: t == "emm" ? .emm : t == "gmm" ? .gmm : .ceer,
                                         code: exp.code, meaning: exp.meaning, advice: exp.advice, actor: exp.actor)
                }
            }
        }
        return ReportedError(command: "AT+CEER", raw: line, kind: .ceer, code: code,
                             meaning: "The modem's last failure report: \(TerminalText.escape(plain, limit: 120))",
                             advice: nil, actor: nil)
    }
}
