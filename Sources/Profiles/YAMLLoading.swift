import Foundation
import TMDiagCore
import Yams

/// Decodes YAML files into Codable types, turning every failure into one line with the file,
/// the line and the key path: `Profiles/devices/x.yaml:12: devices[3].match.vendorId: expected a string`.
enum YAMLLoading {
    static func decode<T: Decodable>(_ type: T.Type, path: String, displayPath: String) throws(TMDiagError) -> T {
        guard let data = ProfileLocations.contents(path) else {
            throw TMDiagError("\(displayPath): cannot read the file", status: .noInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TMDiagError("\(displayPath): not UTF-8 text", status: .dataError)
        }
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch let e as YamlError {
            throw TMDiagError("\(displayPath): \(describe(e))", status: .dataError)
        } catch let e as DecodingError {
            let (codingPath, what) = describe(e)
            let line = (try? Yams.compose(yaml: text)).flatMap { $0.flatMap { locate(codingPath, in: $0) } }
            let key = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let lineText = line.map { ":\($0)" } ?? ""
            throw TMDiagError("\(displayPath)\(lineText): \(key.isEmpty ? "" : key + ": ")\(what)", status: .dataError)
        } catch {
            throw TMDiagError("\(displayPath): \(error)", status: .dataError)
        }
    }

    private static func describe(_ e: YamlError) -> String {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            return "line \(mark.line): \(problem)\(context.map { " (\($0.text))" } ?? "")"
        default:
            return "\(e)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        }
    }

    private static func describe(_ e: DecodingError) -> ([any CodingKey], String) {
        switch e {
        case let .typeMismatch(t, c): return (c.codingPath, "expected \(typeName(t)); \(c.debugDescription)")
        case let .valueNotFound(t, c): return (c.codingPath, "missing \(typeName(t))")
        case let .keyNotFound(k, c): return (c.codingPath, "missing key '\(k.stringValue)'")
        case let .dataCorrupted(c): return (c.codingPath, c.debugDescription)
        @unknown default: return ([], "\(e)")
        }
    }

    private static func typeName(_ t: Any.Type) -> String {
        let n = String(describing: t)
        switch n {
        case "String": return "a string"
        case "Int", "Double": return "a number"
        case "Bool": return "true or false"
        default: return n.hasPrefix("Array") ? "a list" : n.hasPrefix("Dictionary") ? "a mapping" : n
        }
    }

    /// The line of the node at `path` (or of its nearest existing ancestor).
    static func locate(_ path: [any CodingKey], in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for key in path {
            if let i = key.intValue, let seq = node.sequence, i < seq.count {
                node = seq[i]
            } else if let map = node.mapping, let child = map[key.stringValue] {
                node = child
            } else {
                break
            }
            line = node.mark?.line ?? line
        }
        return line
    }
}
