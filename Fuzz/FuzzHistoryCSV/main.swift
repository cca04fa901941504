import CFuzzerDriver
import Glibc

// Hands the command line to libFuzzer, which calls `fuzzOne` with each input it makes.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(UnsafeBufferPointer(start: data, count: size)) })
