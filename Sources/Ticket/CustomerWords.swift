import Foundation
import TMDiagCore

/// The customer's own words (`--summary`, `--changed`, `--tried`, answers to prompts), made
/// safe to paste anywhere: a PIN, PUK, passcode or password typed into them is removed (never
/// repeated), and identifiers are masked like everywhere else.
public enum CustomerWords {
    public static let removedMark = "[removed]"

    /// What is left of `text` after removing secrets and masking identifiers.
    public static func clean(_ text: String, reveal: RevealSet = .none) -> String {
        let noSecrets = removeSecrets(text)
        return IdentifierScrubber.scrub(noSecrets, reveal: reveal).trimmingSpaces
    }

    /// True when `text` held something that `removeSecrets` takes out.
    public static func holdsSecret(_ text: String) -> Bool { removeSecrets(text) != text }

    /// Keywords that introduce a secret. `digits`: the value must hold a digit ("PIN is locked"
    /// keeps its words; "PIN is 1234" loses the number).
    private static let keywords: [(words: [String], digits: Bool)] = [
        (["account", "pin"], false), (["security", "answer"], false), (["security", "code"], false),
        (["transfer", "pin"], false), (["port", "pin"], false), (["port", "out", "pin"], false),
        (["pin"], true), (["pin1"], true), (["pin2"], true), (["pincode"], true), (["puk"], true),
        (["puk1"], true), (["puk2"], true), (["passcode"], false), (["password"], false),
        (["passwd"], false), (["pwd"], false), (["passphrase"], false),
    ]
    /// Words that may sit between the keyword and the value.
    private static let connectors: Set<String> = ["is", "was", "are", "=", ":", "#", "-", "code", "number", "no", "no.", "of", "->"]
    /// Words after "password is" that describe it rather than being it.
    private static let descriptive: Set<String> = [
        "wrong", "incorrect", "correct", "right", "locked", "blocked", "reset", "expired", "changed", "required",
        "needed", "not", "the", "my", "a", "an", "same", "different", "forgotten", "lost", "unknown", "invalid",
        "asked", "requested", "disabled", "enabled", "set", "working", "rejected", "ok", "fine", "also",
    ]

    /// Replaces the value after a secret keyword with `[removed]`. Works on word tokens;
    /// everything else of the text is kept as it was.
    public static func removeSecrets(_ text: String) -> String {
        // Tokenise into words and the gaps between them, keeping every character.
        var tokens: [(text: String, isWord: Bool)] = []
        var current = ""
        var currentIsWord = false
        for ch in text {
            let isWord = !(ch.isWhitespace || ",;()[]{}\"'“”‘’!?".contains(ch))
            if current.isEmpty { currentIsWord = isWord }
            if isWord != currentIsWord {
                tokens.append((current, currentIsWord))
                current = ""
                currentIsWord = isWord
            }
            current.append(ch)
        }
        if !current.isEmpty { tokens.append((current, currentIsWord)) }

        let wordIdx = tokens.indices.filter { tokens[$0].isWord }
        func norm(_ s: String) -> String {
            s.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".:=#-"))
        }
        var removeAt = Set<Int>()
        var w = 0
        while w < wordIdx.count {
            var matched = false
            for (words, needsDigit) in keywords {
                guard w + words.count <= wordIdx.count else { continue }
                // The last keyword word may carry the value glued on: "pin:1234", "password=x".
                var ok = true
                var glued: String?
                for (k, kw) in words.enumerated() {
                    let raw = tokens[wordIdx[w + k]].text.lowercased()
                    if k == words.count - 1, raw != kw, raw.hasPrefix(kw) {
                        let rest = raw.dropFirst(kw.count)
                        if let f = rest.first, ":=#".contains(f) {
                            glued = String(rest.dropFirst())
                            continue
                        }
                        if needsDigit, rest.allSatisfy(\.isASCIIDigit), !rest.isEmpty, kw == "pin" || kw == "puk" { glued = String(rest); continue }
                    }
                    if norm(raw) != kw && raw.trimmingCharacters(in: CharacterSet(charactersIn: ":=#")) != kw { ok = false; break }
                }
                guard ok else { continue }
                let last = wordIdx[w + words.count - 1]
                if let g = glued, !g.isEmpty {
                    if !needsDigit || g.contains(where: \.isASCIIDigit) {
                        let kwText = tokens[last].text
                        let cut = kwText.count - g.count
                        tokens[last].text = String(kwText.prefix(cut)) + removedMark
                        matched = true
                        w += words.count
                        break
                    }
                }
                // Skip connectors, then take the value.
                var v = w + words.count
                var sawSeparator = tokens[last].text.hasSuffix(":") || tokens[last].text.hasSuffix("=")
                while v < wordIdx.count, connectors.contains(tokens[wordIdx[v]].text.lowercased()) {
                    sawSeparator = true
                    v += 1
                }
                guard v < wordIdx.count else { continue }
                let value = tokens[wordIdx[v]].text
                let lower = norm(value)
                if needsDigit {
                    guard value.contains(where: \.isASCIIDigit) else { continue }
                } else {
                    guard sawSeparator, !descriptive.contains(lower) else { continue }
                }
                removeAt.insert(wordIdx[v])
                // Digits split by spaces ("1 2 3 4") are one value.
                var n = v + 1
                while needsDigit, n < wordIdx.count, tokens[wordIdx[n]].text.allSatisfy(\.isASCIIDigit),
                      wordIdx[n] == wordIdx[n - 1] + 2 {
                    removeAt.insert(wordIdx[n])
                    n += 1
                }
                matched = true
                w = n
                break
            }
            if !matched { w += 1 }
        }
        var out = ""
        var previousRemoved = false
        for (i, t) in tokens.enumerated() {
            if removeAt.contains(i) {
                if !previousRemoved { out += removedMark }
                previousRemoved = true
            } else if previousRemoved && !t.isWord && t.text.allSatisfy({ $0 == " " }) && i + 1 < tokens.count && removeAt.contains(i + 1) {
                continue
            } else {
                // Keep trailing punctuation of a removed value out; keep everything else.
                out += t.text
                previousRemoved = false
            }
        }
        return out
    }
}
