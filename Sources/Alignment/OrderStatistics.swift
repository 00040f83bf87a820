/// The k-th smallest of an array without sorting it all (quickselect: O(n) on average, not O(n log n)).
/// Returns exactly the value `a.sorted()[k]` would give (values that compare equal are interchangeable), so
/// medians and quantiles taken this way change no result; `a` is reordered.
enum OrderStatistics {
    /// The k-th smallest (0-based) of `a[lo..<hi]`, leaving it at index k, every element before it ≤ it and every
    /// element after it ≥ it (so a larger k can be selected next from k on). Values must be ordered (no NaN).
    static func select(_ a: inout [Float], _ k: Int, from lo0: Int = 0, to hi0: Int? = nil) -> Float {
        var lo = lo0, hi = (hi0 ?? a.count) - 1
        precondition(k >= lo && k <= hi)
        a.withUnsafeMutableBufferPointer { p in
            while hi > lo {
                // Median of three as the pivot (deterministic: the result is the same value whatever the order).
                let mid = lo + (hi - lo) / 2
                if p[mid] < p[lo] { p.swapAt(mid, lo) }
                if p[hi] < p[lo] { p.swapAt(hi, lo) }
                if p[hi] < p[mid] { p.swapAt(hi, mid) }
                let pivot = p[mid]
                var i = lo, j = hi
                while i <= j {
                    while p[i] < pivot { i += 1 }
                    while pivot < p[j] { j -= 1 }
                    if i <= j { p.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
        }
        return a[k]
    }
}
