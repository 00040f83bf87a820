import CGDAL
import Foundation

/// Process-wide GDAL set-up and facts. `GDAL.initialize()` is idempotent and called by every GeoIO entry point.
public enum GDAL {
    private static let once: Void = {
        GDALAllRegister()
        // GDAL's default handler prints to stderr; we turn every failure into a Swift error instead.
        CPLSetErrorHandler(CPLQuietErrorHandler)
        // Traditional GIS axis order (x = easting/longitude) everywhere; see SpatialReference.
        if CPLGetConfigOption("GDAL_CACHEMAX", nil) == nil {
            // Bounded block cache: memory stays bounded whatever the raster's size. 32 MB holds the blocks of
            // one read chunk per reading thread (OrthoReader reads ≤ 2048-column chunks of one block row, all bands from
            // the same decoded blocks); a larger cache only saves re-decoding tile halos (a few %).
            GDALSetCacheMax64(32 * 1024 * 1024)
        }
        // GDAL's own threads for compressing what we write (and decoding what is not read through
        // `withOwnDecoding`, which the ortho reads are).
        if CPLGetConfigOption("GDAL_NUM_THREADS", nil) == nil {
            CPLSetConfigOption("GDAL_NUM_THREADS", "ALL_CPUS")
        }
    }()

    /// Registers drivers and installs the quiet error handler. Safe to call from any thread, any number of times.
    public static func initialize() { _ = once }

    /// The runtime GDAL release name, e.g. "3.6.2".
    public static var version: String {
        initialize()
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }

    /// The PROJ runtime version, e.g. "9.1.1".
    public static var projVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        OSRGetPROJVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// Sets a GDAL configuration option for the process (e.g. `GDAL_CACHEMAX`, `AWS_REGION`).
    public static func setConfigOption(_ key: String, _ value: String?) {
        initialize()
        CPLSetConfigOption(key, value)
    }

    /// Runs `body` with GDAL's block-decoding threads off on this thread (`GDAL_NUM_THREADS=1` as a thread-local
    /// option, restored after), unless the environment sets `GDAL_NUM_THREADS`: for readers that parallelise
    /// themselves (`OrthoReader`'s strips, the tiles' workers), where GDAL's threads only add hand-offs
    /// (measured on a 144 Mpx ortho: 10 % more CPU and wall time, 15–20 MB more peak RSS). GeoTIFFs take the
    /// option when opened, so open them inside `body` too (a VRT opens its sources when first read).
    public static func withOwnDecoding<T>(_ body: () throws -> T) rethrows -> T {
        initialize()
        if ProcessInfo.processInfo.environment["GDAL_NUM_THREADS"] != nil { return try body() }
        let before = CPLGetThreadLocalConfigOption("GDAL_NUM_THREADS", nil).map { String(cString: $0) }
        CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", "1")
        defer { CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", before) }
        return try body()
    }

    /// Bytes GDAL's block cache may hold.
    public static var cacheMax: Int64 {
        get { initialize(); return GDALGetCacheMax64() }
        set { initialize(); GDALSetCacheMax64(newValue) }
    }

    /// Whether the block cache's size is ours: `GDAL_CACHEMAX` not set by the user (environment or option).
    public static var cacheMaxIsDefault: Bool {
        initialize()
        return CPLGetConfigOption("GDAL_CACHEMAX", nil) == nil
    }

    /// Runs `body` with the block cache capped at `bytes` (never raised), unless the user set `GDAL_CACHEMAX`;
    /// the cap before is restored after. What is cached never changes a value read.
    public static func withCacheMax<R>(_ bytes: Int64, _ body: () throws -> R) rethrows -> R {
        guard cacheMaxIsDefault else { return try body() }
        let before = cacheMax
        cacheMax = min(before, bytes)
        defer { cacheMax = before }
        return try body()
    }

    /// Drops every block from GDAL's block cache and gives the freed pages back to the system (glibc
    /// `malloc_trim`). For the end of a read whose blocks nothing reads again: the cache (up to `cacheMax`) would
    /// otherwise stay resident under the computation that follows, since a VRT's sources stay open in GDAL's
    /// dataset pool (and keep their blocks) after the VRT is closed. Blocks another thread is using are kept;
    /// results never depend on what is cached.
    public static func dropCachedBlocks() {
        initialize()
        while GDALFlushCacheBlock() != 0 {}
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") { _ = unsafeBitCast(f, to: Trim.self)(0) }
        #endif
    }

    static func lastErrorMessage() -> String {
        guard let m = CPLGetLastErrorMsg() else { return "" }
        return String(cString: m).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func resetError() { CPLErrorReset() }
}

/// Builds a NULL-terminated `char**` string list for GDAL options and frees it after `body`.
func withCStringList<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> R) rethrows -> R {
    var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
    for s in strings { list = CSLAddString(list, s) }
    defer { CSLDestroy(list) }
    return try body(list)
}

/// The same list typed as GDAL's `const char* const*` parameters want it.
func withConstCStringList<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
    try withCStringList(strings) { list in
        try body(list.map { UnsafePointer<UnsafePointer<CChar>?>(OpaquePointer($0)) })
    }
}
