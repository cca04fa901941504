import Foundation

/// The one place that finds secrets in text: SIM PINs and PUKs, account PINs, passwords,
/// passcodes and security answers, in the phrasings people type (English and Spanish) and in
/// the arguments of the AT commands that carry them (`+CPIN=`, `+CLCK=…,"…"`, `+CPWD=`,
/// `+CPIN2=`, vendor `^CPIN=` and the like, `+CSIM`/`+CGLA` VERIFY/CHANGE/UNBLOCK APDUs).
///
/// Every path that takes free text (ticket parts, prompts, history events and cases, imports)
/// or prints AT traffic (`decode`, `probe --debug`, bundles) goes through it: tickets and logs
/// get the value replaced by `removedMark`; the store refuses such text instead.
public enum SecretRedactor {
    public static let removedMark = "[removed]"

    public struct Result: Sendable, Hashable {
        public var text: String
        public var removed: Bool
    }

    /// `text` with every secret value replaced by `removedMark`.
    public static func redact(_ text: String) -> Result {
        guard mayHoldSecret(text) else { return Result(text: text, removed: false) }
        let at = redactATArguments(text)
        let words = redactPhrases(at)
        return Result(text: words, removed: words != text)
    }

    /// True when `redact` would remove something.
    public static func containsSecret(_ text: String) -> Bool { redact(text).removed }

    // MARK: - A cheap first look

    /// Every rule below needs one of these letter runs (ASCII, any case); most text has none,
    /// and imports call this on every event.
    static let triggers: [[UInt8]] = ["pin", "puk", "pass", "pw", "clave", "contrase", "nip", "answer", "respuesta",
                                      "lck", "csim", "cgla", "cmar", "ssn", "secur"].map { Array($0.utf8) }

