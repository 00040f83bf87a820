import Foundation
import Survey

/// `outfall checklist`: the plan written into an output directory that appears only when complete.
public enum ChecklistBuilder {
    public static func build(_ plan: HandoverPlan, output: String, overwrite: Bool) throws -> [String] {
        let out = try OutputDirectory(output, overwrite: overwrite)
        try ChecklistWriter.write(plan, into: out.staging.path)
        let files = try Manifest.files(under: out.staging.path)
        try out.commit()
        return files
    }
}
