import Foundation

/// Throughput of the detector's SIMD kernels against their plain scalar versions on the same in-memory tile
/// (3×3 masked mean, then contrast and hysteresis levels), in megapixels per second.
public enum KernelBenchmark {
    public struct Result: Sendable, Codable {
        public var pixels: Int
        public var repetitions: Int
        public var simdMpxPerSecond: Double
        public var scalarMpxPerSecond: Double
        public var speedup: Double { simdMpxPerSecond / scalarMpxPerSecond }
    }

    /// A reproducible tile: water (with NaN holes) and land, noisy temperatures.
    static func tile(size: Int) -> (values: [Float], use: [UInt8], background: [Float], sigma: [Float]) {
        let n = size * size
        var v = [Float](repeating: 0, count: n), u = [UInt8](repeating: 0, count: n)
        var state: UInt64 = 0x9E3779B97F4A7C15
        for i in 0..<n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(state >> 40) / Float(1 << 24) - 0.5
            v[i] = i % 101 == 0 ? .nan : 15 + noise
            u[i] = (i / size) % 7 == 0 ? 0 : 1
        }
        return (v, u, [Float](repeating: 15, count: n), [Float](repeating: 0.1, count: n))
    }

    public static func run(size: Int = 1024, repetitions: Int = 10) -> Result {
        let (v, u, b, g) = tile(size: size)
        let n = size * size
        var smoothed = [Float](repeating: 0, count: n), c = smoothed, s = smoothed, gr = smoothed
        func time(_ body: () -> Void) -> Double {
            body()  // warm up
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repetitions { body() }
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        let simd = time {
            v.withUnsafeBufferPointer { vp in u.withUnsafeBufferPointer { up in b.withUnsafeBufferPointer { bp in g.withUnsafeBufferPointer { gp in
                smoothed.withUnsafeMutableBufferPointer { BoxFilter.mean3x3(vp, use: up, width: size, height: size, into: $0) }
                smoothed.withUnsafeBufferPointer { sp in c.withUnsafeMutableBufferPointer { cp in s.withUnsafeMutableBufferPointer { dp in gr.withUnsafeMutableBufferPointer { rp in
                    ContrastKernel.run(smoothed: sp, background: bp, sigma: gp, use: up, seedMin: 0.6, seedK: 2, growMin: 0.25, growK: 1, contrast: cp, seed: dp, grow: rp)
                } } } }
            } } } }
        }
        let scalar = time {
            v.withUnsafeBufferPointer { vp in u.withUnsafeBufferPointer { up in b.withUnsafeBufferPointer { bp in g.withUnsafeBufferPointer { gp in
                smoothed.withUnsafeMutableBufferPointer { ScalarKernels.mean3x3(vp, use: up, width: size, height: size, into: $0) }
                smoothed.withUnsafeBufferPointer { sp in c.withUnsafeMutableBufferPointer { cp in s.withUnsafeMutableBufferPointer { dp in gr.withUnsafeMutableBufferPointer { rp in
                    ScalarKernels.contrast(smoothed: sp, background: bp, sigma: gp, use: up, seedMin: 0.6, seedK: 2, growMin: 0.25, growK: 1, contrast: cp, seed: dp, grow: rp)
                } } } }
            } } } }
        }
        let mpx = Double(n * repetitions) / 1e6
        return Result(pixels: n, repetitions: repetitions, simdMpxPerSecond: mpx / simd, scalarMpxPerSecond: mpx / scalar)
    }
}
