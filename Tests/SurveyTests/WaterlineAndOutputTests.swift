import Foundation
import Testing
@testable import Survey

@Suite struct WaterlineAndOutputTests {
    @Test func nearestPointOnWaterline() {
        let w = Waterline(paths: [[SIMD2(0, 0), SIMD2(10, 0), SIMD2(10, 10)]])
        let n = w.nearest(to: SIMD2(4, 3))!
        #expect(n.point == SIMD2(4, 0) && n.distance == 3)
        let m = w.nearest(to: SIMD2(12, 5))!
        #expect(m.point == SIMD2(10, 5) && m.distance == 2)
    }

    @Test func outputAppearsOnlyOnCommit() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("outdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let final = parent.appendingPathComponent("run").path
        do {
            let out = try OutputDirectory(final, overwrite: false)
            try Data("x".utf8).write(to: URL(fileURLWithPath: out.file("a.txt")))
            #expect(!FileManager.default.fileExists(atPath: final))
            // Dropped without commit: nothing remains.
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        let out = try OutputDirectory(final, overwrite: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: out.file("a.txt")))
        try out.commit()
        #expect(FileManager.default.fileExists(atPath: final + "/a.txt"))
        #expect(throws: SurveyError.self) { try OutputDirectory(final, overwrite: false) }
        let again = try OutputDirectory(final, overwrite: true)
        try again.commit()
        #expect(!FileManager.default.fileExists(atPath: final + "/a.txt"), "replaced")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["run"])
    }

    @Test func sha256OfAKnownFile() throws {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("abc-\(UUID().uuidString)").path
        try Data("abc".utf8).write(to: URL(fileURLWithPath: p))
        #expect(try FileDigest.sha256(path: p) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct OutputParentTests {
    @Test func missingParentsAreCreated() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("outparent-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = try OutputDirectory(root.appendingPathComponent("a/b/run").path, overwrite: false)
        try "x".write(toFile: out.file("f.txt"), atomically: true, encoding: .utf8)
        try out.commit()
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("a/b/run/f.txt").path))
    }
}
