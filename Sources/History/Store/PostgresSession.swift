// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// One connection to a PostgreSQL store, used from synchronous code: the one place where the
/// store's synchronous API meets postgres-nio. Every statement goes through `run`, which
/// sends it with postgres-nio's EventLoopFuture API and waits for the answer on the calling
/// thread. Why not async/await behind a semaphore: the store is called from Swift
/// concurrency's small thread pool (task groups, tests); a task blocked waiting for another
/// task could starve it, whereas a future completes on NIO's own event loop thread.
final class PostgresSession: Sendable {
    let target: PostgresTarget
    private let connection: PostgresConnection
    /// postgres-nio's own messages stay out of the terminal: tmdiag reports failures itself.
    private let logger: Logger
    /// One transaction at a time on the connection: another thread's statements must not run
    /// inside it. Held for a whole transaction.
    private let turn = Locked(())

    private init(target: PostgresTarget, connection: PostgresConnection, logger: Logger) {
        self.target = target
        self.connection = connection
        self.logger = logger
    }

    deinit {
        // postgres-nio wants a connection closed before it goes. Waited for here, on the thread
        // that let go of the store (never an event loop thread: only tmdiag's own code holds a
        // session), so that the server sees the goodbye before the process may exit.
        try? connection.close().wait()
    }

    /// Connects with the password libpq would use (`PostgresPassword`), TLS as `sslmode` asks.
    static func connect(_ target: PostgresTarget,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws(TMDiagError) -> PostgresSession {
        var logger = Logger(label: "tmdiag.store")
        logger.logLevel = .critical
        let password = PostgresPassword.find(for: target, environment: environment)
        var configuration: PostgresConnection.Configuration
        if target.isUnixSocket {
            // A Unix socket is local: libpq uses no TLS on it whatever sslmode says.
            configuration = .init(unixSocketPath: target.host + "/.s.PGSQL.\(target.port)", username: target.user,
                                  password: password, database: target.database)
        } else {
            let tls = try PostgresTLS.configuration(for: target, environment: environment)
            configuration = .init(host: target.host, port: target.port, username: target.user, password: password,
                                  database: target.database, tls: tls)
            if target.sslMode == .verifyFull { configuration.options.tlsServerName = target.host }
        }
        configuration.options.connectTimeout = .seconds(10)
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            let connection = try PostgresConnection.connect(on: loop, configuration: configuration, id: 1, logger: logger).wait()
            return PostgresSession(target: target, connection: connection, logger: logger)
        } catch {
            throw PostgresErrors.storeError(error, target: target, doing: "cannot connect")
        }
    }

    /// Runs one statement and returns its rows and row count. `doing` says what failed.
    @discardableResult
    func run(_ sql: String, _ parameters: [PostgresParameter] = [], doing: String = "cannot read") throws(TMDiagError) -> PostgresQueryResult {
        try turn.withLock { _ throws(TMDiagError) in try send(sql, parameters, doing: doing) }
    }

    /// Runs `body` in one transaction (BEGIN ... COMMIT), rolled back on any error. Only the
    /// `PostgresTransaction` given to `body` may be used inside it.
    func transaction<T>(doing: String = "cannot write", _ body: (PostgresTransaction) throws -> T) throws(TMDiagError) -> T {
        try turn.withLock { _ throws(TMDiagError) in
            try send("BEGIN", [], doing: doing)
            do {
                let result = try body(PostgresTransaction(session: self))
                try send("COMMIT", [], doing: doing)
                return result
            } catch {
                // The rollback's own failure (a lost connection) says less than the first error.
                _ = try? send("ROLLBACK", [], doing: doing)
                throw PostgresErrors.storeError(error, target: target, doing: doing)
            }
        }
    }

    /// The statement, sent and waited for; the caller holds `turn`.
    @discardableResult
    fileprivate func send(_ sql: String, _ parameters: [PostgresParameter], doing: String) throws(TMDiagError) -> PostgresQueryResult {
        do {
            return try start(sql, parameters).wait()
        } catch {
            throw PostgresErrors.storeError(error, target: target, doing: doing)
        }
    }

    /// The statement, sent; the caller holds `turn`. A parameter that cannot be bound fails
    /// the returned future.
    fileprivate func start(_ sql: String, _ parameters: [PostgresParameter]) -> EventLoopFuture<PostgresQueryResult> {
        var bindings = PostgresBindings(capacity: parameters.count)
        do {
            for p in parameters { try p.append(to: &bindings) }
        } catch {
            return connection.eventLoop.makeFailedFuture(error)
        }
        return connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
    }
}

/// The statements of one open transaction (see `PostgresSession.transaction`).
struct PostgresTransaction {
    fileprivate let session: PostgresSession

    @discardableResult
    func run(_ sql: String, _ parameters: [PostgresParameter] = []) throws(TMDiagError) -> PostgresQueryResult {
        try session.send(sql, parameters, doing: "cannot write")
    }

    /// Sends a statement without waiting for it: the caller goes on preparing the next one
    /// while the server works. Statements run in the order they are sent; `PendingStatement.wait`
    /// gives this one's result or error.
    func start(_ sql: String, _ parameters: [PostgresParameter]) -> PendingStatement {
        PendingStatement(session: session, future: session.start(sql, parameters))
    }
}

/// A statement sent in an open transaction and not yet waited for.
struct PendingStatement {
    fileprivate let session: PostgresSession
    fileprivate let future: EventLoopFuture<PostgresQueryResult>

    func wait() throws(TMDiagError) -> PostgresQueryResult {
        do {
            return try future.wait()
        } catch {
            throw PostgresErrors.storeError(error, target: session.target, doing: "cannot write")
        }
    }
}

/// A value bound to a statement parameter.
enum PostgresParameter: Sendable {
    case text(String?)
    case integer(Int64?)
    case bytes(Data)
    case array(PostgresColumnArray)

    init(_ value: StoredValue) {
        switch value {
        case .text(let v): self = .text(v)
        case .integer(let v): self = .integer(v)
        }
    }

    func append(to bindings: inout PostgresBindings) throws {
        switch self {
        case .text(let v): bindings.append(v)
        case .integer(let v): bindings.append(v)
        case .bytes(let v): try bindings.append(v)
        case .array(let v): bindings.append(v)
        }
    }
}

extension PostgresParameter: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: Int64) { self = .integer(value) }
}
#endif
