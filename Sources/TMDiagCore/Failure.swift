/// Exit statuses, after BSD sysexits where one fits, documented in `tmdiag --help`.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// Something went wrong that none of the codes below names.
    case failure = 1
    /// Nothing to work on: no devices found, nothing matched a lookup.
    case notFound = 2
    /// Bad command line (ArgumentParser's own validation errors use it too).
    case usage = 64
    /// An input file or pasted text is malformed.
    case dataError = 65
    /// An input file does not exist or cannot be read.
    case noInput = 66
    /// A port or device is busy, gone, or silent; a helper tool is missing.
    case unavailable = 69
    /// A bug in tmdiag: please report it.
    case software = 70
    /// The store or an output file could not be written.
    case ioError = 74
    /// Permission denied on a port, a device or a file.
    case noPermission = 77
}

/// An error meant for a person: one line saying what failed, where, and why.
public struct TMDiagError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var status: ExitStatus

    public init(_ message: String, status: ExitStatus = .failure) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}
