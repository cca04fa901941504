import Foundation
import TMDiagCore

/// A report as a lookup lists it.
public struct ReportSummary: Codable, Sendable, Hashable {
    public var id: String
    public var createdAt: Date
    public var sha256: String
}

/// `lookup imei`: the model its TAC names, the lines that have or had it, events and reports.
public struct IMEILookup: Codable, Sendable, Hashable {
    public var imei: String
    public var tac: String
    public var model: TACEntry?
    public var lines: [LineMatch]
    public var events: [ServiceEvent]
    public var eventCount: Int
    public var reports: [ReportSummary]
    public var found: Bool { !lines.isEmpty || eventCount > 0 || !reports.isEmpty }
}

/// `lookup line`: the accounts and lines with this number, events naming it, reports.
public struct LineLookup: Codable, Sendable, Hashable {
    public var msisdn: String
    public var lines: [LineMatch]
    public var events: [ServiceEvent]
    public var eventCount: Int
    public var reports: [ReportSummary]
    public var found: Bool { !lines.isEmpty || eventCount > 0 || !reports.isEmpty }
}

/// `lookup account`: the account, its lines and cases, and its latest events.
public struct AccountLookup: Codable, Sendable, Hashable {
    public var account: Account
    public var lines: [Line]
    public var cases: [SupportCase]
    public var eventCount: Int
    public var recentEvents: [ServiceEvent]
}

/// `lookup case`: the case, its account and the reports it links.
public struct CaseLookup: Codable, Sendable, Hashable {
    public var supportCase: SupportCase
    public var account: Account?
    public var reports: [ReportSummary]
}

extension HistoryStore {
    /// Checks an IMEI typed by a person (spaces and dashes allowed); errors never repeat it.
    public static func checkedIMEI(_ raw: String) throws(TMDiagError) -> String {
        let d = raw.trimmingSpaces.filter { !" -/.".contains($0) }
        guard d.count == 15, d.allSatisfy(\.isASCIIDigit) else {
            throw TMDiagError("not an IMEI: expected 15 digits, got \(d.count) characters", status: .dataError)
        }
        guard Identifiers.isValidIMEI(d) else {
            throw TMDiagError("not a valid IMEI: the check digit (Luhn) of \(Mask.imei(d)) is wrong", status: .dataError)
        }
        return d
    }

    public func lookup(imei raw: String, eventLimit: Int = 10) throws(TMDiagError) -> IMEILookup {
        let imei = try Self.checkedIMEI(raw)
        let tac = Identifiers.tac(ofIMEI: imei) ?? ""
        let events = try backend.events(mentioning: "imei", value: imei, limit: eventLimit)
        return IMEILookup(imei: imei, tac: tac, model: try backend.tac(tac),
                          lines: try backend.lineMatches(kind: .imei, value: imei), events: events,
                          eventCount: events.count < eventLimit ? events.count : try backend.eventCount(mentioning: "imei", value: imei),
                          reports: try backend.reports(naming: "imei", value: imei).map(\.summary))
    }

    public func lookup(msisdn raw: String, eventLimit: Int = 10) throws(TMDiagError) -> LineLookup {
        guard let number = Identifiers.e164(raw) else {
            throw TMDiagError("not a phone number: expected E.164: + and 8 to 15 digits, or 10 digits for North America", status: .dataError)
        }
        let events = try backend.events(mentioning: "msisdn", value: number, limit: eventLimit)
        return LineLookup(msisdn: number, lines: try backend.lineMatches(msisdn: number), events: events,
                          eventCount: events.count < eventLimit ? events.count : try backend.eventCount(mentioning: "msisdn", value: number),
                          reports: try backend.reports(naming: "msisdn", value: number).map(\.summary))
    }

    public func lookup(account id: String, recent: Int = 5) throws(TMDiagError) -> AccountLookup? {
        guard let account = try backend.account(id: id.trimmingSpaces) else { return nil }
        let recentEvents = recent > 0 ? try backend.newestEvents(account: account.id, since: nil, limit: recent).events : []
        return AccountLookup(account: account, lines: try backend.lines(account: account.id),
                             cases: try backend.cases(account: account.id), eventCount: try backend.eventCount(account: account.id),
                             recentEvents: recentEvents)
    }

