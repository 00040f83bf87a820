import CGDAL

/// Every failure in GeoIO: the file (or layer) it concerns and what went wrong, with GDAL's own message
/// (`CPLGetLastErrorMsg`) when GDAL reported one.
public struct GeoIOError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// A one-line description naming the file, suitable for a CLI's error output.
    public var description: String { "\(path): \(message)" }

    /// An error carrying GDAL's last error message, if any, after `what`.
    static func gdal(_ path: String, _ what: String) -> GeoIOError {
        let gdalMessage = GDAL.lastErrorMessage()
        GDAL.resetError()
        if gdalMessage.isEmpty { return GeoIOError(path: path, what) }
        return GeoIOError(path: path, "\(what): \(gdalMessage)")
    }
}
