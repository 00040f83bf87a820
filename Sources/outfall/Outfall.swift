import ArgumentParser
import Survey

@main
struct Outfall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outfall",
        abstract: "Find suspected river outfalls in drone RGB and thermal imagery (HJ 1232/1234-2021 level one).",
        discussion: """
        Data and JSON go to stdout; logs and progress to stderr. Exit status: 0 success, 1 failure, 64 usage error.
        """,
        version: "0.1.0",
        subcommands: [Detect.self, Eval.self, Train.self, Calibrate.self, Info.self, Samples.self, Bench.self, Checklist.self, Packet.self, Review.self, Run.self, Merge.self, Fuzz.self]
    )

    /// The heap is configured before any thread starts (`DetectJob.returnLargeBuffersOnFree`: one heap for all
    /// threads, large buffers mapped), then the command runs.
    static func main() async {
        DetectJob.returnLargeBuffersOnFree()
        await main(nil)
    }
}
