import Foundation
import GeoIO
import Survey

/// `outfall merge SHARD_DIR... --out DIR`: the outputs of `outfall run --shard K/N` for K = 1…N combined into
/// the same files a single-machine `outfall run` writes. The shards must come from the same plan (same pipeline,
/// files and settings, checked by hash), all N must be there, and each must hold its flights' checkpoints.
public enum ShardMerge {
    public static func merge(shards: [String], output: String, overwrite: Bool, events: @escaping @Sendable (BatchEvent) -> Void) throws -> BatchRunner.Result {
        let fm = FileManager.default
        guard !shards.isEmpty else { throw PipelineError(path: output, "no shard directories given") }
        var records: [(dir: URL, record: BatchRunner.ShardRecord)] = []
        var plan: PipelinePlan? = nil
        for s in shards {
            let dir = URL(fileURLWithPath: s).standardizedFileURL
            let shardJSON = dir.appendingPathComponent("shard.json")
            guard let data = fm.contents(atPath: shardJSON.path) else {
                throw PipelineError(path: s, fm.fileExists(atPath: s) ? "not a shard output (no shard.json): was it written by `outfall run --shard K/N`?" : "no such directory")
            }
            let r: BatchRunner.ShardRecord
            do { r = try JSONDecoder().decode(BatchRunner.ShardRecord.self, from: data) } catch {
                throw PipelineError(path: shardJSON.path, "not a shard record: \(error)")
            }
            let pipelineJSON = dir.appendingPathComponent("pipeline.json")
            guard let pdata = fm.contents(atPath: pipelineJSON.path), let p = try? JSONDecoder().decode(PipelinePlan.self, from: pdata) else {
                throw PipelineError(path: pipelineJSON.path, "missing or unreadable")
            }
            if let plan, plan.planHash != p.planHash || plan.planHash != r.planHash {
                throw PipelineError(path: s, "is a shard of a different pipeline or different inputs than \(records[0].dir.path)")
            }
            if let first = records.first, first.record.of != r.of {
                throw PipelineError(path: s, "is shard \(r.shard)/\(r.of) but \(first.dir.path) is shard \(first.record.shard)/\(first.record.of)")
            }
            if let dup = records.first(where: { $0.record.shard == r.shard }) {
                throw PipelineError(path: s, "shard \(r.shard)/\(r.of) given twice (also \(dup.dir.path))")
            }
            plan = plan ?? p
            records.append((dir, r))
        }
        let n = records[0].record.of
        let missing = Set(1...n).subtracting(records.map(\.record.shard)).sorted()
        guard missing.isEmpty else {
            throw PipelineError(path: output, "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", "))")
        }
        let plan_ = plan!
        for (dir, r) in records {
            let expected = plan_.flights(shard: r.shard, of: n).map(\.id)
            guard expected == r.flights else { throw PipelineError(path: dir.path, "holds flights \(r.flights) but shard \(r.shard)/\(n) of the plan is \(expected)") }
            for id in r.flights {
                do { _ = try BatchRunner.checkpoint(dir.appendingPathComponent("flights"), id) } catch {
                    throw PipelineError(path: dir.path, "flight \(id) is not finished in this shard")
                }
            }
        }

        let final = URL(fileURLWithPath: output).standardizedFileURL
        let parent = try BatchRunner.prepareParent(of: final, overwrite: overwrite, label: output)
        let work = parent.appendingPathComponent(".\(final.lastPathComponent).merge-\(getpid())")
        let staging = work.appendingPathComponent(final.lastPathComponent)
        try? fm.removeItem(at: work)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        let date = records.map(\.record.date).min()!
        GDAL.setConfigOption("OGR_CURRENT_DATE", "\(date)T00:00:00.000Z")
        defer { GDAL.setConfigOption("OGR_CURRENT_DATE", nil) }
        let flights = staging.appendingPathComponent("flights")
        try fm.createDirectory(at: flights, withIntermediateDirectories: false)
        for (dir, r) in records {
            for id in r.flights {
                let src = dir.appendingPathComponent("flights")
                try fm.copyItem(at: src.appendingPathComponent(id), to: flights.appendingPathComponent(id))
                try fm.copyItem(at: src.appendingPathComponent("\(id).json"), to: flights.appendingPathComponent("\(id).json"))
            }
        }
        events(.planned(flights: plan_.flights.count, resumed: plan_.flights.count, shard: nil, staging: work.path))
        let count = try BatchRunner.finish(staging: staging, plan: plan_, date: date, events: events)
        try BatchRunner.commit(staging: staging, final: final)
        return BatchRunner.Result(output: final.path, candidates: count, flightsRun: 0, flightsResumed: plan_.flights.count)
    }
}
