import Foundation

/// One file written so that readers see all of it or none: under a temporary name, flushed, then renamed.
public enum AtomicFile {
    /// Writes under a temporary name in the same directory, flushes, then renames: readers see all or nothing.
    public static func write(_ data: Data, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SurveyError(url.path, "cannot write: \(String(cString: strerror(errno)))") }
        let ok = data.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return true
        }
        fsync(fd)
        close(fd)
        guard ok, rename(tmp.path, url.path) == 0 else {
            unlink(tmp.path)
            throw SurveyError(url.path, "cannot write: \(String(cString: strerror(errno)))")
        }
    }

    public static func write(_ data: Data, to path: String) throws { try write(data, to: URL(fileURLWithPath: path)) }
}
