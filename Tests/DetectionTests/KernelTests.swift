import Testing
@testable import Detection

/// The SIMD kernels compute exactly what their scalar references compute.
@Suite struct KernelTests {
    @Test(arguments: [5, 8, 13, 64])
    func boxFilterMatchesScalar(size: Int) {
        let (v, u, _, _) = KernelBenchmark.tile(size: size)
        var a = [Float](repeating: 0, count: size * size), b = a
        v.withUnsafeBufferPointer { vp in u.withUnsafeBufferPointer { up in
            a.withUnsafeMutableBufferPointer { BoxFilter.mean3x3(vp, use: up, width: size, height: size, into: $0) }
            b.withUnsafeMutableBufferPointer { ScalarKernels.mean3x3(vp, use: up, width: size, height: size, into: $0) }
        } }
        #expect(zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(a.contains { $0.isNaN } && a.contains { $0.isFinite })
    }

    @Test func contrastMatchesScalar() {
        let size = 37
        let (v, u, bg, sg) = KernelBenchmark.tile(size: size)
        let n = size * size
        var c1 = [Float](repeating: 0, count: n), s1 = c1, g1 = c1, c2 = c1, s2 = c1, g2 = c1
        v.withUnsafeBufferPointer { vp in u.withUnsafeBufferPointer { up in bg.withUnsafeBufferPointer { bp in sg.withUnsafeBufferPointer { gp in
            c1.withUnsafeMutableBufferPointer { c in s1.withUnsafeMutableBufferPointer { s in g1.withUnsafeMutableBufferPointer { g in
                ContrastKernel.run(smoothed: vp, background: bp, sigma: gp, use: up, seedMin: 0.6, seedK: 9, growMin: 0.25, growK: 1, contrast: c, seed: s, grow: g)
            } } }
            c2.withUnsafeMutableBufferPointer { c in s2.withUnsafeMutableBufferPointer { s in g2.withUnsafeMutableBufferPointer { g in
                ScalarKernels.contrast(smoothed: vp, background: bp, sigma: gp, use: up, seedMin: 0.6, seedK: 9, growMin: 0.25, growK: 1, contrast: c, seed: s, grow: g)
            } } }
        } } } }
        #expect(c1 == c2 && s1 == s2 && g1 == g2)
    }

    @Test func benchmarkReportsBothThroughputs() {
        let r = KernelBenchmark.run(size: 64, repetitions: 2)
        #expect(r.simdMpxPerSecond > 0 && r.scalarMpxPerSecond > 0 && r.pixels == 4096)
    }
}
