import Foundation

/// The process's peak resident memory per stage, for `OUTFALL_DEBUG_MEMORY=1`: `detect` then logs, after each
/// stage, the peak reached during that stage and what is still resident, which shows what holds memory
/// (README, "Memory").
enum PeakMemory {
    static let enabled = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_MEMORY"] != nil

    /// A field of /proc/self/status in MB: VmHWM is this process image's own peak (getrusage's ru_maxrss would
    /// include the parent's when it started us with vfork, as posix_spawn does), VmRSS what is resident now.
    static func megabytes(_ field: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Double(Int(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0) * 1024 / 1e6
        }
        return 0
    }

    /// Logs the peak since the last call and the current resident size, then resets the peak to the current
    /// size (writing 5 to /proc/self/clear_refs), so the next line shows the next stage's own peak.
    static func log(_ stage: String, _ log: (String) -> Void) {
        guard enabled else { return }
        log(String(format: "memory: peak %.0f MB during %@ (%.0f MB resident after it)", megabytes("VmHWM"), stage, megabytes("VmRSS")))
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
