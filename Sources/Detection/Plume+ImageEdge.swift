/// Where a plume's source cannot be observed.
extension Plume {
    /// How close (m) to the detection grid's border an outfall point may lie.
    public static let imageEdgeMargin = 1.0

    /// The plumes whose outfall point lies at least `imageEdgeMargin` (and a pixel) inside the grid of
    /// `width` × `height` pixels. A source placed on the border is where the image cuts a plume that enters from
    /// outside, not where it starts: the bank profile ends there (so `sourceOnBank` takes the border for the
    /// plume's upstream edge), and the one-sidedness the scorer weighs is the cut's, not the current's. A hard
    /// rule because nothing about such a source is observed; the neighbouring flight or frame sees it whole.
    /// Measured: of the candidates ≥ 0.5 on the border, 6 of 6 on the gen3 scenes and every one on the real
    /// frames (all < 0.5 there) were false; none on the foreign scenes.
    public static func awayFromImageEdge(_ plumes: [Plume], width: Int, height: Int, pixelSize: Double) -> [Plume] {
        let m = max(1, imageEdgeMargin / pixelSize)
        return plumes.filter { p in
            let x = p.bankPoint.x, y = p.bankPoint.y
            let keep = x >= m && y >= m && x <= Double(width) - m && y <= Double(height) - m
            if !keep { PlumeAssembler.debugEdge(x, y, width, height) }
            return keep
        }
    }
}
