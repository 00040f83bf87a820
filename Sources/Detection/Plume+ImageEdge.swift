/// Where a plume's source cannot be observed.
extension Plume {
    /// How close (m) to unseen ground (beyond the detection grid's border, or nodata inside it) an outfall
    /// point may lie.
    public static let imageEdgeMargin = 1.0

    /// The plumes whose outfall point lies farther than `imageEdgeMargin` (and at least a pixel) from anything
    /// the imagery does not show: the grid of `width` × `height` pixels ends, or `validity` (0/1 for a window
    /// `col, row, width, height` of the grid, as the detector saw it: the orthomosaic's footprint, or the
    /// thermal data's without one) says nodata. A source placed there is where the image cuts a plume that
    /// enters from outside, not where it starts: the bank profile ends there (so `sourceOnBank` takes the cut for
    /// the plume's upstream edge), and the one-sidedness the scorer weighs is the cut's, not the current's. A
    /// hard rule because nothing about such a source is observed; the neighbouring flight or frame sees it whole.
    ///
    /// The distance is to the nearest unseen pixel's square (pixel `c` spans [c, c + 1)), so the grid's border
    /// and a nodata edge inside it are the same rule. Measured: of the candidates ≥ 0.5 on the grid's border, 6
    /// of 6 on the gen3 scenes and every one on the real frames (all < 0.5 there) were false, none on the
    /// foreign scenes; within 1 m of the footprint's nodata edge inside the raster (gen3), 4 of 4 candidates ≥ 0.1
    /// were false (0.39 to 0.90), and the one true outfall near such an edge lies 3.5 m from it.
    public static func awayFromUnseen(_ plumes: [Plume], width: Int, height: Int, pixelSize: Double,
                                      validity: ((_ col: Int, _ row: Int, _ width: Int, _ height: Int) throws -> [UInt8])? = nil) rethrows -> [Plume] {
        let m = max(1, imageEdgeMargin / pixelSize)
        return try plumes.filter { p in
            let x = p.bankPoint.x, y = p.bankPoint.y
            var keep = x >= m && y >= m && x <= Double(width) - m && y <= Double(height) - m
            if keep, let validity {
                let c0 = Int((x - m).rounded(.down)), c1 = Int((x + m).rounded(.down))
                let r0 = Int((y - m).rounded(.down)), r1 = Int((y + m).rounded(.down))
                let ww = c1 - c0 + 1, v = try validity(c0, r0, ww, r1 - r0 + 1)
                search: for r in r0...r1 {
                    for c in c0...c1 where v[(r - r0) * ww + (c - c0)] == 0 {
                        // Distance from (x, y) to the square [c, c + 1) × [r, r + 1).
                        let dx = max(Double(c) - x, 0, x - Double(c + 1)), dy = max(Double(r) - y, 0, y - Double(r + 1))
                        if dx * dx + dy * dy < m * m { keep = false; break search }
                    }
                }
            }
            if !keep { PlumeAssembler.debugEdge(x, y, width, height) }
            return keep
        }
    }
}
