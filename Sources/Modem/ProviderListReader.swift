import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The `XMLParser` delegate that collects `serviceproviders.xml`'s providers: each
/// `<provider>`'s own first `<name>` (an `<apn>` has a `<name>` too, which is not the
/// provider's), its `<network-id mcc= mnc=/>` codes, and its `<apn value=>` entries with their
/// `<usage type=>`. The parser resolves entities (`&amp;`) and character references itself.
final class ProviderListReader: NSObject, XMLParserDelegate {
    private(set) var providers: [OperatorDirectory.ProviderEntry] = []
    private var current: OperatorDirectory.ProviderEntry?
    /// Element names from the root to the one being read.
    private var path: [String] = []
    /// Text of the provider's `<name>` while it is open.
    private var nameText: String?

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        defer { path.append(element) }
        switch element {
        case "provider":
            finishProvider()
            current = .init(name: "", primary: attributes["primary"] == "true", codes: [])
        case "name" where path.last == "provider" && current?.name.isEmpty == true:
            nameText = ""
        case "network-id":
            if let mcc = attributes["mcc"], let mnc = attributes["mnc"] { current?.codes.append(mcc + mnc) }
        case "apn":
            if let value = attributes["value"] { current?.apns.append((value, nil)) }
        case "usage" where path.last == "apn":
            if let type = attributes["type"], let last = current?.apns.indices.last { current?.apns[last].usage = type }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        nameText? += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        nameText? += String(decoding: block, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        path.removeLast()
        if element == "name", let text = nameText {
            current?.name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            nameText = nil
        } else if element == "provider" {
            finishProvider()
        }
    }

    /// Keeps the provider being read if it has a name and a code.
    func finishProvider() {
        if let c = current, !c.name.isEmpty, !c.codes.isEmpty { providers.append(c) }
        current = nil
        nameText = nil
    }
}
