import ArgumentParser
import Foundation
import Kit
import TMDiagCore

/// Runs a command body; a `TMDiagError` becomes one line on stderr and its exit status.
func runReporting(_ body: () async throws -> ExitStatus) async throws {
    let status: ExitStatus
    do {
        status = try await body()
    } catch let error as TMDiagError {
        Console.error(error.message)
        throw ExitCode(error.status.rawValue)
    }
    if status != .ok { throw ExitCode(status.rawValue) }
}

/// `--reveal imei,iccid` into a RevealSet, or a usage error naming the bad item.
func parseReveal(_ list: [String]) throws(TMDiagError) -> RevealSet {
    do { return try RevealSet(parsing: list) } catch { throw TMDiagError(error.description, status: .usage) }
}
