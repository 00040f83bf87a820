import ArgumentParser

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON on stdout (and JSON log lines on stderr).")
    var json = false

    @Flag(name: [.short, .long], help: "Only errors on stderr.")
    var quiet = false
}
