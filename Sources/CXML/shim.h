#include <libxml/xmlversion.h>
// libxml2 pulls in ICU headers when built with ICU; they clash with Foundation's own ICU module,
// and the HTML parser needs none of it.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
