// Plumes seen again beyond a bridge are not new outfalls.
extension PlumeAssembler {
    /// A plume that flows under a bridge (or past a pier or moored barge) reappears beyond it as a separate
    /// component whose "source" is the obstacle's edge. Such a plume has a stronger component of the same sign
    /// within `continuationGap` of its source; a real outfall's source has open water (background) around it.
    func isContinuation(_ plume: Plume, of component: Int, among comps: [(runs: [PixelRun], peak: Double)], kind: RunKind) -> Bool {
        let gap = parameters.continuationGap / pixelSize
        let own = kind == .colour ? plume.peakColourDistance : abs(plume.peakContrast)
        for (ci, c) in comps.enumerated() where ci != component && c.peak > own {
            for run in c.runs {
                let dy = Double(run.row) + 0.5 - plume.bankPoint.y
                guard abs(dy) <= gap else { continue }
                let dx0 = Double(run.col0) + 0.5 - plume.bankPoint.x, dx1 = Double(run.col1) - 0.5 - plume.bankPoint.x
                let dx = dx0 > 0 ? dx0 : (dx1 < 0 ? -dx1 : 0)
                guard dx * dx + dy * dy <= gap * gap else { continue }
                // Along this bank (within 45° of it), not across the river on the other bank.
                let across = abs(dx * plume.landward.x + dy * plume.landward.y)
                if across * across <= 0.5 * (dx * dx + dy * dy) || plume.landward == .zero { return true }
            }
        }
        return false
    }
}
