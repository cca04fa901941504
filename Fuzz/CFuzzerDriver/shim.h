#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, for a program with a main of its own: SwiftPM gives every executable
// target one, so the fuzz targets cannot use the main that -sanitize=fuzzer links in.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
