/// 3×3 mean over the pixels where `use` is set and the value is finite; others get NaN.
///
/// Averaging nine pixels divides uncorrelated sensor noise by three, so a 1 °C plume stands ~3× clearer
/// against noise; restricting to water keeps hot banks from bleeding into the river.
/// The SIMD version works 8 pixels at a time: masked values and counts, a horizontal 3-sum from shifted loads,
/// then a vertical 3-sum. It streams: only three rows of horizontal sums are held (a ring), so the filter
/// needs a few rows of scratch, not four tile-sized arrays, and those rows stay in cache.
/// `ScalarKernels.mean3x3` is the same sums in the same order, one pixel at a time.
enum BoxFilter {
    typealias V = SIMD8<Float>

    static func mean3x3(_ v: UnsafeBufferPointer<Float>, use: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int,
                        into out: UnsafeMutableBufferPointer<Float>) {
        guard w > 0, h > 0 else { return }
        var rows = Mean3x3Rows(width: w, height: h)
        for r in 0..<h {
            rows.row(r, use: use, values: { UnsafeBufferPointer(rebasing: v[($0 * w)..<($0 * w + w)]) },
                     into: UnsafeMutableBufferPointer(rebasing: out[(r * w)..<(r * w + w)]))
        }
    }

    @inline(__always) static func load(_ b: UnsafeBufferPointer<Float>, _ i: Int) -> V {
        UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: V.self)
    }
    @inline(__always) static func load(_ b: UnsafeMutableBufferPointer<Float>, _ i: Int) -> V {
        UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: V.self)
    }
    @inline(__always) static func store(_ v: V, _ b: UnsafeMutableBufferPointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(b.baseAddress! + i).storeBytes(of: v, as: V.self)
    }
}

/// Contrast against the background and the per-pixel hysteresis levels, 8 pixels at a time:
/// c = s − B where both are finite and the pixel is used; seed = max(seedMin, kSeed·σ), grow likewise.
enum ContrastKernel {
    typealias V = SIMD8<Float>

    static func run(smoothed s: UnsafeBufferPointer<Float>, background b: UnsafeBufferPointer<Float>,
                    sigma: UnsafeBufferPointer<Float>, use: UnsafeBufferPointer<UInt8>,
                    seedMin: Float, seedK: Float, growMin: Float, growK: Float,
                    contrast: UnsafeMutableBufferPointer<Float>, seed: UnsafeMutableBufferPointer<Float>,
                    grow: UnsafeMutableBufferPointer<Float>) {
        let n = s.count
        var i = 0
        let inf = V(repeating: .infinity)
        while i + 8 <= n {
            let sv = BoxFilter.load(s, i), bv = BoxFilter.load(b, i), sg = BoxFilter.load(sigma, i)
            let u = V(UnsafeRawPointer(use.baseAddress! + i).loadUnaligned(as: SIMD8<UInt8>.self))
            // x − x is 0 for finite x and NaN otherwise; NaN fails every comparison.
            let ok = (u .!= 0) .& ((sv - sv) .== 0) .& ((bv - bv) .== 0)
            let c = (sv - bv).replacing(with: 0, where: .!ok)
            let sd = pointwiseMax(V(repeating: seedMin), seedK * sg).replacing(with: inf, where: .!ok)
            let gr = pointwiseMax(V(repeating: growMin), growK * sg).replacing(with: inf, where: .!ok)
            BoxFilter.store(c, contrast, i); BoxFilter.store(sd, seed, i); BoxFilter.store(gr, grow, i)
            i += 8
        }
        while i < n {
            ScalarKernels.contrastOne(i, s, b, sigma, use, seedMin, seedK, growMin, growK, contrast, seed, grow)
            i += 1
        }
    }
}

/// The plain scalar versions of the SIMD kernels: same maths, same summation order. They are the baseline of
/// the kernel benchmark and the reference the SIMD kernels are tested against.
public enum ScalarKernels {
    static func mean3x3(_ v: UnsafeBufferPointer<Float>, use: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int,
                        into out: UnsafeMutableBufferPointer<Float>) {
        func mv(_ r: Int, _ c: Int) -> Float { c < 0 || c >= w ? 0 : (use[r * w + c] != 0 && v[r * w + c].isFinite ? v[r * w + c] : 0) }
        func mc(_ r: Int, _ c: Int) -> Float { c < 0 || c >= w ? 0 : (use[r * w + c] != 0 && v[r * w + c].isFinite ? 1 : 0) }
        var hs = [Float](repeating: 0, count: w * h), hc = hs
        for r in 0..<h {
            for c in 0..<w {
                hs[r * w + c] = (mv(r, c - 1) + mv(r, c)) + mv(r, c + 1)
                hc[r * w + c] = (mc(r, c - 1) + mc(r, c)) + mc(r, c + 1)
            }
        }
        for r in 0..<h {
            let up = max(r - 1, 0), dn = min(r + 1, h - 1)
            for c in 0..<w {
                var s = hs[r * w + c], k = hc[r * w + c]
                if up != r { s += hs[up * w + c]; k += hc[up * w + c] }
                if dn != r { s += hs[dn * w + c]; k += hc[dn * w + c] }
                out[r * w + c] = mc(r, c) != 0 ? s / k : .nan
            }
        }
    }

