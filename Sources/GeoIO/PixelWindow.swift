/// A rectangle of pixels: columns `col ..< col+width`, rows `row ..< row+height`.
public struct PixelWindow: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var col: Int, row: Int, width: Int, height: Int

    public init(col: Int, row: Int, width: Int, height: Int) {
        self.col = col; self.row = row; self.width = width; self.height = height
    }

    public var pixelCount: Int { width * height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var maxCol: Int { col + width }
    public var maxRow: Int { row + height }

    /// The overlap of two windows (possibly empty).
    public func intersection(_ o: PixelWindow) -> PixelWindow {
        let c0 = max(col, o.col), r0 = max(row, o.row)
        let c1 = min(maxCol, o.maxCol), r1 = min(maxRow, o.maxRow)
        return PixelWindow(col: c0, row: r0, width: max(0, c1 - c0), height: max(0, r1 - r0))
    }

    /// The window grown by `margin` pixels on every side.
    public func expanded(by margin: Int) -> PixelWindow {
        PixelWindow(col: col - margin, row: row - margin, width: width + 2 * margin, height: height + 2 * margin)
    }

    public var description: String { "\(width)x\(height)+\(col)+\(row)" }
}
