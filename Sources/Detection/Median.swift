/// Median and median absolute deviation of small samples, used for robust backgrounds.
///
/// The median ignores up to half the sample being plume, boat or glint; σ ≈ 1.4826 · MAD is the
/// standard deviation of Gaussian noise estimated the same robust way.
enum Robust {
    /// Median of `values` (reordered in place). NaN if empty.
    static func median(_ values: inout [Float]) -> Float {
        let n = values.count
        if n == 0 { return .nan }
        values.sort()
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2])
    }

    /// (median, 1.4826 · MAD) of `values` (reordered in place).
    static func medianAndSigma(_ values: inout [Float]) -> (Float, Float) {
        let m = median(&values)
        if values.isEmpty { return (.nan, .nan) }
        for i in values.indices { values[i] = abs(values[i] - m) }
        return (m, 1.4826 * median(&values))
    }
}
