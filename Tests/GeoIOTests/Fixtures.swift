import Foundation

/// Paths to the real rasterio fixtures in `../shared/fixtures/rasterio` beside the checkout.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dir = root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/rasterio")
    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A fresh temporary directory for one test.
    static func tempDir() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("geoio-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
