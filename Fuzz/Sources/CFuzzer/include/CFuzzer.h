// libFuzzer's entry for programs with their own main (llvm.org/docs/LibFuzzer.html,
// "Using libFuzzer as a library"). SwiftPM renames an executable's entry point and links
// `main` to it, which hides libFuzzer's own main: each target's @main calls this instead.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