    @inline(__always)
    static func contrastOne(_ i: Int, _ s: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ sigma: UnsafeBufferPointer<Float>,
                            _ use: UnsafeBufferPointer<UInt8>, _ seedMin: Float, _ seedK: Float, _ growMin: Float, _ growK: Float,
                            _ contrast: UnsafeMutableBufferPointer<Float>, _ seed: UnsafeMutableBufferPointer<Float>,
                            _ grow: UnsafeMutableBufferPointer<Float>) {
        let ok = use[i] != 0 && s[i].isFinite && b[i].isFinite
        contrast[i] = ok ? s[i] - b[i] : 0
        seed[i] = ok ? max(seedMin, seedK * sigma[i]) : .infinity
        grow[i] = ok ? max(growMin, growK * sigma[i]) : .infinity
    }

    static func contrast(smoothed s: UnsafeBufferPointer<Float>, background b: UnsafeBufferPointer<Float>,
                         sigma: UnsafeBufferPointer<Float>, use: UnsafeBufferPointer<UInt8>,
                         seedMin: Float, seedK: Float, growMin: Float, growK: Float,
                         contrast: UnsafeMutableBufferPointer<Float>, seed: UnsafeMutableBufferPointer<Float>,
                         grow: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<s.count { contrastOne(i, s, b, sigma, use, seedMin, seedK, growMin, growK, contrast, seed, grow) }
    }
}

/// `BoxFilter.mean3x3` one output row at a time, rows in order (`mean3x3` is this for every row): the same sums
/// in the same order. Only three rows of masked values and of horizontal sums are held (a ring), and the
/// caller gives one input row at a time (`values(row)`, e.g. converted from bytes into a scratch row), so a
/// tile's smoothed planes need not exist: each row is made when the kernels that use it run.
struct Mean3x3Rows {
    typealias V = SIMD8<Float>
    let w: Int, h: Int
    private var mvRing: [Float], mcRing: [Float], hsRing: [Float], hcRing: [Float]
    /// Rows whose horizontal sums are made (each once, in order).
    private var made = 0

    init(width: Int, height: Int) {
        w = width; h = height
        // Per ring slot: masked values and counts of one row padded by a zero column each side, and their
        // horizontal 3-sums.
        mvRing = [Float](repeating: 0, count: 3 * (width + 2)); mcRing = mvRing
        hsRing = [Float](repeating: 0, count: 3 * width); hcRing = hsRing
    }

    /// Row `r` of the mean into `out` (w values); `r` must be 0, 1, 2, … in turn. `values(k)` gives input row k
    /// (w values; valid until the next call), `use` the whole tile's mask.
    mutating func row(_ r: Int, use: UnsafeBufferPointer<UInt8>, values: (Int) -> UnsafeBufferPointer<Float>,
                      into out: UnsafeMutableBufferPointer<Float>) {
        let w = self.w, h = self.h, pw = w + 2
        let last = min(r + 1, h - 1)
        mvRing.withUnsafeMutableBufferPointer { mv in mcRing.withUnsafeMutableBufferPointer { mc in
            hsRing.withUnsafeMutableBufferPointer { hs in hcRing.withUnsafeMutableBufferPointer { hc in
                while made <= last {
                    let k = made
                    made += 1
                    let v = values(k)
                    let p = (k % 3) * pw, o = (k % 3) * w, src = k * w
                    for c in 0..<w {
                        let x = v[c]
                        let ok = use[src + c] != 0 && x.isFinite
                        mv[p + c + 1] = ok ? x : 0
                        mc[p + c + 1] = ok ? 1 : 0
                    }
                    var c = 0
                    while c + 8 <= w {
                        let s = (BoxFilter.load(mv, p + c) + BoxFilter.load(mv, p + c + 1)) + BoxFilter.load(mv, p + c + 2)
                        let n = (BoxFilter.load(mc, p + c) + BoxFilter.load(mc, p + c + 1)) + BoxFilter.load(mc, p + c + 2)
                        BoxFilter.store(s, hs, o + c); BoxFilter.store(n, hc, o + c)
                        c += 8
                    }
                    while c < w {
                        hs[o + c] = (mv[p + c] + mv[p + c + 1]) + mv[p + c + 2]
                        hc[o + c] = (mc[p + c] + mc[p + c + 1]) + mc[p + c + 2]
                        c += 1
                    }
                }
                let up = max(r - 1, 0), dn = min(r + 1, h - 1)
                let o = (r % 3) * w, ou = (up % 3) * w, od = (dn % 3) * w, p = (r % 3) * pw
                var c = 0
                while c + 8 <= w {
                    var s = BoxFilter.load(hs, o + c), k = BoxFilter.load(hc, o + c)
                    if up != r { s += BoxFilter.load(hs, ou + c); k += BoxFilter.load(hc, ou + c) }
                    if dn != r { s += BoxFilter.load(hs, od + c); k += BoxFilter.load(hc, od + c) }
                    let centre = BoxFilter.load(mc, p + c + 1)
                    let m = (s / k).replacing(with: .nan, where: centre .== 0)
                    BoxFilter.store(m, out, c)
                    c += 8
                }
                while c < w {
                    var s = hs[o + c], k = hc[o + c]
                    if up != r { s += hs[ou + c]; k += hc[ou + c] }
                    if dn != r { s += hs[od + c]; k += hc[od + c] }
                    out[c] = mc[p + c + 1] != 0 ? s / k : .nan
                    c += 1
                }
            } }
        } }
    }
}
