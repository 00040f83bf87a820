import Foundation
import Testing

/// A real cluster run: a one-node Slurm cluster on this machine (`Pipelines/slurm/local-cluster.sh`: munged,
/// slurmctld, slurmd as root, everything in a temporary directory), the shipped `Pipelines/slurm/submit.sh`
/// submitting the job array of 2 shards over a 4-flight campaign and the merge job after it, the merged result
/// compared byte for byte with one machine's `outfall run`. Cancelled (skipped, with the reason) where Slurm cannot
/// run: not root, or slurm-wlm/munge not installed (`.ci/setup --tests` installs them), or the daemons not starting.
@Suite(.serialized) struct SlurmClusterTests {
    static let slurm = Outfall.packageRoot.appendingPathComponent("Pipelines/slurm")

    @Test func jobArrayOverTwoShardsMergesToTheSingleMachineResult() throws {
        if getuid() != 0 { try Test.cancel("Slurm test needs root (slurmd runs jobs as their user); not root here") }
        let missing = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "python3"].filter { which($0) == nil }
        if !missing.isEmpty { try Test.cancel("Slurm test: \(missing.joined(separator: ", ")) not installed (bash .ci/setup --tests)") }

        let dir = TempDir("slurm")
        for seed in [1, 2] {
            let r = try Outfall.run(["samples", dir.path("s\(seed)"), "--seed", "\(seed)"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let pipeline = dir.path("campaign.yaml")
        // Four flights: two scenes with ortho and thermal, the first re-flown visible only, the second thermal only.
        try """
        schema: 1
        name: slurm-campaign
        inputs:
          flights:
            - {id: a, ortho: s1/ortho.tif, thermal: s1/thermal/*.tif, water: s1/river.geojson}
            - {id: b, ortho: s2/ortho.tif, thermal: s2/thermal/*.tif, water: s2/river.geojson}
            - {id: c, ortho: s1/ortho.tif, water: s1/river.geojson}
            - {id: d, thermal: s2/thermal/*.tif, water: s2/river.geojson}
        checklist:
          enabled: true
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        // The same settings as the array's tasks (outfall-array.sbatch: --cpus-per-task=4 becomes detect.threads,
        // which run.json records), and the same directory name as submit.sh's merge (the checklist names it).
        let reference = dir.url.appendingPathComponent("single/merged")
        let single = try Outfall.run(["run", pipeline, "--out", reference.path, "--set", "detect.threads=4", "--json"])
        #expect(single.status == 0, "\(single.stderr)")

        let cluster = dir.path("cluster")
        let started = try shell(["bash", Self.slurm.appendingPathComponent("local-cluster.sh").path, "start", cluster], cwd: dir.url)
        defer { _ = try? shell(["bash", Self.slurm.appendingPathComponent("local-cluster.sh").path, "stop", cluster], cwd: dir.url) }
        if started.status != 0 { try Test.cancel("Slurm test: the one-node cluster did not start: \(started.stderr)") }
        let env = ["SLURM_CONF": cluster + "/slurm.conf", "PATH": Outfall.products.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]

        let out = dir.url.appendingPathComponent("campaign")
        let submit = try shell(["bash", Self.slurm.appendingPathComponent("submit.sh").path, pipeline, out.path, "2"], cwd: dir.url, env: env)
        #expect(submit.status == 0, "submit.sh: \(submit.stderr)")
        // Wait until the queue is empty (the array, then the merge that depends on it), 15 minutes at most. A failed
        // shard makes the merge's dependency unsatisfiable: the cluster cancels it (kill_invalid_depend).
        var queue = ""
        for _ in 0..<4500 {
            queue = try shell(["squeue", "-h", "-o", "%i %j %T %r"], cwd: dir.url, env: env).stdout
            if queue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { break }
            // A task that cannot start is requeued and held: it will not run by itself.
            if queue.contains("held") { break }
            usleep(200_000)
        }
        #expect(queue.isEmpty, "jobs still queued: \(queue)\n\((try? String(contentsOfFile: cluster + "/slurmd.log", encoding: .utf8)) ?? "")")
        if !queue.isEmpty { _ = try? shell(["scancel", "--user", "root"], cwd: dir.url, env: env) }
        let logs = files(under: dir.url).filter { $0.hasSuffix(".log") || $0.hasSuffix(".out") }
            .map { name in "\(name):\n" + ((try? String(contentsOf: dir.url.appendingPathComponent(name), encoding: .utf8)) ?? "") }
            .joined(separator: "\n")
        let shardLogs = files(under: dir.url).filter { $0.hasPrefix("outfall-") && !$0.hasPrefix("outfall-merge") && $0.hasSuffix(".log") }
        #expect(shardLogs.count == 2, "one log per array task: \(shardLogs)")
        for k in 1...2 {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("shard-\(k)/shard.json").path), "shard \(k) ran\n\(logs)")
        }
        let merged = out.appendingPathComponent("merged")
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("run.json").path), "the merge job ran\n\(logs)")
        try expectSameRun(reference, merged)
    }

    private func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        for d in dirs {
            let p = d + "/" + tool
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs a command (found on PATH, plus /usr/sbin where Debian puts the daemons), its output captured in files.
    /// posix_spawn and waitpid rather than Foundation's Process, whose wait can miss the exit of a child that
    /// started daemons (seen here: `local-cluster.sh start` returned, `waitUntilExit` never did).
    private func shell(_ args: [String], cwd: URL, env: [String: String] = [:]) throws -> Outfall.Result {
        var e = ProcessInfo.processInfo.environment
        e["PATH"] = (e["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") + ":/usr/sbin:/sbin"
        for (k, v) in env { e[k] = k == "PATH" ? v + ":/usr/sbin:/sbin" : v }
        let id = UUID().uuidString
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("slurm-test-\(id).out").path
        let errPath = outPath + ".err"
        defer { try? FileManager.default.removeItem(atPath: outPath); try? FileManager.default.removeItem(atPath: errPath) }
        let argv = (["/usr/bin/env", "-C", cwd.path] + args).map { strdup($0) } + [nil]
        let envp = e.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp)
        guard rc == 0 else { return Outfall.Result(status: 127, stdout: "", stderr: "cannot start \(args[0]): \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let read = { (p: String) in (try? String(contentsOfFile: p, encoding: .utf8)) ?? "" }
        return Outfall.Result(status: exit, stdout: read(outPath), stderr: read(errPath))
    }
}
