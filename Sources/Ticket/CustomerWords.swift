import Foundation
import TMDiagCore

/// The customer's own words (`--summary`, `--changed`, `--tried`, answers to prompts), made
/// safe to paste anywhere: a PIN, PUK, passcode or password typed into them is removed (never
/// repeated, see `SecretRedactor`), and identifiers are masked like everywhere else.
public enum CustomerWords {
    public static let removedMark = SecretRedactor.removedMark

    /// What is left of `text` after removing secrets and masking identifiers.
    public static func clean(_ text: String, reveal: RevealSet = .none) -> String {
        IdentifierScrubber.scrub(SecretRedactor.redact(text).text, reveal: reveal).trimmingSpaces
    }

    /// True when `text` held something that `clean` takes out as a secret.
    public static func holdsSecret(_ text: String) -> Bool { SecretRedactor.containsSecret(text) }
}
