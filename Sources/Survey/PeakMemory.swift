import Foundation

/// The process's peak resident memory so far (VmHWM), for `OUTFALL_DEBUG_MEMORY=1`: `detect`
/// then logs it after each stage, which shows what holds memory (README, "Memory").
enum PeakMemory {
    static let enabled = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_MEMORY"] != nil

    /// VmHWM of /proc/self/status: this process image's own peak (getrusage's ru_maxrss would include the
    /// parent's when it started us with vfork, as posix_spawn does).
    static var megabytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Double(Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0) * 1024 / 1e6
        }
        return 0
    }

    static func log(_ stage: String, _ log: (String) -> Void) {
        if enabled { log(String(format: "memory: peak %.0f MB after %@", megabytes, stage)) }
    }
}
