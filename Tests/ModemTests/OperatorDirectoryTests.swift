import Foundation
import Testing
@testable import Modem
import Profiles

/// `serviceproviders.xml` as XML allows it to be written, not only as Debian's copy is laid
/// out today: entities and character references, CDATA, comments, attributes in either quote
/// and any order, an `<apn>`'s own `<name>`, and a file cut off or not XML at all.
@Suite("Operator directory (serviceproviders.xml)")
struct OperatorDirectoryTests {
    static func write(_ xml: String) throws -> String {
        let path = NSTemporaryDirectory() + "serviceproviders-\(UUID().uuidString).xml"
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let list = """
        <?xml version="1.0"?>
        <!-- comment with <provider> in it -->
        <serviceproviders format="2.0">
        <country code="us">
          <provider>
            <name>Mint &amp; Co</name>
            <gsm><network-id mnc='260' mcc='310'/>
              <apn value="wholesale"><usage type="internet"/><name>Not the provider</name></apn>
            </gsm>
          </provider>
          <provider primary="true">
            <name xml:lang="en"><![CDATA[T-Mobile]]></name>
            <name xml:lang="de">T-Mobile DE</name>
            <gsm>
              <network-id mcc="310" mnc="260"/>
              <network-id mcc="310" mnc="160"/>
              <apn value="fast.t-mobile.com"><usage type="internet"/><name>T-Mobile LTE</name></apn>
              <apn value="ims"><usage type="ims"/></apn>
            </gsm>
          </provider>
          <provider><name>&#x56;erizon</name><gsm><network-id mcc="311" mnc="480"/></gsm></provider>
          <provider><name>No codes</name><cdma><sid value="1"/></cdma></provider>
        </country>
        </serviceproviders>
        """

    @Test func readsEveryWrittenForm() throws {
        let path = try Self.write(Self.list)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let providers = OperatorDirectory.providers(path: path)
        #expect(providers.map(\.name) == ["Mint & Co", "T-Mobile", "Verizon"])
        #expect(providers[1].primary && providers[1].codes == ["310260", "310160"])
        #expect(providers[1].apns.map(\.value) == ["fast.t-mobile.com", "ims"])
        #expect(providers[1].apns.map(\.usage) == ["internet", "ims"])
        // The primary operator wins a shared code over the MVNO listed first.
        let names = OperatorDirectory.providerInfo(path: path)
        #expect(names["310260"] == "T-Mobile")
        #expect(names["311480"] == "Verizon")
        let apns = OperatorDirectory.providerAPNs(mcc: "310", mnc: "260", path: path)
        #expect(apns.first?.isOperator == true && apns.first?.apn == "fast.t-mobile.com")
        #expect(apns.contains { $0.provider == "Mint & Co" && !$0.isOperator })
    }

    @Test func aDamagedListGivesWhatCameBeforeTheFault() throws {
        let cut = String(Self.list.prefix(upTo: Self.list.range(of: "<provider><name>&#x56;")!.lowerBound)) + "<provider><name>Ver"
        for (text, expected) in [(cut, ["Mint & Co", "T-Mobile"]), ("not xml at all \u{0}\u{1}", []), ("", [])] {
            let path = try Self.write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(OperatorDirectory.providers(path: path).map(\.name) == expected)
        }
        #expect(OperatorDirectory.providers(path: "/nonexistent/serviceproviders.xml").isEmpty)
    }

    @Test func anExternalEntityIsNotFetched() throws {
        let secret = try Self.write("<name>secret</name>")
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let path = try Self.write("""
            <?xml version="1.0"?>
            <!DOCTYPE serviceproviders [<!ENTITY x SYSTEM "file://\(secret)">]>
            <serviceproviders><country code="xx"><provider><name>A&x;</name><gsm><network-id mcc="001" mnc="01"/></gsm></provider></country></serviceproviders>
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(!OperatorDirectory.providers(path: path).contains { $0.name.contains("secret") })
    }

    /// Without a `primary` mark the operator of a shared code is the provider listing the most
    /// codes, and the APN table applies the same rule as the names.
    @Test func theAPNTableNamesTheOperatorByTheNamesRule() throws {
        let path = try Self.write("""
            <serviceproviders><country code="de">
            <provider><name>MVNO</name><gsm><network-id mcc="262" mnc="02"/><apn value="mvno.de"/></gsm></provider>
            <provider><name>Host</name><gsm><network-id mcc="262" mnc="02"/><network-id mcc="262" mnc="04"/>
              <apn value="web.host.de"><usage type="internet"/></apn></gsm></provider>
            <provider><name>Late</name><gsm><network-id mcc="262" mnc="02"/><network-id mcc="262" mnc="09"/></gsm></provider>
            </country></serviceproviders>
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(OperatorDirectory.providerInfo(path: path)["26202"] == "Host")
        let apns = OperatorDirectory.providerAPNs(mcc: "262", mnc: "02", path: path)
        #expect(apns.map(\.apn) == ["web.host.de", "mvno.de"])
        #expect(apns.map(\.isOperator) == [true, false])
        // A code whose providers list no APN has no entry; nor has an unknown one.
        #expect(OperatorDirectory.providerAPNs(mcc: "262", mnc: "09", path: path).isEmpty)
        #expect(OperatorDirectory.providerAPNs(mcc: "999", mnc: "99", path: path).isEmpty)
    }

    /// The cached table is the parsed one, and a second load reads the cache file.
    @Test func theAPNTableIsCachedParsed() throws {
        let path = try Self.write(Self.list)
        let cachePath = NSTemporaryDirectory() + "operator-apns-\(UUID().uuidString).json"
        defer { for p in [path, cachePath] { try? FileManager.default.removeItem(atPath: p) } }
        let cache = ParsedCache<[String: [OperatorDirectory.ProviderAPN]]>(path: cachePath)
        let parsed = OperatorDirectory.providerAPNs(path: path)
        #expect(!parsed.isEmpty)
        #expect(OperatorDirectory.loadAPNs(providerInfo: path, cache: cache) == parsed)
        #expect(FileManager.default.fileExists(atPath: cachePath))
        #expect(OperatorDirectory.loadAPNs(providerInfo: path, cache: cache) == parsed)
    }
}
