// SPDX-License-Identifier: MIT
// Single-precision FFTW 3 (Debian: libfftw3-dev, pkg-config fftw3f), as crampd uses it.
#ifndef CRAMPD_CFFTW_SHIM_H
#define CRAMPD_CFFTW_SHIM_H

#include <fftw3.h>

// fftwf_complex is `float[2]`, which Swift imports as a tuple pointer. The real-to-complex
// transform only ever needs interleaved (re, im) floats, so this wrapper lets Swift pass a
// plain `float *` for the output and keeps the cast in C, where it is well defined.
static inline fftwf_plan crampd_fftwf_plan_r2c_1d(int n, float *in, float *out, unsigned flags) {
    return fftwf_plan_dft_r2c_1d(n, in, (fftwf_complex *)out, flags);
}

#endif
