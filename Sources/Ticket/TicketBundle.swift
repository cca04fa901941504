import Foundation
import History
import TMDiagCore
import ZIPFoundation

/// `--bundle FILE.zip`: the ticket (text, Markdown, JSON), the masked report, the masked
/// history excerpt and a manifest with each file's SHA-256. Written to a temporary file beside
/// the target and renamed into place, so a reader never sees half a bundle.
public struct BundleManifest: Codable, Sendable, Hashable {
    public static let kind = "tmdiag-ticket-bundle"
    public var kind: String
    public var schemaVersion: Int
    public var createdAt: Date
    public var tool: ToolInfo
    public var reportId: String?
    public var files: [File]

    public struct File: Codable, Sendable, Hashable {
        public var name: String
        public var sha256: String
        public var bytes: Int
    }
}

/// What `TicketBundle.read` found, every digest checked.
public struct OpenedBundle: Sendable {
    public var manifest: BundleManifest
    public var ticket: Ticket
    public var ticketText: String
    public var report: DeviceReport?
    public var history: AccountHistory?
}

public enum TicketBundle {
    public static let manifestName = "manifest.json"
    static let maxEntryBytes: Int64 = 32 << 20
    static let known: Set<String> = ["ticket.txt", "ticket.md", "ticket.json", "report.json", "history.json", "report.html"]

    /// The files of a bundle (before the manifest), in order.
    public static func contents(ticket: Ticket, report: DeviceReport?, history: AccountHistory?) throws -> [(String, Data)] {
        var files: [(String, Data)] = [
            ("ticket.txt", Data(try ticket.render(.text).utf8)),
            ("ticket.md", Data(try ticket.render(.markdown).utf8)),
            ("ticket.json", try JSONCoding.encode(ticket)),
        ]
        if let report { files.append(("report.json", try JSONCoding.encode(report))) }
        if let history { files.append(("history.json", try JSONCoding.encode(history))) }
        // The page an agent opens in any browser, without tmdiag.
        files.append(("report.html", Data(HTMLPage.ticket(ticket, report: report, history: history).utf8)))
        return files
    }

    /// Writes the bundle. `report` and `history` must already be masked (the pipeline does it).
    public static func write(to path: String, ticket: Ticket, report: DeviceReport?, history: AccountHistory?) throws(TMDiagError) {
        let files: [(String, Data)]
        do { files = try contents(ticket: ticket, report: report, history: history) } catch {
            throw TMDiagError("bundle: cannot encode the ticket: \(error)", status: .software)
        }
        let manifest = BundleManifest(kind: BundleManifest.kind, schemaVersion: 1, createdAt: ticket.createdAt,
                                      tool: ToolInfo(), reportId: report?.reportId,
                                      files: files.map { .init(name: $0.0, sha256: SHA256.hex($0.1), bytes: $0.1.count) })
        let all: [(String, Data)]
        do { all = files + [(manifestName, try JSONCoding.encode(manifest))] } catch {
            throw TMDiagError("bundle: cannot encode the manifest: \(error)", status: .software)
        }
        try writeArchive(all, to: path, date: ticket.createdAt)
    }

    /// Writes ZIP entries to a temporary file beside `path`, then renames it into place.
    static func writeArchive(_ all: [(String, Data)], to path: String, date: Date) throws(TMDiagError) {
        let shown = TerminalText.escape(path)
        let target = URL(fileURLWithPath: path)
        let dir = target.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            let archive = try Archive(url: temp, accessMode: .create)
            for (name, data) in all {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: date, permissions: 0o644,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw TMDiagError("\(shown): cannot write the bundle: \(error.localizedDescription)", status: .ioError)
        }
        if rename(temp.path, target.path) != 0 {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw TMDiagError("\(shown): cannot write the bundle: \(why)", status: .ioError)
        }
    }

    /// True when the file starts like a ZIP archive.
    public static func looksLikeZip(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 4)) ?? Data()
        return head == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// Opens a bundle and checks every file against the manifest; a missing, extra or changed
    /// file is a `dataError` naming it.
    public static func read(_ path: String) throws(TMDiagError) -> OpenedBundle {
        let shown = TerminalText.escape(path)
        func bad(_ what: String) -> TMDiagError { TMDiagError("\(shown): \(what)", status: .dataError) }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw bad("not a readable ZIP bundle")
        }
        var data: [String: Data] = [:]
        for entry in archive {
            let name = entry.path
            guard entry.type == .file, name == manifestName || known.contains(name) else {
                throw bad("unexpected entry '\(TerminalText.escape(name, limit: 80))' in the bundle")
            }
            guard entry.uncompressedSize <= maxEntryBytes else { throw bad("\(name) is too large") }
            var bytes = Data()
            do {
                _ = try archive.extract(entry) { chunk in
                    bytes.append(chunk)
                    if bytes.count > Int(maxEntryBytes) { throw Archive.ArchiveError.invalidEntrySize }
                }
            } catch {
                throw bad("\(name) cannot be read (damaged archive)")
            }
            data[name] = bytes
        }
        guard let m = data[manifestName] else { throw bad("no \(manifestName): not a tmdiag ticket bundle") }
        let manifest: BundleManifest
        do { manifest = try JSONCoding.decoder().decode(BundleManifest.self, from: m) } catch {
            throw bad("\(manifestName) is not a valid manifest")
        }
        guard manifest.kind == BundleManifest.kind else { throw bad("\(manifestName) is not a tmdiag ticket bundle's") }
        let listed = Set(manifest.files.map(\.name))
        for name in data.keys where name != manifestName && !listed.contains(name) {
            throw bad("\(name) is not listed in the manifest")
        }
        for f in manifest.files {
            guard let d = data[f.name] else { throw bad("\(TerminalText.escape(f.name, limit: 80)) is listed in the manifest but missing") }
            guard SHA256.hex(d) == f.sha256.lowercased(), d.count == f.bytes else {
                throw bad("\(f.name) does not match its SHA-256 in the manifest: the bundle was changed or damaged")
            }
        }
        guard let tj = data["ticket.json"], let tt = data["ticket.txt"] else { throw bad("the bundle holds no ticket") }
        let ticket: Ticket
        do { ticket = try JSONCoding.decoder().decode(Ticket.self, from: tj) } catch { throw bad("ticket.json is not a ticket") }
        var report: DeviceReport?
        if let r = data["report.json"] {
            do { report = try JSONCoding.decoder().decode(DeviceReport.self, from: r) } catch { throw bad("report.json is not a device report") }
            if report?.digest != nil, report?.digestIsValid != true {
                throw bad("report.json does not match its own digest: the report was changed")
            }
        }
        var history: AccountHistory?
        if let h = data["history.json"] {
            do { history = try JSONCoding.decoder().decode(AccountHistory.self, from: h) } catch { throw bad("history.json is not a history excerpt") }
        }
        return OpenedBundle(manifest: manifest, ticket: ticket, ticketText: String(decoding: tt, as: UTF8.self),
                            report: report, history: history)
    }
}
