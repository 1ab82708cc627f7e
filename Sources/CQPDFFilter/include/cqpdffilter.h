#ifndef CQPDFFILTER_H
#define CQPDFFILTER_H

// Invisible text in a PDF's content streams, through libqpdf's C++ tokenizer (its C API has
// no content-stream tokens): what `--redo-text` needs to replace another OCR's layer.
//
// Every function catches everything at this boundary: it returns NULL on success, else an
// error message the caller frees with cqpdf_free. Output buffers are malloc'd: cqpdf_free.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Text found on a page (its content streams and the Form XObjects they draw).
enum {
  /// Text shown in render mode 3: neither filled, stroked nor clipped (an OCR layer).
  CQPDF_TEXT_INVISIBLE = 1,
  /// Text shown in any other mode: it is seen, or it shapes a clip.
  CQPDF_TEXT_OTHER = 2,
};

/// For each page of `path`, CQPDF_TEXT_* flags in `*flags` (`*count` pages). Content streams
/// whose dictionary holds the key `marker` (a name such as "/OCRView") are not looked at.
char *cqpdf_text_survey(
    const char *path, const char *password, const char *marker, unsigned char **flags,
    size_t *count);

/// `path` written to memory with the render-mode-3 text of `pages` (1-based, `npages` of
/// them) taken out: a text object whose every text-showing operator runs in mode 3 is
/// replaced by the state operators it set (fonts, colours, spacing), everything else kept
/// as it was. Form XObjects those pages draw are rewritten as copies of their own. Streams
/// holding `marker` are kept as they are. An encrypted file keeps its encryption; an
/// unencrypted one gets a deterministic /ID when `deterministic` is non-zero.
char *cqpdf_strip_invisible_text(
    const char *path, const char *password, const char *marker, const int *pages,
    size_t npages, int deterministic, unsigned char **out, size_t *outlen);

void cqpdf_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
