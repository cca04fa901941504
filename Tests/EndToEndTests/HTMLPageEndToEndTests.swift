import Foundation
import Testing
import TMDiagCore
import TestSupport

/// `show --html` and the bundle's `report.html`: one self-contained page that parses, names
/// no outside resource, shows hostile device and history strings as text, and renders.
@Suite("The HTML page for agents, end to end", .serialized)
struct HTMLPageEndToEndTests {
    static let canRun = FileManager.default.isExecutableFile(atPath: Built.tmdiag)
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>\u{1B}[31m&amp;\u{202E}"

    /// A store with the SIM-swap account (and a hostile event), and the SIM-swap report with
    /// hostile device strings.
    static func setUp(_ dir: String) async throws -> (store: String, report: String) {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = dir + "/s.sqlite"
        let env = ["PATH": "/usr/bin:/bin"]
        _ = try await spawn(Built.tmdiag, ["history", "import", packageRoot + "/Fixtures/history/sim-swap-no-service.json", "--store", store], environment: env)
        let added = try await spawn(Built.tmdiag, ["history", "add-event", "--account", "ACC-4001", "--kind", "note",
                                                   "--summary", "agent note " + hostile, "--store", store], environment: env)
        #expect(added.status == 0, "\(added.stderr)")
        var r = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Fixtures/tickets/reports/sim-swap.json"))) as? [String: Any])
        var devices = r["devices"] as! [[String: Any]]
        devices[0]["product"] = hostile
        var modem = devices[0]["modem"] as! [String: Any]
        modem["model"] = hostile
        devices[0]["modem"] = modem
        r["devices"] = devices
        let report = dir + "/hostile.json"
        try JSONSerialization.data(withJSONObject: r).write(to: URL(fileURLWithPath: report))
        return (store, report)
    }

    /// Parses the page as XML (it is XHTML) and with python's HTML parser, and lists the
    /// elements and attributes that would fetch or run anything.
    static func check(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(page.hasPrefix("<!DOCTYPE html>"), sourceLocation: sourceLocation)
        let lower = page.lowercased()
        // Raw markup only: the hostile strings show as text (`&lt;img src=x …`), which fetches nothing.
        for bad in ["<script", "<img", "<link", "<iframe", "<object", "<embed", "url(", "@import", "http://", "https://"] {
            // The one URL is the XHTML namespace, which names and fetches nothing.
            let hits = lower.components(separatedBy: bad).count - 1
            let allowed = bad == "http://" ? 1 : 0
            #expect(hits <= allowed, "the page holds \(bad)", sourceLocation: sourceLocation)
        }
        #expect(!page.contains("\u{1B}"), "a control character reached the page", sourceLocation: sourceLocation)
        guard let python else {
            print("skipped parsing the page: no python3")
            return
        }
        let path = NSTemporaryDirectory() + "tmdiag-page-\(UUID().uuidString).html"
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
        import sys, xml.etree.ElementTree as ET
        from html.parser import HTMLParser
        text = open(sys.argv[1], encoding='utf-8').read()
        root = ET.fromstring(text.split('\\n', 1)[1])
        ns = '{http://www.w3.org/1999/xhtml}'
        tags = {e.tag.replace(ns, '') for e in root.iter()}
        bad = tags & {'script', 'img', 'iframe', 'object', 'embed', 'link'}
        if bad: sys.exit('forbidden elements: %s' % bad)
        class Attrs(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag in ('script', 'img', 'iframe', 'object', 'embed', 'link', 'base', 'form'): sys.exit('element %s' % tag)
                for name, value in attrs:
                    if name in ('src', 'href', 'action', 'srcset', 'background') or name.startswith('on'):
                        sys.exit('attribute %s on %s' % (name, tag))
        Attrs().feed(text)
        print('ok')
        """
        let r = try await_(python, ["-c", script, path])
        #expect(r.status == 0, "the page does not parse: \(r.output)", sourceLocation: sourceLocation)
    }

    /// A short synchronous run of a helper program.
    static func await_(_ exe: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: canRun, "the tmdiag binary is not built; skipped"))
    func aReportPageIsSelfContainedAndEscapesHostileStrings() async throws {
        let dir = NSTemporaryDirectory() + "tmdiag-html-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (store, report) = try await Self.setUp(dir)
        let out = dir + "/page.html"
        let r = try await spawn(Built.tmdiag, ["show", report, "--html", "-o", out, "--store", store], environment: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        try Self.check(page)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile model shows as text")
        #expect(page.contains("agent note &lt;script&gt;"), "the hostile history event shows as text in the timeline")
        #expect(page.contains("class=\"bars\""), "signal as bars")
        #expect(page.contains("SIM failure") && page.contains("Findings") && page.contains("Account history"))
        #expect(!page.contains("860910041234567"), "identifiers masked")
        try Self.screenshot(out, dir: dir)
    }

    @Test(.enabled(if: canRun, "the tmdiag binary is not built; skipped"))
    func aBundleHoldsTheReportPageAndTheTicketInTextAndMarkdown() async throws {
        let dir = NSTemporaryDirectory() + "tmdiag-html-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (store, report) = try await Self.setUp(dir)
        let bundle = dir + "/t.zip"
        let t = try await spawn(Built.tmdiag, ["ticket", "--store", store, "--report", report, "--no-input", "--bundle", bundle,
                                               "--summary", "no service " + Self.hostile], environment: ["PATH": "/usr/bin:/bin"])
        #expect(t.status == 0, "\(t.stderr)")
        if let python = Self.python {
            let names = try Self.await_(python, ["-c", "import zipfile,sys; print(' '.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))", bundle])
            #expect(names.output.contains("report.html") && names.output.contains("ticket.txt") && names.output.contains("ticket.md")
                    && names.output.contains("report.json") && names.output.contains("manifest.json"), "\(names.output)")
        }
        let shown = try await spawn(Built.tmdiag, ["show", bundle, "--html"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(shown.status == 0, "\(shown.stderr)")
        try Self.check(shown.text)
        #expect(shown.text.contains("no service &lt;script&gt;"), "the customer's words are escaped")
        // The bundle is still checked against its manifest with the page in it.
        let text = try await spawn(Built.tmdiag, ["show", bundle], environment: ["PATH": "/usr/bin:/bin"])
        #expect(text.status == 0 && text.text.contains("match the manifest"), "\(text.stderr)")
    }

    /// Headless Chromium renders the page to a PNG that is not one flat colour.
    static func screenshot(_ page: String, dir: String) throws {
        guard let chromium else {
            print("skipped the Chromium render: Debian's chromium is not installed (make test installs it)")
            return
        }
        guard let python else {
            print("skipped the Chromium render: no python3 to read the PNG")
            return
        }
        let png = dir + "/page.png"
        let r = try await_("/usr/bin/timeout", ["90", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                "--user-data-dir=" + dir + "/chromium", "--window-size=1000,1400",
                                                "--screenshot=" + png, "file://" + page])
        #expect(r.status == 0, "chromium failed: \(r.output.suffix(500))")
        // Counts the distinct byte values of the decoded pixel rows: a blank page has one or two.
        let script = """
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            n, kind = struct.unpack('>I4s', data[pos:pos+8])
            if kind == b'IDAT': idat += data[pos+8:pos+8+n]
            pos += 12 + n
        raw = zlib.decompress(idat)
        print(len(set(raw)))
        """
        let v = try await_(python, ["-c", script, png])
        let distinct = Int(v.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(distinct > 8, "the screenshot looks blank (\(v.output))")
    }
}
