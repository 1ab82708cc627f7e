#ifndef CRASTER_H
#define CRASTER_H

#include <stddef.h>
#include <stdint.h>

/// How a page's pixels are stored in its PNG: the smallest lossless form that holds them.
typedef enum {
  CRASTER_GREY = 0,     ///< every pixel grey (R = G = B): 8-bit grey
  CRASTER_PALETTE = 1,  ///< at most 256 distinct colours: 8-bit palette
  CRASTER_RGB = 2,      ///< more colours: 8-bit RGB
} craster_kind;

/// libpng settings for one kind. A negative `filters` or `strategy` leaves libpng's default
/// (all filters and Z_FILTERED for grey and RGB; no filter for palette).
typedef struct {
  int level;     ///< zlib level 0–9
  int filters;   ///< PNG_FILTER_* mask, or < 0
  int strategy;  ///< Z_* strategy, or < 0
} craster_png_settings;

/// Encodes a cairo RGB24 raster (native-endian 0x00RRGGBB words) as PNG with libpng, as grey,
/// palette or RGB (`settings` indexed by `craster_kind`; `allow_palette` 0 sends pages that are
/// not grey as RGB). Returns malloc'd bytes (free with `free`) and sets `size` and `kind`, or
/// returns NULL. Loops over megapixels belong in C: Swift debug builds are 50× slower.
uint8_t *craster_png(const uint8_t *source, size_t source_stride, int width, int height,
                     const craster_png_settings settings[3], int allow_palette,
                     craster_kind *kind, size_t *size);

#endif
