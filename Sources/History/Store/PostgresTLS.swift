// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// TLS for a PostgreSQL store as libpq users expect from `sslmode`:
///
/// - `disable`: plain.
/// - `allow`, `prefer`: TLS when the server offers it, else plain; the certificate is not
///   checked. (libpq's `allow` tries plain first; postgres-nio asks for TLS first, which
///   gives the same connection whenever the server accepts both.)
/// - `require`: TLS or no connection; the certificate is not checked, unless a root
///   certificate file exists (`PGSSLROOTCERT`, else `~/.postgresql/root.crt`), when libpq
///   checks it as for `verify-ca`.
/// - `verify-ca`: TLS, the certificate checked against the root certificate file, else the
///   system's trusted roots.
/// - `verify-full`: as `verify-ca`, and the certificate must name the host.
enum PostgresTLS {
    static func configuration(for target: PostgresTarget,
                              environment: [String: String]) throws(TMDiagError) -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        let rootFile = rootCertificateFile(environment)
        if let rootFile { tls.trustRoots = .file(rootFile) }
        switch target.sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
        case .require:
            tls.certificateVerification = rootFile == nil ? .none : .noHostnameVerification
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw TMDiagError("store \(target): cannot set up TLS (sslmode=\(target.sslMode.rawValue)): "
                              + TerminalText.escape(String(describing: error), limit: 200), status: .unavailable)
        }
        return target.sslMode == .allow || target.sslMode == .prefer ? .prefer(context) : .require(context)
    }

    /// The root certificates libpq would check the server's certificate against.
    static func rootCertificateFile(_ environment: [String: String]) -> String? {
        if let f = environment["PGSSLROOTCERT"], !f.isEmpty, f != "system" { return f }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let f = home + "/.postgresql/root.crt"
        return FileManager.default.isReadableFile(atPath: f) ? f : nil
    }
}
#endif
