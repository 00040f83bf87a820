import Foundation

/// Writes a run's outputs atomically: everything goes into a hidden sibling directory, which is renamed onto
/// the final name only when complete. An existing directory is refused unless `overwrite`; a failure leaves
/// nothing behind (and an overwritten directory untouched).
public final class OutputDirectory {
    public let final: URL
    public let staging: URL
    let overwrite: Bool
    private var committed = false

    public init(_ path: String, overwrite: Bool) throws {
        let fm = FileManager.default
        final = URL(fileURLWithPath: path).standardizedFileURL
        self.overwrite = overwrite
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: final.path, isDirectory: &isDir) && !overwrite {
            throw SurveyError(path, "already exists; use --overwrite to replace it")
        }
        let parent = final.deletingLastPathComponent()
        // Missing parents are created (like `mkdir -p`), so `--out out/run` works in a fresh clone.
        if !fm.fileExists(atPath: parent.path, isDirectory: &isDir) {
            do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
                throw SurveyError(path, "cannot create parent directory \(parent.path): \(error.localizedDescription)")
            }
            isDir = true
        }
        guard isDir.boolValue else { throw SurveyError(path, "\(parent.path) is not a directory") }
        guard fm.isWritableFile(atPath: parent.path) else {
            throw SurveyError(path, "parent directory \(parent.path) is not writable")
        }
        staging = parent.appendingPathComponent(".\(final.lastPathComponent).partial-\(getpid())")
        try? fm.removeItem(at: staging)
        do { try fm.createDirectory(at: staging, withIntermediateDirectories: false) } catch {
            throw SurveyError(path, "cannot create output directory: \(error.localizedDescription)")
        }
    }

    /// Path of a file inside the staging directory.
    public func file(_ name: String) -> String { staging.appendingPathComponent(name).path }

    /// Moves the finished outputs onto the final name.
    public func commit() throws {
        try Self.moveIntoPlace(staging, final: final)
        committed = true
    }

    /// Renames a finished staging directory onto `final`; an existing `final` is moved aside first and removed
    /// only once the new one is in place (restored if the rename fails).
    public static func moveIntoPlace(_ staging: URL, final: URL) throws {
        let fm = FileManager.default
        var old: URL? = nil
        if fm.fileExists(atPath: final.path) {
            let o = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).old-\(getpid())")
            try? fm.removeItem(at: o)
            try fm.moveItem(at: final, to: o)
            old = o
        }
        guard rename(staging.path, final.path) == 0 else {
            let err = String(cString: strerror(errno))
            if let old { try? fm.moveItem(at: old, to: final) }
            throw SurveyError(final.path, "cannot move outputs into place: \(err)")
        }
        if let old { try? fm.removeItem(at: old) }
    }

    /// Removes the staging directory (called on failure).
    public func discard() {
        if !committed { try? FileManager.default.removeItem(at: staging) }
    }

    deinit { discard() }
}
