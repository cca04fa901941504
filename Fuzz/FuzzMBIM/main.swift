import CFuzzerDriver
import Glibc

// With TMDIAG_FUZZ_WRITE_SEEDS=DIR, writes the seeds into DIR instead (Fuzz/run.sh does).
if let dir = getenv("TMDIAG_FUZZ_WRITE_SEEDS") {
    writeSeeds(into: String(cString: dir))
    exit(0)
}
// Hands the command line to libFuzzer, which calls `fuzzOne` with each input it makes.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(UnsafeBufferPointer(start: data, count: size)) })
