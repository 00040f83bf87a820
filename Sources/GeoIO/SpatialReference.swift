import CGDAL

/// A coordinate reference system (OGR spatial reference), always in traditional GIS axis order:
/// x = easting or longitude, y = northing or latitude, whatever the authority says.
public final class SpatialReference: @unchecked Sendable {
    // Immutable after init; OSR objects may be read from several threads once built.
    let handle: OGRSpatialReferenceH

    init(adopting handle: OGRSpatialReferenceH) {
        self.handle = handle
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    /// A CRS from anything `OSRSetFromUserInput` takes: "EPSG:4490", WKT, PROJ strings, a file.
    public convenience init(_ definition: String) throws {
        GDAL.initialize()
        let h = OSRNewSpatialReference(nil)!
        guard OSRSetFromUserInput(h, definition) == OGRERR_NONE else {
            OSRDestroySpatialReference(h)
            throw GeoIOError.gdal(definition, "not a coordinate reference system GDAL knows")
        }
        self.init(adopting: h)
    }

    public convenience init(epsg: Int) throws {
        GDAL.initialize()
        let h = OSRNewSpatialReference(nil)!
        guard OSRImportFromEPSG(h, Int32(epsg)) == OGRERR_NONE else {
            OSRDestroySpatialReference(h)
            throw GeoIOError.gdal("EPSG:\(epsg)", "unknown EPSG code")
        }
        self.init(adopting: h)
    }

    /// WGS 84 longitude/latitude (EPSG:4326), the CRS of RFC 7946 GeoJSON.
    public static let wgs84 = try! SpatialReference(epsg: 4326)
    /// CGCS2000 longitude/latitude (EPSG:4490), the CRS of Chinese government deliverables.
    public static let cgcs2000 = try! SpatialReference(epsg: 4490)

    deinit { OSRDestroySpatialReference(handle) }

    /// WKT (WKT2_2019 where possible; GDAL writes it to GeoPackage and GeoTIFF as it needs).
    public var wkt: String {
        var out: UnsafeMutablePointer<CChar>? = nil
        let err = withConstCStringList(["FORMAT=WKT2_2019"]) { OSRExportToWktEx(handle, &out, $0) }
        defer { VSIFree(out) }
        guard err == OGRERR_NONE, let out else { return "" }
        return String(cString: out)
    }

    /// The EPSG code if the CRS is (or is identified as) an EPSG one.
    public var epsg: Int? {
        if let code = authorityCode() { return code }
        guard let clone = OSRClone(handle) else { return nil }
        defer { OSRDestroySpatialReference(clone) }
        _ = OSRAutoIdentifyEPSG(clone)
        guard let name = OSRGetAuthorityName(clone, nil), String(cString: name) == "EPSG",
              let code = OSRGetAuthorityCode(clone, nil) else { return nil }
        return Int(String(cString: code))
    }

    private func authorityCode() -> Int? {
        guard let name = OSRGetAuthorityName(handle, nil), String(cString: name) == "EPSG",
              let code = OSRGetAuthorityCode(handle, nil) else { return nil }
        return Int(String(cString: code))
    }

    public var name: String {
        guard let n = OSRGetName(handle) else { return "" }
        return String(cString: n)
    }

    public var isGeographic: Bool { OSRIsGeographic(handle) != 0 }
    public var isProjected: Bool { OSRIsProjected(handle) != 0 }

    /// Metres per linear unit of a projected CRS (1 for metres); nil for geographic CRSs.
    public var metresPerUnit: Double? {
        guard isProjected else { return nil }
        return OSRGetLinearUnits(handle, nil)
    }

    /// "EPSG:n" when known, else the CRS name.
    public var label: String { epsg.map { "EPSG:\($0)" } ?? name }

    public func isSame(_ other: SpatialReference) -> Bool { OSRIsSame(handle, other.handle) != 0 }
}

/// Transforms coordinates between two CRSs (PROJ through OGR). Not thread-safe: one per thread.
public final class CoordinateTransform {
    let handle: OGRCoordinateTransformationH
    public let source: SpatialReference
    public let target: SpatialReference

    public init(from source: SpatialReference, to target: SpatialReference) throws {
        GDAL.initialize()
        guard let h = OCTNewCoordinateTransformation(source.handle, target.handle) else {
            throw GeoIOError.gdal(source.label, "no transformation to \(target.label)")
        }
        handle = h
        self.source = source
        self.target = target
    }

    deinit { OCTDestroyCoordinateTransformation(handle) }

    /// Transforms one point; throws if PROJ cannot.
    public func transform(x: Double, y: Double) throws -> (x: Double, y: Double) {
        var xs = [x], ys = [y]
        try transform(xs: &xs, ys: &ys)
        return (xs[0], ys[0])
    }

    /// Transforms points in place.
    public func transform(xs: inout [Double], ys: inout [Double]) throws {
        precondition(xs.count == ys.count)
        if xs.isEmpty { return }
        var success = [Int32](repeating: 0, count: xs.count)
        let ok = xs.withUnsafeMutableBufferPointer { xp in
            ys.withUnsafeMutableBufferPointer { yp in
                OCTTransformEx(handle, Int32(xp.count), xp.baseAddress, yp.baseAddress, nil, &success)
            }
        }
        guard ok != 0, !success.contains(0) else {
            throw GeoIOError.gdal(source.label, "cannot transform coordinates to \(target.label)")
        }
    }
}
