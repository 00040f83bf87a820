import Dispatch
import Foundation

/// Maps `body` over `items` on up to `threads` threads, results in input order (so output is deterministic).
public enum ParallelMap {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], threads: Int, _ body: @Sendable (T) throws -> R) rethrows -> [R] {
        if threads <= 1 || items.count <= 1 { return try items.map(body) }
        let results = ResultBox<R>(count: items.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: min(threads, items.count)) { _ in
            while true {
                let i = next.increment()
                if i >= items.count { break }
                results.set(i, Result { try body(items[i]) })
            }
        }
        return try results.values().map { try $0.get() }
    }
}

extension ParallelMap {
    /// Like `map`, but each worker thread first makes its own context (e.g. GDAL handles, which are not
    /// thread-safe) and reuses it for every item it takes.
    public static func map<T: Sendable, R: Sendable, C>(_ items: [T], threads: Int, makeContext: @Sendable () throws -> C,
                                                       _ body: @Sendable (C, T) throws -> R) throws -> [R] {
        let results = ResultBox<R>(count: items.count)
        let next = Counter()
        let workers = max(1, min(threads, items.count))
        let failure = ResultBox<Void>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let context: C
            do { context = try makeContext() } catch {
                failure.set(worker, .failure(error))
                return
            }
            failure.set(worker, .success(()))
            while true {
                let i = next.increment()
                if i >= items.count { break }
                results.set(i, Result { try body(context, items[i]) })
            }
        }
        for f in failure.valuesIfSet() { try f.get() }
        return try results.valuesIfSet().map { try $0.get() }
    }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}

final class ResultBox<R>: @unchecked Sendable {
    private var storage: [Result<R, Error>?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<R, Error>) { lock.lock(); storage[i] = r; lock.unlock() }
    func values() -> [Result<R, Error>] { storage.map { $0! } }
    func valuesIfSet() -> [Result<R, Error>] { storage.compactMap { $0 } }
}
