// hy2scale-fuzz: the parser harnesses (README "Fuzzing", scripts/fuzz).
//
//   hy2scale-fuzz --list                         names and summaries of the harnesses
//   hy2scale-fuzz --harness=NAME PATH...         plain build: runs each file (or each file of a
//                                                directory) through the harness once
//   hy2scale-fuzz --corpus=DIR                   plain build: runs every harness over DIR/NAME/
//   hy2scale-fuzz --write-seeds=DIR              writes each harness's seeds to DIR/NAME/
//   hy2scale-fuzz --harness=NAME [libFuzzer flags] [CORPUS_DIR...]
//                                                fuzz build (-DFUZZING): libFuzzer drives NAME
//
// libFuzzer ignores flags that start with `--`, so `--harness=` stays in the arguments it passes
// to the processes it forks.

#if FUZZING
import CLibFuzzer
#endif
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    CommandLineOptions.value(of: name)
}

if arguments.contains("--list") || arguments.contains("--help") || arguments.isEmpty {
    FileOutput.standardOutput("usage: hy2scale-fuzz --harness=NAME PATH... | --corpus=DIR | --write-seeds=DIR | --list\n")
    for harness in Harnesses.all {
        let gap = String(repeating: " ", count: max(1, 18 - harness.name.count))
        FileOutput.standardOutput("  \(harness.name)\(gap)\(harness.summary)\n")
    }
    exit(0)
}

if let directory = option("write-seeds") {
    exit(CorpusFiles.writeSeeds(to: directory) ? 0 : 1)
}

if let directory = option("corpus") {
    exit(CorpusFiles.replayAll(from: directory) ? 0 : 1)
}

guard let name = option("harness"), let selected = Harnesses.named(name) else {
    FileOutput.standardError("error: name a harness with --harness=NAME (see --list)\n")
    exit(2)
}

#if FUZZING
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    Harnesses.runSelected(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
})
#else
let paths = arguments.filter { !$0.hasPrefix("-") }
exit(CorpusFiles.replay(selected, paths: paths) ? 0 : 1)
#endif
