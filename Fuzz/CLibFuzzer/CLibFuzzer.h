#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry point for programs that keep their own main (LLVM's
// compiler-rt/lib/fuzzer/FuzzerInterface.h). The fuzz build links
// libclang_rt.fuzzer_no_main, which defines it; a plain build never calls it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
