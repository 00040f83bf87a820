import Foundation
import GeoIO
import Survey

/// The level-one packet: one zip with report.pdf, report.html, overview.png, vectors/ (GeoPackage, GeoJSON, KML, Shapefile
/// in EPSG:4490), checklist/ (with chips/), run.json and MANIFEST.sha256. Files are staged in a hidden sibling
/// directory, zipped into a temporary name and renamed into place, so the zip appears only when complete.
/// The same run and options give the same member files, byte for byte.
public enum PacketBuilder {
    public struct Result: Sendable {
        public var path: String
        public var files: [String]
        public var bytes: Int64
    }

    public static func build(_ plan: HandoverPlan, output: String, overwrite: Bool) throws -> Result {
        let fm = FileManager.default
        let final = URL(fileURLWithPath: output).standardizedFileURL
        guard final.pathExtension.lowercased() == "zip" else { throw SurveyError(output, "the packet's name must end in .zip") }
        if fm.fileExists(atPath: final.path) && !overwrite { throw SurveyError(output, "already exists; use --overwrite to replace it") }
        let parent = final.deletingLastPathComponent()
        guard fm.isWritableFile(atPath: parent.path) else { throw SurveyError(output, "directory \(parent.path) does not exist or is not writable") }
        let staging = parent.appendingPathComponent(".\(final.deletingPathExtension().lastPathComponent).staging-\(getpid())")
        let partial = parent.appendingPathComponent(".\(final.deletingPathExtension().lastPathComponent).partial-\(getpid()).zip")
        try? fm.removeItem(at: staging)
        try? fm.removeItem(at: partial)
        defer { try? fm.removeItem(at: staging); try? fm.removeItem(at: partial) }
        try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        let root = staging.path

        // Dates inside GeoPackage and DBF headers: the run's, not today's.
        let date = runDate(plan.run.summary.startedAt)
        GDAL.setConfigOption("OGR_CURRENT_DATE", "\(date)T00:00:00.000Z")
        defer { GDAL.setConfigOption("OGR_CURRENT_DATE", nil) }

        try ChecklistWriter.write(plan, into: root + "/checklist")
        try fm.createDirectory(atPath: root + "/vectors", withIntermediateDirectories: false)
        try PacketVectors.write(plan, into: root + "/vectors", date: date)
        try fm.copyItem(atPath: plan.run.directory.appendingPathComponent("run.json").path, toPath: root + "/run.json")
        let basemap = try Basemap(run: plan.run)
        let overview = try OverviewMap.build(plan: plan, basemap: basemap)
        try overview.writePNG(root + "/overview.png")
        let listed = (try Manifest.files(under: root) + ["report.html", "report.pdf", "MANIFEST.sha256"])
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        try Data(PacketReport.render(plan, files: listed).utf8).write(to: staging.appendingPathComponent("report.html"))
        try HandoverPDF.report(plan, basemap: basemap, overview: overview, path: root + "/report.pdf", date: date, files: listed)
        let files = try Manifest.files(under: root)
        try Data(try Manifest.text(root: root, files: files).utf8).write(to: staging.appendingPathComponent("MANIFEST.sha256"))

        let zip = try ZipWriter(path: partial.path)
        for f in files + ["MANIFEST.sha256"] { try zip.add(name: f, file: root + "/" + f) }
        try zip.close()
        if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
        guard rename(partial.path, final.path) == 0 else { throw SurveyError(output, "cannot move the packet into place") }
        let bytes = (try? fm.attributesOfItem(atPath: final.path)[.size] as? NSNumber)?.int64Value ?? 0
        return Result(path: final.path, files: files + ["MANIFEST.sha256"], bytes: bytes)
    }

    /// YYYY-MM-DD of the run's start, or 2000-01-01 when run.json has none.
    static func runDate(_ startedAt: String?) -> String {
        guard let s = startedAt, s.count >= 10 else { return "2000-01-01" }
        let d = String(s.prefix(10))
        let ok = d.enumerated().allSatisfy { i, ch in (i == 4 || i == 7) ? ch == "-" : ch.isASCII && ch.isNumber }
        return ok ? d : "2000-01-01"
    }
}