    public func lookup(case number: String) throws(TMDiagError) -> CaseLookup? {
        guard let c = try backend.supportCase(number: number.trimmingSpaces) else { return nil }
        var reports: [ReportSummary] = []
        for id in c.reportIds { if let r = try backend.report(id: id) { reports.append(r.summary) } }
        return CaseLookup(supportCase: c, account: try backend.account(id: c.accountId), reports: reports)
    }
}

extension StoredReport {
    public var summary: ReportSummary { ReportSummary(id: id, createdAt: createdAt, sha256: sha256) }
}

/// Masks identifiers in lookup and history results unless revealed.
public struct IdentifierMasker: Sendable {
    public var reveal: RevealSet
    public init(_ reveal: RevealSet) { self.reveal = reveal }
    public func imei(_ v: String) -> String { reveal.reveals(.imei) ? v : Mask.imei(v) }
    public func iccid(_ v: String) -> String { reveal.reveals(.iccid) ? v : Mask.iccid(v) }
    public func msisdn(_ v: String) -> String { reveal.reveals(.msisdn) ? v : Mask.msisdn(v) }
    /// Free text with identifiers in it masked. Text with fewer than 8 digits cannot hold one
    /// (the scrubber's shortest is a `+` and 8 digits) and is returned as it is, quickly.
    public func text(_ v: String) -> String {
        if reveal == .all { return v }
        var digits = 0
        for b in v.utf8 where b >= 0x30 && b <= 0x39 {
            digits += 1
            if digits >= 8 { return IdentifierScrubber.scrub(v, reveal: reveal) }
        }
        return v
    }

    public func line(_ l: LineMatch) -> LineMatch {
        var l = l
        l.msisdn = msisdn(l.msisdn)
        l.imei = l.imei.map(imei)
        l.iccid = l.iccid.map(iccid)
        return l
    }

    public func line(_ l: Line) -> Line {
        var l = l
        l.msisdn = msisdn(l.msisdn)
        l.imei = l.imei.map(imei)
        l.iccid = l.iccid.map(iccid)
        return l
    }

    public func event(_ e: ServiceEvent) -> ServiceEvent {
        var e = e
        e.msisdn = e.msisdn.map(msisdn)
        e.imei = e.imei.map(imei)
        e.iccid = e.iccid.map(iccid)
        e.summary = text(e.summary)
        return e
    }

    public func supportCase(_ c: SupportCase) -> SupportCase {
        var c = c
        c.summary = c.summary.map(text)
        c.resolution = c.resolution.map(text)
        return c
    }
}

/// What an IMEI and a line lookup both list: the lines that carry the identifier, its events
/// and the reports that name it. Masked and rendered once for both.
protocol IdentifierSightings {
    var lines: [LineMatch] { get set }
    var events: [ServiceEvent] { get set }
    var eventCount: Int { get }
    var reports: [ReportSummary] { get }
}

extension IdentifierSightings {
    /// A copy with the lines' and events' identifiers masked by `m`.
    func maskingSightings(_ m: IdentifierMasker) -> Self {
        var x = self
        x.lines = lines.map(m.line)
        x.events = events.map(m.event)
        return x
    }
}

extension IMEILookup: IdentifierSightings {
    public func masked(_ reveal: RevealSet) -> IMEILookup {
        let m = IdentifierMasker(reveal)
        var x = maskingSightings(m)
        x.imei = m.imei(imei)
        return x
    }
}

extension LineLookup: IdentifierSightings {
    public func masked(_ reveal: RevealSet) -> LineLookup {
        let m = IdentifierMasker(reveal)
        var x = maskingSightings(m)
        x.msisdn = m.msisdn(msisdn)
        return x
    }
}

extension AccountLookup {
    public func masked(_ reveal: RevealSet) -> AccountLookup {
        let m = IdentifierMasker(reveal)
        var x = self
        x.lines = lines.map(m.line)
        x.cases = cases.map(m.supportCase)
        x.recentEvents = recentEvents.map(m.event)
        return x
    }
}

extension CaseLookup {
    public func masked(_ reveal: RevealSet) -> CaseLookup {
        var x = self
        x.supportCase = IdentifierMasker(reveal).supportCase(supportCase)
        return x
    }
}
