import Foundation

/// Runs fuzz cases in child processes, so that a crash (SIGSEGV in GDAL or a Swift trap) or a hang ends one
/// child, not the fuzzer: a child runs a batch of cases in-process and prints a line as it starts each case and
/// one with the outcome; when it dies or falls silent past the per-case timeout, the case it had started is a
/// crash or a hang, and a new child goes on with the next case.
public final class FuzzSupervisor: @unchecked Sendable {
    public struct Summary: Codable, Sendable {
        public var seed: UInt64
        public var cases: Int
        public var results: Int
        public var errors: Int
        public var failures: [FuzzOutcome]
        public var seconds: Double
        public var slowest: Double
    }

    let executable: String
    let childArguments: (_ from: Int, _ to: Int) -> [String]
    let timeout: Double
    private let lock = NSLock()
    private var outcomes: [Int: FuzzOutcome] = [:]

    /// - Parameters: `childArguments(from, to)` are the arguments making `executable` run cases from..<to and
    ///   print `FuzzSupervisor.startLine`/`outcomeLine`s; `timeout` bounds each case (seconds).
    public init(executable: String, timeout: Double, childArguments: @escaping (Int, Int) -> [String]) {
        self.executable = executable
        self.timeout = timeout
        self.childArguments = childArguments
    }

    /// Runs cases `range` in batches of `batch` on `jobs` children at a time; `progress(done, total)` after each.
    public func run(seed: UInt64, range: Range<Int>, batch: Int, jobs: Int, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) -> Summary {
        let t0 = Date()
        let batches = stride(from: range.lowerBound, to: range.upperBound, by: batch).map { $0..<min(range.upperBound, $0 + batch) }
        let next = NSLock()
        nonisolated(unsafe) var cursor = 0
        let group = DispatchGroup()
        for _ in 0..<max(1, jobs) {
            group.enter()
            Thread.detachNewThread { [self] in
                while true {
                    next.lock()
                    let i = cursor; cursor += 1
                    next.unlock()
                    guard i < batches.count else { break }
                    runBatch(batches[i], seed: seed) { progress($0, range.count) }
                }
                group.leave()
            }
        }
        group.wait()
        let all = range.map { outcomes[$0] ?? FuzzOutcome(index: $0, kind: "lost", detail: "", problem: "no outcome reported", seconds: 0, caseDescription: "") }
        return Summary(seed: seed, cases: all.count, results: all.filter { $0.kind == "result" }.count,
                       errors: all.filter { $0.kind == "error" }.count, failures: all.filter { $0.problem != nil },
                       seconds: Date().timeIntervalSince(t0), slowest: all.map(\.seconds).max() ?? 0)
    }

    public static func startLine(_ index: Int) -> String { "start \(index)" }
    public static func outcomeLine(_ o: FuzzOutcome) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return "outcome " + String(decoding: (try? e.encode(o)) ?? Data(), as: UTF8.self)
    }

    private func record(_ o: FuzzOutcome, _ progress: (Int) -> Void) {
        lock.lock()
        outcomes[o.index] = o
        let n = outcomes.count
        lock.unlock()
        progress(n)
    }

    /// Runs `cases` in one child after another until every case has an outcome.
    private func runBatch(_ cases: Range<Int>, seed: UInt64, _ progress: (Int) -> Void) {
        var from = cases.lowerBound
        while from < cases.upperBound {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = childArguments(from, cases.upperBound)
            let out = Pipe()
            child.standardOutput = out
            child.standardError = FileHandle.nullDevice
            let lines = LineQueue()
            do { try child.run() } catch {
                record(FuzzOutcome(index: from, kind: "crash", detail: "\(error)", problem: "cannot start a child: \(error)", seconds: 0, caseDescription: ""), progress)
                from += 1
                continue
            }
            let reader = out.fileHandleForReading
            Thread.detachNewThread {
                var buffer = Data()
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let nl = buffer.firstIndex(of: 10) {
                        lines.push(String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...nl)
                    }
                }
                lines.close()
            }
            var started: (index: Int, at: Date)? = nil
            var hung = false
            while true {
                guard let line = lines.pop(timeout: timeout) else {
                    if lines.isClosed { break }
                    hung = true
                    kill(child.processIdentifier, SIGKILL)
                    break
                }
                if line.hasPrefix("start "), let i = Int(line.dropFirst(6)) {
                    started = (i, Date())
                } else if line.hasPrefix("outcome "), let o = try? JSONDecoder().decode(FuzzOutcome.self, from: Data(line.dropFirst(8).utf8)) {
                    record(o, progress)
                    started = nil
                    from = o.index + 1
                }
            }
            child.waitUntilExit()
            if let s = started {
                let how = hung ? "hang" : "crash"
                let detail = hung ? "no outcome after \(Int(timeout)) s" : "child ended by \(child.terminationReason == .uncaughtSignal ? "signal" : "exit") \(child.terminationStatus)"
                record(FuzzOutcome(index: s.index, kind: how, detail: detail, problem: hung ? "no outcome within the timeout" : "the process running it died", seconds: Date().timeIntervalSince(s.at), caseDescription: FuzzCase.make(seed: seed, index: s.index).description), progress)
                from = s.index + 1
            } else if from < cases.upperBound && child.terminationStatus != 0 {
                // Died between cases: count the next one against it rather than loop forever.
                record(FuzzOutcome(index: from, kind: "crash", detail: "child ended with \(child.terminationStatus) between cases", problem: "child died between cases", seconds: 0, caseDescription: ""), progress)
                from += 1
            } else if from < cases.upperBound {
                break
            }
        }
    }
}

/// Lines from a child's stdout, handed from the reading thread to the supervisor with a timeout.
final class LineQueue: @unchecked Sendable {
    private var lines: [String] = []
    private var closed = false
    private let condition = NSCondition()

    func push(_ line: String) { condition.lock(); lines.append(line); condition.signal(); condition.unlock() }
    func close() { condition.lock(); closed = true; condition.broadcast(); condition.unlock() }
    var isClosed: Bool { condition.lock(); defer { condition.unlock() }; return closed && lines.isEmpty }

    /// The next line, or nil when closed and empty or after `timeout` seconds without one.
    func pop(timeout: Double) -> String? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while lines.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}
