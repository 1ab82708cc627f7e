// libqpdf's C API (Debian `libqpdf-dev`, 11.3): open a PDF, add a content stream and a font to
// its pages through object handles, write it back (linearised if asked).
#include <qpdf/qpdf-c.h>
