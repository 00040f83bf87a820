/// The robust local water background of one channel, on cells aligned to the global grid.
///
/// Maths: for cell k (side C px), m_k = median of the channel over the cell's water pixels (cells with less
/// than a quarter water have none); the background at cell k is B_k = median{ m_j : |j − k|∞ ≤ r }, and the
/// noise σ_k = median of the cells' 1.4826·MAD. A pixel's background is the bilinear interpolation of B between
/// the four nearest cell centres. Because cells are aligned to global pixel coordinates and the tile halo covers
/// (r + 2)·C pixels, a core pixel's background is the same whatever the tiling.
struct CellBackground {
    let cell: Int
    let cellsX: Int, cellsY: Int
    /// Global cell index of the buffer's first cell.
    let cellCol0: Int, cellRow0: Int
    /// Neighbourhood background and noise per cell (NaN: no water near).
    var background: [Float]
    var sigma: [Float]

    /// - Parameters: `values` row-major over the tile buffer (bytes are read as their Float value: a colour plane
    ///   straight from the tile's bytes, without a widened copy of it, 4 bytes a pixel); `use` 1 where the pixel
    ///   counts.
    init<V: CellSample>(values: UnsafeBufferPointer<V>, use: UnsafeBufferPointer<UInt8>, tile: SceneTile, cell: Int, radius: Int) {
        self.cell = cell
        precondition(tile.originCol % cell == 0 && tile.originRow % cell == 0, "tile buffers start on the cell grid")
        cellCol0 = tile.originCol / cell
        cellRow0 = tile.originRow / cell
        cellsX = (tile.width + cell - 1) / cell
        cellsY = (tile.height + cell - 1) / cell
        var medians = [Float](repeating: .nan, count: cellsX * cellsY)
        var sigmas = [Float](repeating: .nan, count: cellsX * cellsY)
        var scratch: [Float] = []
        scratch.reserveCapacity(cell * cell)
        let w = tile.width
        for cy in 0..<cellsY {
            for cx in 0..<cellsX {
                scratch.removeAll(keepingCapacity: true)
                let r0 = cy * cell, r1 = min(tile.height, r0 + cell)
                let c0 = cx * cell, c1 = min(w, c0 + cell)
                for r in r0..<r1 {
                    for c in c0..<c1 where use[r * w + c] != 0 {
                        let v = values[r * w + c].sample
                        if v.isFinite { scratch.append(v) }
                    }
                }
                if scratch.count * 4 >= cell * cell {
                    let (m, s) = Robust.medianAndSigma(&scratch)
                    medians[cy * cellsX + cx] = m
                    sigmas[cy * cellsX + cx] = s
                }
            }
        }
        background = [Float](repeating: .nan, count: cellsX * cellsY)
        sigma = [Float](repeating: .nan, count: cellsX * cellsY)
        for cy in 0..<cellsY {
            for cx in 0..<cellsX {
                scratch.removeAll(keepingCapacity: true)
                var sig: [Float] = []
                for ny in max(0, cy - radius)...min(cellsY - 1, cy + radius) {
                    for nx in max(0, cx - radius)...min(cellsX - 1, cx + radius) {
                        let m = medians[ny * cellsX + nx]
                        if !m.isNaN { scratch.append(m); sig.append(sigmas[ny * cellsX + nx]) }
                    }
                }
                if !scratch.isEmpty {
                    background[cy * cellsX + cx] = Robust.median(&scratch)
                    sigma[cy * cellsX + cx] = Robust.median(&sig)
                }
            }
        }
    }

    /// Bilinear interpolation of a per-cell field at buffer pixel (col, row); NaN corners are skipped.
    @inline(__always)
    func interpolate(_ field: UnsafeBufferPointer<Float>, col: Int, row: Int) -> Float {
        let half = Float(cell - 1) * 0.5
        let fx = (Float(col) - half) / Float(cell), fy = (Float(row) - half) / Float(cell)
        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
        let tx = fx - Float(x0), ty = fy - Float(y0)
        let xa = min(max(x0, 0), cellsX - 1), xb = min(max(x0 + 1, 0), cellsX - 1)
        let ya = min(max(y0, 0), cellsY - 1), yb = min(max(y0 + 1, 0), cellsY - 1)
        var sum: Float = 0, wsum: Float = 0
        @inline(__always) func add(_ x: Int, _ y: Int, _ wgt: Float) {
            let v = field[y * cellsX + x]
            if wgt > 0 && !v.isNaN { sum += v * wgt; wsum += wgt }
        }
        add(xa, ya, (1 - tx) * (1 - ty))
        add(xb, ya, tx * (1 - ty))
        add(xa, yb, (1 - tx) * ty)
        add(xb, yb, tx * ty)
        return wsum > 0 ? sum / wsum : .nan
    }

    /// The interpolated field over the whole buffer (row-major `width × height`).
    func field(_ values: [Float], width: Int, height: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: width * height)
        values.withUnsafeBufferPointer { f in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<height {
                    for c in 0..<width { o[r * width + c] = interpolate(f, col: c, row: r) }
                }
            }
        }
        return out
    }
}

/// A value `CellBackground` reads, as Float (a byte's exact value).
protocol CellSample { var sample: Float { get } }
extension Float: CellSample { @inline(__always) var sample: Float { self } }
extension UInt8: CellSample { @inline(__always) var sample: Float { Float(self) } }
