#include "craster.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

/// Distinct colours of a raster, up to 256, in an open-addressing table (pixel → palette index).
typedef struct {
  uint32_t keys[1024];  // 0x00RRGGBB, or EMPTY
  uint8_t index[1024];
  uint32_t colours[256];
  int count;
} palette_table;

#define EMPTY 0xffffffffu

static size_t slot_of(const palette_table *table, uint32_t pixel) {
  size_t slot = (pixel * 2654435761u) >> 22;
  while (table->keys[slot] != EMPTY && table->keys[slot] != pixel) slot = (slot + 1) & 1023;
  return slot;
}

/// Adds `pixel`; 0 once a 257th colour turns up.
static int palette_add(palette_table *table, uint32_t pixel) {
  size_t slot = slot_of(table, pixel);
  if (table->keys[slot] == pixel) return 1;
  if (table->count == 256) return 0;
  table->keys[slot] = pixel;
  table->index[slot] = (uint8_t)table->count;
  table->colours[table->count++] = pixel;
  return 1;
}

/// Copies the raster's grey levels into `grey` (width × height bytes) while checking that
/// every pixel has red = green = blue; 0 at the first row that has not. One branch-free pass
/// per row that the compiler vectorises: most pages are grey, and reading their 12 MB raster
/// once instead of twice (a test, then the rows) matters when two workers share the memory.
static int copy_grey(const uint8_t *source, size_t stride, int width, int height,
                     uint8_t *grey) {
  for (int y = 0; y < height; y++) {
    const uint32_t *row = (const uint32_t *)(source + (size_t)y * stride);
    uint8_t *out = grey + (size_t)y * width;
    uint32_t differences = 0;
    for (int x = 0; x < width; x++) {
      differences |= (row[x] ^ (row[x] >> 8)) & 0xffff;
      out[x] = (uint8_t)(row[x] >> 8);
    }
    if (differences) return 0;
  }
  return 1;
}

/// For a page that is not grey: palette if at most 256 colours (and allowed); else RGB.
static craster_kind classify(const uint8_t *source, size_t stride, int width, int height,
                             int allow_palette, palette_table *table) {
  if (!allow_palette) return CRASTER_RGB;
  uint32_t last = EMPTY;
  for (int y = 0; y < height; y++) {
    const uint32_t *row = (const uint32_t *)(source + (size_t)y * stride);
    for (int x = 0; x < width; x++) {
      uint32_t pixel = row[x] & 0xffffff;
      if (pixel == last) continue;
      last = pixel;
      if (!palette_add(table, pixel)) return CRASTER_RGB;
    }
  }
  return CRASTER_PALETTE;
}

/// A growing output buffer for libpng's write callback.
typedef struct {
  uint8_t *bytes;
  size_t size, capacity;
  int failed;
} buffer;

static void write_bytes(png_structp png, png_bytep data, png_size_t length) {
  buffer *out = png_get_io_ptr(png);
  if (out->failed) return;
  if (out->size + length > out->capacity) {
    size_t capacity = out->capacity ? out->capacity : 65536;
    while (capacity < out->size + length) capacity *= 2;
    uint8_t *grown = realloc(out->bytes, capacity);
    if (!grown) {
      out->failed = 1;
      return;
    }
    out->bytes = grown;
    out->capacity = capacity;
  }
  memcpy(out->bytes + out->size, data, length);
  out->size += length;
}

static void flush_nothing(png_structp png) { (void)png; }

/// Converts one cairo row into `line` in the PNG's pixel layout.
static void convert_row(const uint32_t *row, int width, craster_kind kind,
                        const palette_table *table, uint8_t *line) {
  switch (kind) {
  case CRASTER_GREY:  // written from copy_grey's levels, never converted here
    break;
  case CRASTER_PALETTE: {
    uint32_t last = EMPTY;
    uint8_t index = 0;
    for (int x = 0; x < width; x++) {
      uint32_t pixel = row[x] & 0xffffff;
      if (pixel != last) {
        last = pixel;
        index = table->index[slot_of(table, pixel)];
      }
      line[x] = index;
    }
    break;
  }
  case CRASTER_RGB:
    for (int x = 0; x < width; x++) {
      line[3 * x] = (row[x] >> 16) & 0xff;
      line[3 * x + 1] = (row[x] >> 8) & 0xff;
      line[3 * x + 2] = row[x] & 0xff;
    }
    break;
  }
}

/// libpng reports errors by longjmp, so everything it touches stays in this function. A grey
/// page's rows come from `grey` (its levels, copied already); others are converted row by row.
static int encode(const uint8_t *source, size_t stride, const uint8_t *grey, int width,
                  int height, craster_kind kind, const palette_table *table,
                  craster_png_settings settings, buffer *out, uint8_t *line) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  if (!png) return 0;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return 0;
  }
  png_set_write_fn(png, out, write_bytes, flush_nothing);
  static const int types[3] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_PALETTE, PNG_COLOR_TYPE_RGB};
  png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, types[kind],
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (kind == CRASTER_PALETTE) {
    png_color colours[256];
    for (int i = 0; i < table->count; i++) {
      colours[i].red = table->colours[i] >> 16;
      colours[i].green = (table->colours[i] >> 8) & 0xff;
      colours[i].blue = table->colours[i] & 0xff;
    }
    png_set_PLTE(png, info, colours, table->count);
  }
  png_set_compression_level(png, settings.level);
  if (settings.filters >= 0) png_set_filter(png, PNG_FILTER_TYPE_BASE, settings.filters);
  if (settings.strategy >= 0) png_set_compression_strategy(png, settings.strategy);
  png_write_info(png, info);
  for (int y = 0; y < height; y++) {
    if (grey) {
      png_write_row(png, (png_bytep)(grey + (size_t)y * width));
      continue;
    }
    convert_row((const uint32_t *)(source + (size_t)y * stride), width, kind, table, line);
    png_write_row(png, line);
  }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  return !out->failed;
}

uint8_t *craster_png(const uint8_t *source, size_t source_stride, int width, int height,
                     const craster_png_settings settings[3], int allow_palette,
                     craster_kind *kind, size_t *size) {
  if (width <= 0 || height <= 0) return NULL;
  palette_table *table = malloc(sizeof *table);
  uint8_t *line = malloc((size_t)width * 3);
  uint8_t *grey = malloc((size_t)width * (size_t)height);
  buffer out = {0};
  int ok = 0;
  if (table && line && grey) {
    memset(table->keys, 0xff, sizeof table->keys);
    table->count = 0;
    int is_grey = copy_grey(source, source_stride, width, height, grey);
    *kind = is_grey ? CRASTER_GREY
                    : classify(source, source_stride, width, height, allow_palette, table);
    ok = encode(source, source_stride, is_grey ? grey : NULL, width, height, *kind, table,
                settings[*kind], &out, line);
  }
  free(grey);
  free(table);
  free(line);
  if (!ok) {
    free(out.bytes);
    return NULL;
  }
  *size = out.size;
  return out.bytes;
}
