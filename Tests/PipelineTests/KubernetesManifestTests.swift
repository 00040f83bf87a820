import Foundation
import Testing

/// The shipped Kubernetes manifests (no cluster here): validated against the Kubernetes API's own JSON schemas by
/// `kubernetes-validate` (PyPI; `.ci/setup --tests` installs it), strictly (unknown fields are errors), and
/// checked for the one thing a schema cannot see: the shard count in `completions` and in `SHARDS` agree.
@Suite struct KubernetesManifestTests {
    static let dir = Outfall.packageRoot.appendingPathComponent("Pipelines/kubernetes")
    static let manifests = ["outfall-indexed-job.yaml", "outfall-merge-job.yaml"]

    @Test func manifestsValidateStrictlyAgainstTheKubernetesSchema() throws {
        try requireValidator()
        for m in Self.manifests {
            let r = try validate(Self.dir.appendingPathComponent(m).path)
            #expect(r.status == 0 && r.stdout.contains("passed"), "\(m): \(r.stdout) \(r.stderr)")
        }
    }

    @Test func theValidatorRejectsAMisspeltField() throws {
        try requireValidator()
        let tmp = TempDir("k8s")
        let text = try String(contentsOf: Self.dir.appendingPathComponent(Self.manifests[0]), encoding: .utf8)
        let bad = tmp.path("bad.yaml")
        try text.replacingOccurrences(of: "backoffLimitPerIndex:", with: "backoffLimitPerIndx:").write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try validate(bad)
        #expect(r.status != 0 && r.stdout.contains("backoffLimitPerIndx"), "\(r.stdout) \(r.stderr)")
    }

    @Test func shardCountsAgree() throws {
        let job = try String(contentsOf: Self.dir.appendingPathComponent(Self.manifests[0]), encoding: .utf8)
        let merge = try String(contentsOf: Self.dir.appendingPathComponent(Self.manifests[1]), encoding: .utf8)
        let completions = value(after: "completions:", in: job)
        #expect(completions != nil)
        #expect(value(after: "parallelism:", in: job) == completions)
        #expect(shards(in: job) == completions, "SHARDS of the shard Job")
        #expect(shards(in: merge) == completions, "SHARDS of the merge Job")
    }

    private func value(after key: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix(key) { return Int(t.dropFirst(key.count).trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    /// The `value` on the line after `- name: SHARDS`.
    private func shards(in text: String) -> Int? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let i = lines.firstIndex(of: "- name: SHARDS"), i + 1 < lines.count else { return nil }
        return Int(lines[i + 1].replacingOccurrences(of: "value:", with: "").replacingOccurrences(of: "\"", with: "").trimmingCharacters(in: .whitespaces))
    }

    private func requireValidator() throws {
        let r = try python(["-c", "import kubernetes_validate"])
        if r.status != 0 { try Test.cancel("kubernetes-validate is not installed (bash .ci/setup --tests, or pip install kubernetes-validate)") }
    }

    private func validate(_ path: String) throws -> Outfall.Result { try python(["-m", "kubernetes_validate", "--strict", path]) }

    private func python(_ args: [String]) throws -> Outfall.Result {
        try Outfall.run(["python3"] + args, executable: "/usr/bin/env")
    }
}
