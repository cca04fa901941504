import Testing
import TMDiagCore
@testable import Modem

/// The shipped error catalog against the 3GPP texts it claims to follow: the names are the
/// standard's, every entry explains itself, and no advice nudges anyone to guess a code.
@Suite("Error catalog against the standard's text")
struct CatalogStandardTextTests {
    static let tables = ["cme", "cms", "emm", "gmm", "esm", "cc"]

    @Test(arguments: tables)
    func everyEntryHasTextMeaningAndAdvice(_ table: String) throws {
        let t = try #require(testCatalog.tables[table])
        #expect(!t.entries.isEmpty)
        for e in t.entries {
            #expect(!e.text.trimmingSpaces.isEmpty, "\(table) \(e.code) has no text")
            #expect(!e.meaning.trimmingSpaces.isEmpty, "\(table) \(e.code) has no meaning")
            #expect(!e.advice.trimmingSpaces.isEmpty, "\(table) \(e.code) has no advice")
        }
    }

    /// Each wrong PIN or PUK burns one of a few attempts, and a code typed into a chat or a
    /// ticket is a code given away: advice may say where to get a code, never to try codes
    /// or to hand one over.
    static let forbiddenInAdvice = [
        "guess", "try different pin", "try a different pin", "try another pin", "try other pin",
        "try different code", "try another code", "different pins",
        "send your pin", "send us your pin", "include your pin", "paste your pin", "pin in the ticket",
    ]

    @Test(arguments: tables)
    func noAdviceSuggestsGuessingOrSharingACode(_ table: String) throws {
        let t = try #require(testCatalog.tables[table])
        for e in t.entries {
            let advice = e.advice.lowercased()
            for word in Self.forbiddenInAdvice {
                #expect(!advice.contains(word), "\(table) \(e.code) advice contains \"\(word)\"")
            }
        }
    }

    /// (table, code, the standard's name). Each pair was checked against the clause named in
    /// its comment; comparison ignores case, spaces and punctuation, as modems vary in those.
    static let standardNames: [(String, Int, String)] = [
        // TS 27.007 §9.2.1 (general errors)
        ("cme", 3, "operation not allowed"),
        ("cme", 10, "SIM not inserted"),
        ("cme", 11, "SIM PIN required"),
        ("cme", 12, "SIM PUK required"),
        ("cme", 16, "incorrect password"),
        ("cme", 30, "no network service"),
        // TS 27.007 §9.2.2 (GPRS/EPS-related errors, protocol errors)
        ("cme", 171, "Last PDN disconnection not allowed"),
        ("cme", 173, "Invalid mandatory information"),
        ("cme", 174, "Message type non-existent or not implemented"),
        ("cme", 175, "Conditional IE error"),
        // TS 24.011 §8.2.5.4 Table 8.4 (RP-Cause), the 0-127 range of TS 27.005 §3.2.5
        ("cms", 1, "Unassigned (unallocated) number"),
        ("cms", 21, "Short message transfer rejected"),
        ("cms", 22, "Memory capacity exceeded"),
        ("cms", 27, "Destination out of order"),
        ("cms", 81, "Invalid short message transfer reference value"),
        ("cms", 95, "Semantically incorrect message"),
        ("cms", 98, "Message not compatible with short message protocol state"),
        // TS 23.040 §9.2.3.22 (TP-Failure-Cause), the 128-255 range of TS 27.005 §3.2.5
        ("cms", 128, "Telematic interworking not supported"),
        ("cms", 197, "SM Rejected-Duplicate SM"),
        // TS 24.301 §9.9.3.9 Table 9.9.3.9.1 (EMM cause)
        ("emm", 2, "IMSI unknown in HSS"),
        ("emm", 3, "Illegal UE"),
        ("emm", 7, "EPS services not allowed"),
        ("emm", 11, "PLMN not allowed"),
        ("emm", 12, "Tracking Area not allowed"),
        ("emm", 13, "Roaming not allowed in this tracking area"),
        ("emm", 14, "EPS services not allowed in this PLMN"),
        ("emm", 15, "No Suitable Cells In tracking area"),
        ("emm", 22, "Congestion"),
        ("emm", 25, "Not authorized for this CSG"),
        ("emm", 26, "Non-EPS authentication unacceptable"),
        ("emm", 35, "Requested service option not authorized in this PLMN"),
        ("emm", 40, "No EPS bearer context activated"),
        // TS 24.008 §10.5.5.14 Table 10.5.147 (GMM cause) / §10.5.3.6 Table 10.5.95 (MM cause)
        ("gmm", 2, "IMSI unknown in HLR"),
        ("gmm", 7, "GPRS services not allowed"),
        ("gmm", 8, "GPRS services and non-GPRS services not allowed"),
        ("gmm", 12, "Location Area not allowed"),
        ("gmm", 14, "GPRS services not allowed in this PLMN"),
        ("gmm", 15, "No Suitable Cells In Location Area"),
        ("gmm", 23, "GSM authentication unacceptable"),
        ("gmm", 40, "No PDP context activated"),
        // TS 24.301 §9.9.4.4 Table 9.9.4.4.1 (ESM cause)
        ("esm", 8, "Operator Determined Barring"),
        ("esm", 27, "Missing or unknown APN"),
        ("esm", 30, "Request rejected by Serving GW or PDN GW"),
        ("esm", 35, "PTI already in use"),
        ("esm", 37, "EPS QoS not accepted"),
        ("esm", 43, "Invalid EPS bearer identity"),
        // TS 24.008 §10.5.4.11 Table 10.5.123 (call control cause)
        ("cc", 1, "Unassigned (unallocated) number"),
        ("cc", 16, "Normal call clearing"),
        ("cc", 17, "User busy"),
        ("cc", 34, "No circuit/channel available"),
        ("cc", 42, "Switching equipment congestion"),
    ]

