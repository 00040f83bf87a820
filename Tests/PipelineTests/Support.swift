import Foundation
import Testing

/// Runs the built `outfall` like a user; finds it next to this test binary (SwiftPM's products directory).
enum Outfall {
    static let products: URL = {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("outfall").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()
    static let path = products.appendingPathComponent("outfall").path
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Starts `outfall` (or another `executable`) with the arguments.
    static func start(_ args: [String], executable: String = path, stdout: Pipe? = nil, stderr: Pipe? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = stderr ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    @discardableResult
    static func run(_ args: [String], executable: String = path) throws -> Result {
        let out = Pipe(), err = Pipe()
        let p = try start(args, executable: executable, stdout: out, stderr: err)
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Temporary directories of shared fixtures, removed when the test process exits.
nonisolated(unsafe) var removeAtExit: [String] = []
let registerRemoval: Void = { atexit { for p in removeAtExit { try? FileManager.default.removeItem(atPath: p) } } }()

/// A temporary directory removed when the value goes away.
final class TempDir: @unchecked Sendable {
    let url: URL
    init(_ name: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("outfall-pipeline-\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ p: String) -> String { url.appendingPathComponent(p).path }
    /// For fixtures that live as long as the process.
    func removeAtProcessExit() { _ = registerRemoval; removeAtExit.append(url.path) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Every regular file under `dir`, relative, sorted.
func files(under dir: URL) -> [String] {
    guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    var out: [String] = []
    let base = dir.standardizedFileURL.resolvingSymlinksInPath().path
    for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        let p = u.standardizedFileURL.resolvingSymlinksInPath().path
        out.append(String(p.dropFirst(base.count + 1)))
    }
    return out.sorted()
}

/// Compares two run directories file by file, byte for byte. A flight's own `run.json` (written by `DetectJob`)
/// records timings and its start time, so those two keys are dropped from it before comparing.
func expectSameRun(_ a: URL, _ b: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let fa = files(under: a), fb = files(under: b)
    #expect(fa == fb, "same file list", sourceLocation: sourceLocation)
    for f in fa where fb.contains(f) {
        var da = try Data(contentsOf: a.appendingPathComponent(f)), db = try Data(contentsOf: b.appendingPathComponent(f))
        if f.hasPrefix("flights/") && f.hasSuffix("/run.json") {
            da = try withoutTimings(da); db = try withoutTimings(db)
        }
        #expect(da == db, "\(f) differs", sourceLocation: sourceLocation)
    }
}

func withoutTimings(_ d: Data) throws -> Data {
    var o = try JSONSerialization.jsonObject(with: d) as! [String: Any]
    o["timings"] = nil; o["startedAt"] = nil
    return try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
}