    static func mayHoldSecret(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { b in
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i] | 0x20
                if c == 0x70 || c == 0x63 || c == 0x6E || c == 0x61 || c == 0x72 || c == 0x6C || c == 0x73 { // p c n a r l s
                    trig: for t in triggers where t[0] == c && i + t.count <= n {
                        for k in 1..<t.count where b[i + k] | 0x20 != t[k] { continue trig }
                        return true
                    }
                }
                i += 1
            }
            return false
        }
    }

    // MARK: - AT command arguments

    /// Replaces the secret arguments of PIN-carrying AT commands, wherever a command stands in
    /// the line (`AT+CPIN="1234"`, `> AT+CMEE=2;+CPIN=1234`, `[12:00] AT^CPIN="1234"`).
    static func redactATArguments(_ line: String) -> String {
        let chars = Array(line)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard "+^$!#%*".contains(c), i + 1 < chars.count, chars[i + 1].isLetter else { out.append(c); i += 1; continue }
            var j = i + 1
            while j < chars.count, chars[j].isLetter || chars[j].isASCIIDigit { j += 1 }
            let name = String(chars[(i + 1)..<j]).uppercased()
            guard j < chars.count, chars[j] == "=", let rule = argumentRule(name) else {
                out += String(chars[i..<j]); i = j; continue
            }
            out += String(chars[i...j])
            j += 1
            // Arguments run to the next `;` outside quotes, or the line's end.
            var args: [String] = []
            var current = ""
            var quoted = false
            while j < chars.count {
                let x = chars[j]
                if x == "\"" { quoted.toggle() }
                if !quoted && (x == ";" || x == "\r" || x == "\n") { break }
                if !quoted && x == "," { args.append(current); current = ""; j += 1; continue }
                current.append(x)
                j += 1
            }
            args.append(current)
            out += args.enumerated().map { k, a in rule(k, a) ? maskArgument(a) : a }.joined(separator: ",")
            i = j
        }
        return out
    }

    /// Which arguments (by index) of command `name` are secret, or nil for a command that
    /// carries none.
    static func argumentRule(_ name: String) -> ((Int, String) -> Bool)? {
        switch name {
        case "CLCK": return { k, a in k == 2 && hasDigitOrLetters(a) }            // fac, mode, passwd, class
        case "CPWD": return { k, a in k >= 1 && hasDigitOrLetters(a) }            // fac, oldpwd, newpwd
        case "CMAR": return { _, a in hasDigitOrLetters(a) }                      // phone lock code
        case "CSIM": return { k, a in k == 1 && isSecretAPDU(a) }
        case "CGLA": return { k, a in k == 2 && isSecretAPDU(a) }
        case "CPINR": return nil                                                  // code names only
        default:
            // +CPIN, +CPIN2, ^CPIN, $QCPIN, *EPIN, +CPUK...: every argument holding a digit.
            let secretish = ["PIN", "PUK", "PWD", "PASS"].contains { name.contains($0) }
            return secretish ? { _, a in a.contains(where: \.isASCIIDigit) } : nil
        }
    }

    static func hasDigitOrLetters(_ a: String) -> Bool {
        let v = a.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        return !v.isEmpty
    }

    /// A UICC APDU whose instruction carries a PIN: VERIFY (20), CHANGE (24), DISABLE (26),
    /// ENABLE (28), UNBLOCK (2C) — ETSI TS 102 221 §10.1.2.
    static func isSecretAPDU(_ a: String) -> Bool {
        let hex = a.filter(\.isHexDigit).uppercased()
        guard hex.count >= 4 else { return false }
        let ins = hex.dropFirst(2).prefix(2)
        return ["20", "24", "26", "28", "2C"].contains(String(ins))
    }

    static func maskArgument(_ a: String) -> String {
        let lead = a.prefix { $0 == " " }
        let core = a.dropFirst(lead.count)
        return core.hasPrefix("\"") ? lead + "\"" + removedMark + "\"" : lead + removedMark
    }

    // MARK: - Phrasings

    /// Keywords whose value must hold at least 4 digits ("PIN is locked" keeps its words;
    /// "PIN 3 times" keeps its number).
    static let digitKeywords: Set<String> = ["pin", "pin1", "pin2", "pincode", "puk", "puk1", "puk2", "nip", "pins", "ssn"]
    /// Keywords whose value may be any word that does not describe the secret instead.
    static let wordKeywords: Set<String> = ["passcode", "password", "passwd", "pwd", "pw", "passphrase", "passwort",
                                            "contrasena", "clave", "passcodes", "passwords"]
    /// Two-word keywords: (first, second). The value may be any word.
    static let pairKeywords: [(String, String)] = [("security", "answer"), ("secret", "answer"), ("security", "code"),
                                                   ("account", "pin"), ("transfer", "pin"), ("port", "pin"),
                                                   ("respuesta", "seguridad"), ("codigo", "seguridad")]
    /// Words that may stand between a keyword and its value.
    static let connectors: Set<String> = ["is", "was", "are", "=", ":", "#", "-", "->", "code", "number", "no", "of", "to",
                                          "as", "now", "new", "old", "changed", "set", "became", "it's", "its",
                                          "es", "era", "fue", "de", "nuevo", "nueva", "ahora", "actual", "numero", "codigo",
                                          "de:", "is:", "was:", "es:"]
    /// Words that may stand between a value and the keyword after it: "1234 as the PIN".
    static let backConnectors: Set<String> = ["as", "for", "is", "was", "the", "my", "our", "new", "old", "sim", "account",
                                              "into", "in", "es", "mi", "el", "la", "como", "de", "para", "su", "al"]
    /// Words after a word keyword that describe the secret rather than being it.
    static let descriptive: Set<String> = [
        "wrong", "incorrect", "correct", "right", "locked", "blocked", "reset", "resets", "expired", "changed", "change",
        "changes", "required", "needed", "not", "doesn't", "didn't", "isn't", "wasn't", "won't", "never", "the", "my",
        "a", "an", "same", "different", "forgotten", "forgot", "lost", "unknown", "invalid", "asked", "requested",
        "disabled", "enabled", "set", "working", "works", "worked", "rejected", "ok", "fine", "also", "and", "or",
        "but", "for", "on", "in", "at", "with", "without", "manager", "prompt", "prompts", "screen", "field", "box",
        "page", "email", "link", "recovery", "requirements", "again", "still", "anymore", "twice", "error", "problem",
        "issue", "hint", "please", "it", "that", "this", "protected", "protection", "reminder", "request", "because",
        "since", "so", "when", "after", "before", "you", "your", "his", "her", "their", "our", "we", "they", "he", "she",
        "i", "me", "keeps", "kept", "says", "said", "popup", "dialog", "entry", "login", "sign", "app", "wifi", "wi-fi",
        "router", "hotspot", "used", "from", "like", "yesterday", "today", "tomorrow", "earlier", "last", "every",
        "every", "time", "times", "attempt", "attempts", "tries", "try", "policy", "rules", "strength", "length",
        "update", "updated", "reset.", "question", "questions", "there", "here", "too", "either", "only", "just", "to",
        "is", "was", "being", "been", "be", "has", "had", "have", "will", "would", "should", "can", "could", "may",
        "must", "did", "does", "do", "by", "via", "over", "through", "of", "off", "if", "unless", "until", "while",
        "any", "some", "no", "none", "more", "less", "longer", "anything", "something", "nothing", "everything",
        "incorrecta", "incorrecto", "equivocada", "equivocado", "bloqueada", "bloqueado", "olvidada", "olvidado",
        "olvide", "la", "el", "mi", "y", "o", "pero", "para", "por", "que", "se", "esta", "no", "del", "tu", "su",
        "nueva?", "cambiada", "cambiado", "requerida", "requerido", "pide", "pedia", "otra", "otro", "vez",
    ]

    /// A word or a gap between words; every character of the text is kept in one of them.
    struct Token {
        var text: String
        var isWord: Bool
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var currentIsWord = false
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            // "!" and "?" end a sentence, but inside a word they are part of it ("Winter!99").
            let endsSentence = "!?".contains(ch) && (i + 1 == chars.count || !(chars[i + 1].isLetter || chars[i + 1].isNumber))
            let isWord = !(ch.isWhitespace || endsSentence || ",;()[]{}\"'“”‘’¿¡".contains(ch))
            if current.isEmpty { currentIsWord = isWord }
            if isWord != currentIsWord {
                tokens.append(Token(text: current, isWord: currentIsWord))
                current = ""
                currentIsWord = isWord
            }
            current.append(ch)
        }
        if !current.isEmpty { tokens.append(Token(text: current, isWord: currentIsWord)) }
        return tokens
    }

    /// Lower case, accents folded, surrounding punctuation dropped: "Contraseña:" → "contrasena".
    static func norm(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: CharacterSet(charactersIn: ".:=#-*"))
    }

    static func digitCount(_ s: String) -> Int { s.reduce(0) { $1.isASCIIDigit ? $0 + 1 : $0 } }

    /// A keyword with its value glued on: "pin:1234", "PIN=1234", "password=x", "pin1234".
    static func gluedValue(_ word: String) -> (keyword: String, value: String)? {
        let lower = word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        for k in digitKeywords.union(wordKeywords) where lower.hasPrefix(k) && lower.count > k.count {
            var rest = lower.dropFirst(k.count)
            if let f = rest.first, ":=#".contains(f) {
                rest = rest.dropFirst()
            } else if !(digitKeywords.contains(k) && rest.allSatisfy(\.isASCIIDigit) && rest.count >= 4) {
                continue
            }
            guard !rest.isEmpty else { continue }
            if digitKeywords.contains(k) && digitCount(String(rest)) < 4 { continue }
            return (k, String(word.suffix(rest.count)))
        }
        return nil
    }

    static func redactPhrases(_ text: String) -> String {
        var tokens = tokenize(text)
        let words = tokens.indices.filter { tokens[$0].isWord }
        let normed = words.map { norm(tokens[$0].text) }
        var remove = Set<Int>() // indices into `words`

        /// The value after keyword ending at word `k`; marks it and returns true when found.
        func takeValue(after k: Int, digits: Bool) -> Bool {
            var v = k + 1
            var skipped = 0
            let keywordText = tokens[words[k]].text
            var sawSeparator = keywordText.hasSuffix(":") || keywordText.hasSuffix("=")
            while v < words.count, connectors.contains(normed[v]) || connectors.contains(tokens[words[v]].text.lowercased()),
                  skipped < 4 {
                sawSeparator = true
                v += 1
                skipped += 1
            }
            guard v < words.count else { return false }
            if digits {
                // The value: a run of digit-bearing words (a PIN typed "1 2 3 4" is one value).
                var end = v
                var count = 0
                while end < words.count, digitCount(tokens[words[end]].text) > 0,
                      end == v || tokens[words[end]].text.allSatisfy(\.isASCIIDigit) {
                    count += digitCount(tokens[words[end]].text)
                    end += 1
                }
                guard count >= 4 else { return false }
                for x in v..<end { remove.insert(x) }
                return true
            }
            let value = normed[v]
            guard !value.isEmpty, !descriptive.contains(value), !descriptive.contains(tokens[words[v]].text.lowercased()) else {
                return false
            }
            // "pw" alone is too common an abbreviation: it needs a separator or a digit.
            if normed[k] == "pw" && !sawSeparator && digitCount(value) == 0 { return false }
            remove.insert(v)
            return true
        }

        func takeValueBefore(_ k: Int, minDigits: Int) {
            var v = k - 1
            var skipped = 0
            while v >= 0, backConnectors.contains(normed[v]), skipped < 3 { v -= 1; skipped += 1 }
            guard v >= 0 else { return }
            let t = tokens[words[v]].text
            guard digitCount(t) >= minDigits, t.count >= 4, !t.contains("-") || t.allSatisfy({ $0.isASCIIDigit || $0 == "-" }) else { return }
            // Not an already-removed value, a date or a case number ("CAS-1234").
            if t.contains(removedMark) || t.contains("/") || t.uppercased() != t.lowercased() && minDigits >= 4 { return }
            remove.insert(v)
        }

        var w = 0
        while w < words.count {
            let n = normed[w]
            // Two-word keywords ("security answer", "account PIN", "respuesta de seguridad").
            if w + 1 < words.count {
                let second = normed[w + 1] == "de" && w + 2 < words.count ? w + 2 : w + 1
                if pairKeywords.contains(where: { $0.0 == n && $0.1 == normed[second] }), takeValue(after: second, digits: false) {
                    w = second + 1
                    continue
                }
            }
            if let (k, value) = gluedValue(tokens[words[w]].text), !(wordKeywords.contains(k) && descriptive.contains(value.lowercased())) {
                let t = tokens[words[w]].text
                tokens[words[w]].text = String(t.dropLast(value.count)) + removedMark
                w += 1
                continue
            }
            if digitKeywords.contains(n) {
                if takeValue(after: w, digits: true) { w += 1; continue }
                // "I typed 1234 as the PIN": a value before the keyword.
                takeValueBefore(w, minDigits: 4)
            } else if wordKeywords.contains(n) {
                if takeValue(after: w, digits: false) { w += 1; continue }
                takeValueBefore(w, minDigits: 1)
            }
            w += 1
        }

        guard !remove.isEmpty || tokens.contains(where: { $0.text.contains(removedMark) }) else { return text }
        var out = ""
        var i = 0
        let removedTokens = Set(remove.map { words[$0] })
        while i < tokens.count {
            if removedTokens.contains(i) {
                out += removedMark
                // A value split by single spaces ("1 2 3 4") becomes one mark.
                var j = i + 1
                while j + 1 < tokens.count, !tokens[j].isWord, tokens[j].text.allSatisfy({ $0 == " " }),
                      removedTokens.contains(j + 1) {
                    j += 2
                }
                i = j
                continue
            }
            out += tokens[i].text
            i += 1
        }
        return out
    }
}
