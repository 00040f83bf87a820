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
        #expect(r.kernels.count == 3 && r.kernels.allSatisfy { $0.simdMpxPerSecond > 0 && $0.scalarMpxPerSecond > 0 })
        #expect(r.copyGigabytesPerSecond > 0)
    }

    /// Runs `ColourKernel` (or its scalar twin) over pixels `range` of the colour tile.
    func colour(_ p: [[Float]], use: [UInt8], _ range: Range<Int>, simd: Bool) -> [[Float]] {
        let m = range.count
        var out0 = [Float](repeating: -1, count: m), out1 = out0, out2 = out0
        let o = range.lowerBound
        p[0].withUnsafeBufferPointer { r in p[1].withUnsafeBufferPointer { g in p[2].withUnsafeBufferPointer { b in
            p[3].withUnsafeBufferPointer { br in p[4].withUnsafeBufferPointer { bg in p[5].withUnsafeBufferPointer { bb in
                use.withUnsafeBufferPointer { u in out0.withUnsafeMutableBufferPointer { d in out1.withUnsafeMutableBufferPointer { k in
                    out2.withUnsafeMutableBufferPointer { l in
                        let f = simd ? ColourKernel.run : ScalarKernels.colour
                        f(r.baseAddress! + o, g.baseAddress! + o, b.baseAddress! + o, br.baseAddress! + o, bg.baseAddress! + o, bb.baseAddress! + o,
                          u.baseAddress! + o, m, d.baseAddress!, k.baseAddress!, l.baseAddress!)
                    }
                } } }
            } } }
        } } }
        return [out0, out1, out2]
    }

    /// The SIMD colour kernel (Newton cube root) agrees with the scalar twin (libm cbrtf) within 1e-3 in ΔE
    /// and ΔL* (CIELAB units; 1 is a just-noticeable difference) and within 0.01 in the shadow score, with the
    /// same pixels left out.
    @Test func colourMatchesScalarWithinTolerance() {
        let n = 4099
        let p = KernelBenchmark.colourTile(count: n)
        let use = (0..<n).map { UInt8($0 % 13 == 0 ? 0 : 1) }
        let a = colour(p, use: use, 0..<n, simd: true), b = colour(p, use: use, 0..<n, simd: false)
        for k in 0..<3 {
            let tol: Float = k == 1 ? 0.01 : 1e-3
            let worst = zip(a[k], b[k]).map { abs($0 - $1) }.max()!
            #expect(worst <= tol, "output \(k): largest difference \(worst)")
        }
        #expect(zip(a[0], b[0]).allSatisfy { ($0 == 0) == ($1 == 0) })
        #expect(a[1].contains { $0 > 0 } && a[0].contains { $0 > 10 })
    }

    /// A pixel's colour evidence does not depend on where its span starts (tail lanes run the same arithmetic):
    /// what makes the candidates independent of the tiling.
    @Test(arguments: [1, 3, 7, 8, 11])
    func colourDoesNotDependOnSpanStart(offset: Int) {
        let n = 203
        let p = KernelBenchmark.colourTile(count: n)
        let use = [UInt8](repeating: 1, count: n)
        let whole = colour(p, use: use, 0..<n, simd: true), part = colour(p, use: use, offset..<n, simd: true)
        for k in 0..<3 { #expect(Array(whole[k][offset...]) == part[k]) }
    }
}
