import Foundation
import Testing
import TMDiagCore
import TestSupport

/// The support workflow through the built binary and a real store: a ticket made for a case,
/// `verify` after the fix, the follow-up in `history show`, and the ticket per channel.
@Suite("Follow-up and channels, end to end", .serialized)
struct FollowUpEndToEndTests {
    static let canRun = FileManager.default.isExecutableFile(atPath: Built.tmdiag)
    static let before = packageRoot + "/Fixtures/tickets/reports/sim-swap.json"

    /// A temporary store with the SIM-swap account and case CAS-9001 recorded.
    struct Bench {
        let dir = NSTemporaryDirectory() + "tmdiag-followup-\(UUID().uuidString)"
        var store: String { dir + "/s.sqlite" }

        init() async throws {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let imported = try await Bench.tmdiag(["history", "import", packageRoot + "/Fixtures/history/sim-swap-no-service.json", "--store", store])
            #expect(imported.status == 0, "\(imported.stderr)")
            let added = try await Bench.tmdiag(["history", "add-case", "--account", "ACC-4001", "--case", "CAS-9001",
                                                 "--channel", "chat", "--summary", "SIM not working", "--store", store])
            #expect(added.status == 0, "\(added.stderr)")
        }

        static func tmdiag(_ args: [String]) async throws -> Spawned {
            try await spawn(Built.tmdiag, args, environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"])
        }

        /// The fixture report after a change: another id, two days later, `edit` applied.
        func report(_ id: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
            var r = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: FollowUpEndToEndTests.before))) as? [String: Any])
            r["reportId"] = id
            r["createdAt"] = "2026-11-20T09:00:00Z"
            r.removeValue(forKey: "digest")
            edit(&r)
            let path = dir + "/\(id).json"
            try JSONSerialization.data(withJSONObject: r).write(to: URL(fileURLWithPath: path))
            return path
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func fixed(_ r: inout [String: Any]) {
        var devices = r["devices"] as! [[String: Any]]
        var modem = devices[0]["modem"] as! [String: Any]
        modem["sim"] = ["state": "ready", "iccid": "8901260555666777888"]
        var reg = modem["registration"] as! [String: Any]
        reg["state"] = "home"
        modem["registration"] = reg
        devices[0]["modem"] = modem
        devices[0]["errors"] = [[String: Any]]()
        r["devices"] = devices
    }

    @Test(.enabled(if: canRun, "the tmdiag binary is not built; skipped"))
    func verifyAfterTheFixIsResolvedAndRecordedOnTheCase() async throws {
        let b = try await Bench()
        defer { b.cleanup() }
        let ticket = try await Bench.tmdiag(["ticket", "--store", b.store, "--report", Self.before, "--case", "CAS-9001", "--no-input"])
        #expect(ticket.status == 0, "\(ticket.stderr)")
        #expect(ticket.text.contains("Case: CAS-9001"), "\(ticket.text)")

        // Same problem still there: not resolved, and --no-save records nothing.
        let same = try b.report("R-STILL1") { _ in }
        let still = try await Bench.tmdiag(["verify", "--store", b.store, "--case", "CAS-9001", "--report", same, "--json", "--no-save"])
        #expect(still.status == 0, "\(still.stderr)")
        #expect(still.json?["verdict"] as? String == "not-resolved")
        #expect((still.json?["stillPresent"] as? [[String: Any]])?.count == 1)

        // Fixed, but another error now: changed.
        let other = try b.report("R-OTHER1") { r in
            Self.fixed(&r)
            var devices = r["devices"] as! [[String: Any]]
            devices[0]["errors"] = [["command": "AT+CGATT?", "raw": "+CME ERROR: 30", "kind": "cme", "code": 30, "meaning": "No network service"]]
            r["devices"] = devices
        }
        let changed = try await Bench.tmdiag(["verify", "--store", b.store, "--case", "CAS-9001", "--report", other, "--json", "--no-save"])
        #expect(changed.json?["verdict"] as? String == "changed", "\(changed.text) \(changed.stderr)")
        #expect((changed.json?["new"] as? [[String: Any]])?.first?["id"] as? String == "cme 30")

        // Fixed: resolved, recorded as a follow-up on the case.
        let good = try b.report("R-FIXED1") { Self.fixed(&$0) }
        let resolved = try await Bench.tmdiag(["verify", "--store", b.store, "--case", "CAS-9001", "--report", good, "--json"])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let json = try #require(resolved.json)
        #expect(json["case"] as? String == "CAS-9001")
        #expect(json["verdict"] as? String == "resolved")
        #expect((json["before"] as? [String: Any])?["reportId"] as? String == "R-SWAP01")
        #expect((json["after"] as? [String: Any])?["reportId"] as? String == "R-FIXED1")
        #expect((json["resolved"] as? [[String: Any]])?.first?["id"] as? String == "cme 13")
        #expect((json["stillPresent"] as? [Any])?.isEmpty == true && (json["new"] as? [Any])?.isEmpty == true)

        let shown = try await Bench.tmdiag(["history", "show", "--account", "ACC-4001", "--store", b.store])
        #expect(shown.text.contains("Follow-up on CAS-9001: resolved"), "\(shown.text)")
        #expect(!shown.text.contains("Follow-up on CAS-9001: not-resolved"), "--no-save recorded nothing")

        let unknown = try await Bench.tmdiag(["verify", "--store", b.store, "--case", "CAS-0000", "--report", good])
        #expect(unknown.status == 69 || unknown.status == 66 || unknown.status == 2, "\(unknown.status)")
        #expect(unknown.stderr.split(separator: "\n").count == 1, "one line: \(unknown.stderr)")
    }

    @Test(.enabled(if: canRun, "the tmdiag binary is not built; skipped"))
    func eachChannelGetsItsShape() async throws {
        let b = try await Bench()
        defer { b.cleanup() }
        func ticket(_ channel: String) async throws -> String {
            let r = try await Bench.tmdiag(["ticket", "--store", b.store, "--report", Self.before, "--no-input", "--dry-run",
                                            "--summary", "No service since the SIM swap, my number is 206-555-0199, PIN 4821",
                                            "--changed", "new SIM on 2026-11-12", "--tried", "restarted", "--for", channel])
            #expect(r.status == 0, "\(channel): \(r.stderr)")
            return r.text
        }
        let social = try await ticket("social")
        #expect(social.count <= 280, "\(social.count) characters")
        let digits = social.filter(\.isNumber)
        #expect(digits.isEmpty, "a public post carries no digits at all: \(social)")
        #expect(social.lowercased().contains("private message"))

        let chat = try await ticket("chat")
        #expect(chat.count <= 1_500 && chat.count > 100, "\(chat.count) characters")
        #expect(chat.contains("SIM"))
        #expect(!chat.contains("2065550199") && !chat.contains("4821"))

        let email = try await ticket("email")
        #expect(email.hasPrefix("Subject: "))
        #expect(email.contains("Hello,") && email.contains("FINDINGS"))

        let voice = try await ticket("voice")
        #expect(voice.contains("Have ready:") && voice.contains("Say first:"))
        #expect(voice.contains("1-800-937-8997"), "the carrier's number from its profile")
        #expect(voice.lowercased().contains("never asks for them or stores them"))
        #expect(!voice.contains("4821"))

        let bad = try await Bench.tmdiag(["ticket", "--store", b.store, "--report", Self.before, "--no-input", "--for", "fax"])
        #expect(bad.status == 64)
    }
}
