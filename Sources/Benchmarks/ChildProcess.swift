import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command as a child process and reports its wall time and peak resident memory: the child's VmHWM
/// (/proc/PID/status), read every 5 ms while it runs. Not `wait4`'s ru_maxrss: posix_spawn starts the child
/// with vfork, and Linux carries the high-water mark of the memory the child had before its exec (the
/// parent's, shared) into it, so a bench that has read a large raster first would report its own peak.
/// Growth in the child's last 5 ms is missed (VmHWM only rises, so the last reading is at most that short).
public enum ChildProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var seconds: Double
        public var peakRSSBytes: Int
    }

    public static func run(_ executable: String, _ arguments: [String], quiet: Bool = true) throws -> Outcome {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if quiet {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchmarkError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        var peak = 0
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            peak = max(peak, highWaterMark(pid))
            usleep(5_000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exit, seconds: seconds, peakRSSBytes: peak)
    }

    /// VmHWM of a running process, in bytes (0 when unreadable, e.g. once it has exited).
    static func highWaterMark(_ pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0) * 1024
        }
        return 0
    }
}

public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
