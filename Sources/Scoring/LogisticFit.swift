import Foundation

/// Fits a logistic model by iteratively reweighted least squares (Newton's method) with an L2 penalty:
/// maximise Σ ωᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)] − λ/2 ‖w‖² (the bias is not penalised), with features
/// standardised first (μ, s from the weighted training rows) so one λ fits all. Each Newton step solves
/// (XᵀΩX + λI) Δ = Xᵀω(y − p) − λw by Cholesky. Deterministic: no randomness, fixed iteration order.
/// Why logistic: a few hundred labelled candidates from a handful of sources; a linear model over well-chosen
/// features extrapolates more gently to a new generator or real flights than trees would, and its output
/// reads as a probability.
public enum LogisticFit {
    public struct Row: Sendable {
        public var values: [Double]
        public var label: Bool
        public var weight: Double
        public init(values: [Double], label: Bool, weight: Double = 1) { self.values = values; self.label = label; self.weight = weight }
    }

    /// Returns (mean, scale, weights, bias). `signs[j]` = +1 / −1 keeps weight j ≥ 0 / ≤ 0 (0: free): an active
    /// set — fit, fix at 0 the most wrongly signed weight, refit — until every weight is on its side.
    /// `clip` bounds each standardised feature to [−clip, clip] in the fit as in `ScorerModel.probability`.
    public static func fit(_ rows: [Row], l2: Double, signs: [Double]? = nil, clip: Double? = nil, iterations: Int = 50) -> (mean: [Double], scale: [Double], weights: [Double], bias: Double) {
        let k = rows.first?.values.count ?? 0
        let signs = signs ?? [Double](repeating: 0, count: k)
        var fixed = Set<Int>()
        while true {
            let r = unconstrained(rows, l2: l2, fixedAtZero: fixed, clip: clip, iterations: iterations)
            let wrong = (0..<k).filter { !fixed.contains($0) && r.weights[$0] * signs[$0] < 0 }
            guard let worst = wrong.max(by: { abs(r.weights[$0]) < abs(r.weights[$1]) }) else { return r }
            fixed.insert(worst)
        }
    }

    static func unconstrained(_ rows: [Row], l2: Double, fixedAtZero: Set<Int>, clip: Double?, iterations: Int) -> (mean: [Double], scale: [Double], weights: [Double], bias: Double) {
        let k = rows.first?.values.count ?? 0
        let wsum = max(1e-12, rows.reduce(0) { $0 + $1.weight })
        var mean = [Double](repeating: 0, count: k), scale = [Double](repeating: 1, count: k)
        for j in 0..<k {
            let m = rows.reduce(0) { $0 + $1.weight * $1.values[j] } / wsum
            let v = rows.reduce(0) { $0 + $1.weight * ($1.values[j] - m) * ($1.values[j] - m) } / wsum
            mean[j] = m
            scale[j] = v > 1e-12 ? v.squareRoot() : 1
        }
        let bound = clip ?? .infinity
        let x = rows.map { r in [1.0] + (0..<k).map { min(bound, max(-bound, (r.values[$0] - mean[$0]) / scale[$0])) } }
        var beta = [Double](repeating: 0, count: k + 1)
        let positives = rows.reduce(0) { $0 + ($1.label ? $1.weight : 0) }
        beta[0] = log(max(1e-6, positives) / max(1e-6, wsum - positives))
        for _ in 0..<iterations {
            var h = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k + 1)
            var g = [Double](repeating: 0, count: k + 1)
            for (i, r) in rows.enumerated() {
                var z = 0.0
                for j in 0...k { z += beta[j] * x[i][j] }
                let p = 1 / (1 + exp(-z))
                let w = r.weight * max(1e-9, p * (1 - p))
                let resid = r.weight * ((r.label ? 1 : 0) - p)
                for a in 0...k {
                    g[a] += x[i][a] * resid
                    for b in a...k { h[a][b] += w * x[i][a] * x[i][b] }
                }
            }
            for a in 0...k { for b in 0..<a { h[a][b] = h[b][a] } }
            for a in 1...max(1, k) where a <= k { h[a][a] += l2; g[a] -= l2 * beta[a] }
            // Weights fixed at zero: their rows and columns become the identity, their gradient 0.
            for j in fixedAtZero {
                for b in 0...k { h[j + 1][b] = 0; h[b][j + 1] = 0 }
                h[j + 1][j + 1] = 1; g[j + 1] = 0
            }
            guard let step = choleskySolve(h, g) else { break }
            var change = 0.0
            for j in 0...k { beta[j] += step[j]; change = max(change, abs(step[j])) }
            if change < 1e-9 { break }
        }
        return (mean, scale, Array(beta.dropFirst()), beta[0])
    }

    /// Solves A x = b for a symmetric positive-definite A; nil if it is not.
    static func choleskySolve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 1e-12 else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i][k] * y[k] }
            y[i] = s / l[i][i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k][i] * x[k] }
            x[i] = s / l[i][i]
        }
        return x
    }
}