    @Test func tableHasAtLeastThirtyVerifiedPairs() {
        #expect(Self.standardNames.count >= 30)
    }

    @Test(arguments: standardNames)
    func textIsTheStandardsName(_ table: String, _ code: Int, _ name: String) throws {
        let e = try #require(testCatalog.entry(table, code: code), "\(table) \(code) missing")
        #expect(e.code == code, "\(table) \(code) is covered only by the range from \(e.code)")
        #expect(ErrorCatalog.normalize(e.text) == ErrorCatalog.normalize(name),
                "\(table) \(code): \"\(e.text)\", the standard says \"\(name)\"")
        // And the standard's name, as a modem prints it with verbose errors, finds the entry.
        #expect(testCatalog.entry(table, text: name)?.code == code, "\(table) \"\(name)\"")
    }

    /// Names corrected to the standard stay findable under the wording modems print.
    @Test(arguments: [("cms", "Destination out of service", 27), ("cms", "Invalid message, unspecified", 95),
                      ("cme", "Mandatory information element error", 173)])
    func formerNamesStillResolve(_ table: String, _ text: String, _ code: Int) {
        #expect(testCatalog.entry(table, text: text)?.code == code)
    }

    /// Causes the device sends about the network's authentication, or that restrict where a
    /// subscription may be used, must not be explained as a SIM or coverage fault.
    @Test(arguments: [
        ("emm", 26, TMDiagCore.Actor.network), ("gmm", 23, TMDiagCore.Actor.network),
        ("gmm", 15, TMDiagCore.Actor.carrier), ("emm", 15, TMDiagCore.Actor.carrier),
        ("cme", 115, TMDiagCore.Actor.carrier),
    ])
    func actorFollowsTheStandardsDefinition(_ table: String, _ code: Int, _ actor: TMDiagCore.Actor) throws {
        let e = try #require(testCatalog.entry(table, code: code))
        #expect(e.actor == actor, "\(table) \(code) is \(e.actor)")
        #expect(!e.advice.lowercased().contains("new sim") && !e.advice.lowercased().contains("newer sim"))
        #expect(!e.advice.lowercased().contains("window"), "\(table) \(code) is not a signal problem")
    }
}
