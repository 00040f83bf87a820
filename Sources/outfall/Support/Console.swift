import Foundation

/// stderr output: log lines, and a progress bar only when stderr is a terminal.
struct Console: Sendable {
    let json: Bool
    let quiet: Bool
    var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    func log(_ message: String) {
        guard !quiet else { return }
        if json {
            let obj: [String: String] = ["level": message.hasPrefix("warning:") ? "warning" : "info", "message": message]
            if let d = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), let s = String(data: d, encoding: .utf8) {
                FileHandle.standardError.write(Data((s + "\n").utf8))
            }
        } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
    }

    /// A one-line bar redrawn in place; on a non-terminal nothing (the log says when a stage ends).
    func progress(_ label: String) -> @Sendable (Int, Int) -> Void {
        guard isTerminal, !quiet, !json else { return { _, _ in } }
        let start = Date()
        return { done, total in
            let frac = total > 0 ? Double(done) / Double(total) : 1
            let width = 30
            let filled = Int(frac * Double(width))
            let elapsed = Date().timeIntervalSince(start)
            let eta = frac > 0 ? elapsed / frac - elapsed : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = String(format: "\r%@ [%@] %d/%d  ETA %.0fs", label, bar, done, total, eta)
            FileHandle.standardError.write(Data((line + (done == total ? "\n" : "")).utf8))
        }
    }

    func stdout(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }
}

/// Turns any error into one line on stderr and exit status 1 (ArgumentParser's own usage errors exit 64).
func runReportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCodeCarrier { throw e.exit } catch {
        FileHandle.standardError.write(Data("outfall: error: \(error)\n".utf8))
        throw ExitCodeCarrier.failure.exit
    }
}

import ArgumentParser
struct ExitCodeCarrier: Error {
    let exit: ExitCode
    static let failure = ExitCodeCarrier(exit: .failure)
}
