#include "craster.h"

#include <string.h>

int craster_xrgb_to_grey(const uint8_t *source, size_t source_stride, int width, int height,
                         uint32_t *words, size_t words_per_line) {
  for (int y = 0; y < height; y++) {
    const uint32_t *row = (const uint32_t *)(source + (size_t)y * source_stride);
    uint32_t *line = words + (size_t)y * words_per_line;
    memset(line, 0, words_per_line * sizeof(uint32_t));
    for (int x = 0; x < width; x++) {
      uint32_t pixel = row[x];
      uint32_t red = (pixel >> 16) & 0xff, green = (pixel >> 8) & 0xff, blue = pixel & 0xff;
      if (red != green || green != blue) return 0;
      line[x >> 2] |= green << (8 * (3 - (x & 3)));
    }
  }
  return 1;
}

void craster_xrgb_to_rgba(const uint8_t *source, size_t source_stride, int width, int height,
                          uint32_t *words, size_t words_per_line) {
  for (int y = 0; y < height; y++) {
    const uint32_t *row = (const uint32_t *)(source + (size_t)y * source_stride);
    uint32_t *line = words + (size_t)y * words_per_line;
    for (int x = 0; x < width; x++) line[x] = row[x] << 8;
  }
}
