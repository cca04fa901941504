import Foundation
import TMDiagCore

/// The bytes of one import, handed out a window at a time: `buffer[start..<end]` is read,
/// checked UTF-8 (a byte order mark at the front dropped) and not consumed yet. Readers move
/// `start` on and call `refill()` for more; memory stays at about one chunk plus the longest
/// piece a reader keeps unconsumed (one CSV record, one JSON string).
///
/// Used by one thread at a time (the one that opened it).
final class ImportInput {
    enum Reading {
        case memory(Data)
        case handle(FileHandle)
    }

    static let chunkSize = 1 << 20

    private(set) var buffer: [UInt8] = []
    /// The first byte not consumed.
    var start = 0
    /// The end of the checked bytes; bytes past it (an incomplete UTF-8 sequence) wait for more.
    private(set) var end = 0
    /// Where `buffer[0]` is in the input, in bytes after a byte order mark.
    private(set) var offsetOfBuffer = 0
    let file: String
    private var reading: Reading
    private var memoryOffset = 0
    private var atEnd = false
    private var first = true
    /// The line and the offset of its first byte, of the first byte not yet checked: UTF-8
    /// errors name a line and column.
    private var checkedLine = 1
    private var checkedLineStart = 0

    init(reading: Reading, file: String) {
        self.reading = reading
        self.file = file
    }

    deinit {
        if case .handle(let h) = reading { try? h.close() }
    }

    /// Makes more checked bytes available (dropping consumed ones); false at the end of the
    /// input with nothing new.
    func refill() throws(TMDiagError) -> Bool {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            offsetOfBuffer += start
            end -= start
            start = 0
        }
        while !atEnd {
            let before = end
            try readChunk()
            try check()
            if end > before { return true }
        }
        return false
    }

    private func readChunk() throws(TMDiagError) {
        switch reading {
        case .memory(let d):
            let n = min(Self.chunkSize, d.count - memoryOffset)
            if n <= 0 { atEnd = true; return }
            let from = d.startIndex + memoryOffset
            buffer.append(contentsOf: d[from..<(from + n)])
            memoryOffset += n
        case .handle(let h):
            let chunk: Data?
            do { chunk = try h.read(upToCount: Self.chunkSize) } catch {
                throw TMDiagError("\(TerminalText.escape(file)): read failed: \(TerminalText.escape(error.localizedDescription))",
                                  status: .ioError)
            }
            guard let chunk, !chunk.isEmpty else { atEnd = true; return }
            buffer.append(contentsOf: chunk)
        }
    }

    /// Checks the new bytes up to the last whole UTF-8 sequence (all of them at the end).
    private func check() throws(TMDiagError) {
        if first {
            guard buffer.count >= 3 || atEnd else { return }
            first = false
            // Offsets count from after the mark: it is no column of the first line (the JSON
            // reader's columns and the UTF-8 check's agree that way).
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
        }
        var limit = buffer.count
        if !atEnd {
            // A sequence cut by the chunk's end waits for its last bytes.
            var i = limit - 1
            while i >= end, i >= limit - 3, buffer[i] & 0xC0 == 0x80 { i -= 1 }
            if i >= end, i >= limit - 4, buffer[i] >= 0xC0 {
                let width = buffer[i] >= 0xF0 ? 4 : buffer[i] >= 0xE0 ? 3 : 2
                if i + width > limit { limit = i }
            }
        }
        guard limit > end else { return }
        let valid = buffer.withUnsafeBufferPointer { b in
            let piece = UnsafeBufferPointer(rebasing: b[end..<limit])
            return piece.allSatisfy { $0 < 0x80 } || String(validating: piece, as: UTF8.self) != nil
        }
        if !valid { throw invalidUTF8(from: end, to: limit) }
        for i in end..<limit where buffer[i] == 0x0A {
            checkedLine += 1
            checkedLineStart = offsetOfBuffer + i + 1
        }
        end = limit
    }

    private func invalidUTF8(from: Int, to: Int) -> TMDiagError {
        var decoder = UTF8()
        var iterator = buffer[from..<to].makeIterator()
        var bad = from
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): bad += UTF8.width(s)
            case .emptyInput, .error: break loop
            }
        }
        var line = checkedLine
        var lineStart = checkedLineStart
        for i in from..<min(bad, to) where buffer[i] == 0x0A { line += 1; lineStart = offsetOfBuffer + i + 1 }
        let column = offsetOfBuffer + bad - lineStart + 1
        let byte = bad < to ? " (byte 0x\(String(format: "%02X", buffer[bad])))" : ""
        return TMDiagError("\(TerminalText.escape(file)):\(line):\(column): invalid UTF-8\(byte)", status: .dataError)
    }
}
