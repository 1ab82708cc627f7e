#ifndef CRASTER_H
#define CRASTER_H

#include <stddef.h>
#include <stdint.h>

/// Copies a cairo RGB24 raster (native-endian 0x00RRGGBB words) into an 8-bit leptonica
/// raster (bytes big-endian within 32-bit words), taking the green channel as the grey value.
/// Stops and returns 0 at the first pixel that is not grey (R, G and B differ); 1 when the
/// whole page was grey. Loops over megapixels belong in C: Swift debug builds are 50× slower.
int craster_xrgb_to_grey(const uint8_t *source, size_t source_stride, int width, int height,
                         uint32_t *words, size_t words_per_line);

/// Copies a cairo RGB24 raster into a 32-bit leptonica raster (0xRRGGBB00 words).
void craster_xrgb_to_rgba(const uint8_t *source, size_t source_stride, int width, int height,
                          uint32_t *words, size_t words_per_line);

#endif
