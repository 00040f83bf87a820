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

extension ParallelMap {
    /// Like `map` with contexts, but each result is handed to `consume` in input order as soon as it and every
    /// result before it are done, and is not kept: memory holds only results waiting for an earlier one (about
    /// one per thread, as items are taken in order). `consume` runs on the worker threads, one call at a time.
    public static func forEach<T: Sendable, R, C>(_ items: [T], threads: Int, makeContext: @Sendable () throws -> C,
                                                 _ body: @Sendable (C, T) throws -> R,
                                                 consume: @Sendable (Int, R) throws -> Void) throws {
        let order = InOrder<R>()
        let next = Counter()
        let workers = max(1, min(threads, items.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let context: C
            do { context = try makeContext() } catch { order.fail(error); return }
            while !order.failed {
                let i = next.increment()
                if i >= items.count { break }
                do { order.deliver(i, try body(context, items[i]), consume) } catch { order.fail(error) }
            }
        }
        if let error = order.error { throw error }
    }
}

/// The reorder buffer of `ParallelMap.forEach`.
final class InOrder<R>: @unchecked Sendable {
    private var waiting: [Int: R] = [:]
    private var next = 0
    private let lock = NSLock()
    private(set) var error: Error? = nil
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return error != nil }

    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }

    func deliver(_ i: Int, _ r: R, _ consume: (Int, R) throws -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard error == nil else { return }
        waiting[i] = r
        while let ready = waiting.removeValue(forKey: next) {
            do { try consume(next, ready) } catch { self.error = error; return }
            next += 1
        }
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
