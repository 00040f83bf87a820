import Foundation
import Testing

/// Three small flights (two generated scenes; the third re-flies the first, visible only, so the merge has real
/// duplicates), run once uninterrupted; the other tests compare their runs with it byte for byte.
final class ThreeFlights: @unchecked Sendable {
    let dir = TempDir("batch")
    let pipeline: String
    let reference: URL

    static let shared = ThreeFlights()

    private init() {
        dir.removeAtProcessExit()
        for seed in [1, 2] {
            let r = try! Outfall.run(["samples", dir.path("s\(seed)"), "--seed", "\(seed)"])
            precondition(r.status == 0, r.stderr)
        }
        pipeline = dir.path("three.yaml")
        try! """
        schema: 1
        name: three
        inputs:
          flights:
            - id: a
              ortho: s1/ortho.tif
              thermal: s1/thermal/*.tif
              water: s1/river.geojson
            - id: b
              ortho: s2/ortho.tif
              thermal: s2/thermal/*.tif
              water: s2/river.geojson
            - id: c
              ortho: s1/ortho.tif
              water: s1/river.geojson
        detect:
          threads: 2
        checklist:
          enabled: true
        packet:
          enabled: true
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        reference = dir.url.appendingPathComponent("reference/out")
        let r = try! Outfall.run(["run", pipeline, "--out", reference.path, "--json"])
        precondition(r.status == 0, r.stderr)
    }
}

@Suite(.serialized) struct BatchRunTests {
    let f = ThreeFlights.shared

    @Test func uninterruptedRunWritesMergedOutputs() throws {
        let out = f.reference
        for name in ["candidates.geojson", "candidates.gpkg", "run.json", "pipeline.json", "packet.zip", "checklist/checklist.csv",
                     "flights/a/candidates.gpkg", "flights/b/run.json", "flights/c.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let flights = run["flights"] as! [[String: Any]]
        let total = flights.map { $0["candidates"] as! Int }.reduce(0, +)
        let merged = run["candidates"] as! Int
        #expect(merged > 0 && merged < total, "flight c re-flies a: duplicates merged (\(merged) of \(total))")
        let members = run["members"] as! [String: [String]]
        #expect(members.values.contains { $0.count == 2 && $0.contains { $0.hasPrefix("a/") } && $0.contains { $0.hasPrefix("c/") } })
        // Nothing left beside the output.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(siblings == ["out"], "\(siblings)")
    }

    @Test func killedRunResumesToTheSameResult() throws {
        let dir = TempDir("kill")
        let out = dir.url.appendingPathComponent("out")
        let checkpoint = dir.url.appendingPathComponent(".out.partial/out/flights/a.json").path
        let p = try Outfall.start(["run", f.pipeline, "--out", out.path, "--json"])
        var seen = false
        for _ in 0..<60_000 where p.isRunning {
            if FileManager.default.fileExists(atPath: checkpoint) { seen = true; break }
            usleep(2_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(seen, "the first flight's checkpoint appeared before the run ended")
        #expect(p.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: out.path), "no output before the run completes")

        let r = try Outfall.run(["run", f.pipeline, "--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = r.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let resumed = events.filter { $0["event"] as? String == "flight_resumed" }.compactMap { $0["flight"] as? String }
        let started = events.filter { $0["event"] as? String == "flight_started" }.compactMap { $0["flight"] as? String }
        #expect(resumed.contains("a") && !started.contains("a"), "flight a not redone: resumed \(resumed), started \(started)")
        try expectSameRun(f.reference, out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["out"])
    }

    @Test func killedAtSeededMomentsStillEndsTheSame() throws {
        // Kill -9 at a few pseudo-random moments (seeded), restarting each time, until a run completes.
        var rng = SplitMix(seed: 42)
        let dir = TempDir("kill-random")
        let out = dir.url.appendingPathComponent("out")
        var kills = 0
        for _ in 0..<3 {
            let p = try Outfall.start(["run", f.pipeline, "--out", out.path, "--json"])
            usleep(UInt32(200_000 + rng.next() % 2_500_000))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            p.waitUntilExit()
        }
        let r = try Outfall.run(["run", f.pipeline, "--out", out.path, "--overwrite"])
        #expect(r.status == 0, "\(r.stderr)")
        try expectSameRun(f.reference, out)
        _ = kills
    }

    @Test func shardsMergeToTheSingleMachineResult() throws {
        let dir = TempDir("shards")
        var shardDirs: [String] = []
        for k in 1...2 {
            let s = dir.path("shard\(k)")
            let r = try Outfall.run(["run", f.pipeline, "--out", s, "--shard", "\(k)/2", "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            shardDirs.append(s)
        }
        #expect(files(under: URL(fileURLWithPath: shardDirs[0])).contains("flights/a.json"))
        #expect(files(under: URL(fileURLWithPath: shardDirs[1])).contains("flights/b.json"))
        let missing = try Outfall.run(["merge", shardDirs[0], "--out", dir.path("bad")])
        #expect(missing.status == 1 && missing.stderr.contains("missing shard 2/2"), "\(missing.stderr)")
        let out = dir.url.appendingPathComponent("merged/out")
        let r = try Outfall.run(["merge", shardDirs[1], shardDirs[0], "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        try expectSameRun(f.reference, out)
    }

    @Test func existingOutputIsRefusedWithoutOverwrite() throws {
        let r = try Outfall.run(["run", f.pipeline, "--out", f.reference.path])
        #expect(r.status == 1 && r.stderr.contains("--overwrite"))
        #expect(FileManager.default.fileExists(atPath: f.reference.appendingPathComponent("run.json").path))
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt32 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: z ^ (z >> 31))
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt32(max(1, n))) }
}
