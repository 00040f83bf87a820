import Foundation

/// One true outfall of a synthetic scene.
public struct TruthOutfall: Sendable, Codable, Equatable {
    /// "T001", "T002", … numbered in downstream order.
    public let id: String
    /// Projected coordinates of the outfall point ON THE WATERLINE (on the river polygon boundary), where the
    /// plume starts. The pipe mouth / culvert / ditch is on the land side of this point (within ~1 m).
    public let x: Double, y: Double
    /// Thermal contrast at the source in °C, signed (+ warmer than the river). 0 for visible-only outfalls.
    public let thermalContrast: Double
    /// Colour plume: "dark", "brown", "foam", "algal", or nil (no colour plume: thermal only).
    public let colour: String?
    /// "left" or "right" bank, facing downstream.
    public let bank: String
    /// e-folding length (m) of the thermal plume along the bank (of the colour plume for visible-only ones):
    /// contrast(s) = A·exp(−s/L). The plume is traceable for roughly L·ln(|A|/0.3 °C).
    public let plumeLength: Double
    /// Distance (m) along the river centreline from the upstream edge of the ortho, at the outfall.
    public let chainage: Double
    /// Final lateral spread σ (m) of the plume (it grows from 1.5 m at the source to this value).
    public let plumeWidth: Double
    /// Colour blend fraction at the source (0…1; 0 when `colour` is nil).
    public let colourStrength: Double
    /// "pipe", "culvert" or "ditch": what is drawn on the bank (dark mouth; a ditch is a channel up to ~35 m long).
    public let structure: String
    /// True when the mouth (or the ditch) also shows the discharge temperature on land: a 1 m hot/cold spot.
    public let mouthThermalSpot: Bool

    public init(id: String, x: Double, y: Double, thermalContrast: Double, colour: String?, bank: String,
                plumeLength: Double, chainage: Double = 0, plumeWidth: Double = 0, colourStrength: Double = 0,
                structure: String = "pipe", mouthThermalSpot: Bool = false) {
        self.id = id; self.x = x; self.y = y; self.thermalContrast = thermalContrast; self.colour = colour
        self.bank = bank; self.plumeLength = plumeLength; self.chainage = chainage; self.plumeWidth = plumeWidth
        self.colourStrength = colourStrength; self.structure = structure; self.mouthThermalSpot = mouthThermalSpot
    }

    /// True when the outfall has a thermal sign.
    public var isThermal: Bool { thermalContrast != 0 }
}

/// A look-alike placed in the scene (never an outfall). Useful to explain false positives.
public struct DistractorTruth: Sendable, Codable, Equatable {
    /// "warm_margin", "cool_margin", "boat", "glint", "debris", "bridge", "bridge_shadow", "cloud_shadow", "pier",
    /// "veg_mat", "tree" (centre of the part over the water; `width` is how far it reaches into the water).
    public let kind: String
    /// Projected coordinates of its centre (for margins: the middle of the stretch, on the waterline).
    public let x: Double, y: Double
    /// Chainage (m along the centreline from the upstream ortho edge) of the centre.
    public let chainage: Double
    /// Extent along the river and across it (m).
    public let length: Double, width: Double
    /// Thermal contrast against the water background (°C, signed; 0 for RGB-only distractors).
    public let thermalContrast: Double
    /// "left"/"right" for bank-attached ones (margins), nil otherwise.
    public let bank: String?

    public init(kind: String, x: Double, y: Double, chainage: Double, length: Double, width: Double,
                thermalContrast: Double, bank: String?) {
        self.kind = kind; self.x = x; self.y = y; self.chainage = chainage; self.length = length; self.width = width
        self.thermalContrast = thermalContrast; self.bank = bank
    }
}

/// One thermal tile (a frame of the thermal camera, already north-up and georeferenced).
public struct ThermalTileSpec: Sendable, Codable, Equatable {
    /// Index into `SyntheticScene.thermalTiles` (the `tile` argument of `thermalCelsius`).
    public let index: Int
    /// Position in the regular tile grid (row 0 = north), before empty tiles were dropped.
    public let gridRow: Int, gridCol: Int
    /// Projected coordinates of the tile's top-left corner.
    public let originX: Double, originY: Double
    /// Size in pixels.
    public let width: Int, height: Int
    /// Ground pixel size (m).
    public let pixelSize: Double
    /// The calibration bias (°C) this tile adds to every sample (truth; seams between tiles come from it).
    public let calibrationBias: Double

    public init(index: Int, gridRow: Int, gridCol: Int, originX: Double, originY: Double, width: Int, height: Int,
                pixelSize: Double, calibrationBias: Double) {
        self.index = index; self.gridRow = gridRow; self.gridCol = gridCol; self.originX = originX
        self.originY = originY; self.width = width; self.height = height; self.pixelSize = pixelSize
        self.calibrationBias = calibrationBias
    }

    /// GDAL order: [originX, pixelSize, 0, originY, 0, −pixelSize].
    public var geoTransform: [Double] { [originX, pixelSize, 0, originY, 0, -pixelSize] }
    /// A stable name, e.g. "TH_r00_c02".
    public var name: String {
        "TH_r" + (gridRow < 10 ? "0" : "") + String(gridRow) + "_c" + (gridCol < 10 ? "0" : "") + String(gridCol)
    }
    public func contains(x: Double, y: Double) -> Bool {
        x >= originX && x < originX + Double(width) * pixelSize && y <= originY && y > originY - Double(height) * pixelSize
    }
}

/// How the river flows.
public struct FlowDirection: Sendable, Codable, Equatable {
    /// The river centreline in projected coordinates, ordered from upstream to downstream (the water flows in
    /// vertex order), one vertex every ~2 m, clipped to the ortho extent.
    public let centreline: [SIMD2<Double>]
    /// True when the river flows towards +x (east, left→right in the ortho); false for towards −x.
    public let towardsEast: Bool
    /// Azimuth of the straight line from the upstream to the downstream end, degrees clockwise from grid north.
    public let meanAzimuthDegrees: Double

    public init(centreline: [SIMD2<Double>], towardsEast: Bool, meanAzimuthDegrees: Double) {
        self.centreline = centreline; self.towardsEast = towardsEast; self.meanAzimuthDegrees = meanAzimuthDegrees
    }
}

/// A point expressed in the river's own frame.
public struct RiverCoordinates: Sendable, Equatable {
    /// Distance (m) along the centreline from the upstream edge of the ortho, increasing downstream.
    public let chainage: Double
    /// Signed distance (m) from the centreline, positive towards the left bank (facing downstream).
    public let offset: Double
    /// Signed distance (m) to the nearer bank: > 0 in the water, < 0 on land.
    public let bankDistance: Double
    /// The bank on the point's side of the centreline: "left" or "right".
    public let bank: String
    /// Unit vector of the downstream direction at this chainage (projected x, y).
    public let downstream: SIMD2<Double>

    public var isWater: Bool { bankDistance > 0 }
}
