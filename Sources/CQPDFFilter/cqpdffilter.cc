// Invisible text through libqpdf's content-stream tokenizer. Follows OCRmyPDF's
// `--redo-ocr` (strip_invisible_text: a BT…ET object drawn in render mode 3 goes), with two
// differences that keep the page looking the same: the render mode is tracked as graphics
// state (it outlives ET and is saved by q/Q), and a dropped text object leaves behind the
// state operators it ran (Tf, Tz, colours…), which later text objects may rely on.

// qpdf 11 warns without it; 4: PointerHolder is not used here at all.
#define POINTERHOLDER_TRANSITION 4

#include "cqpdffilter.h"

#include <qpdf/Pl_Discard.hh>
#include <qpdf/Pl_QPDFTokenizer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using Token = QPDFTokenizer::Token;

char *copied(std::string const &text) {
  char *result = static_cast<char *>(std::malloc(text.size() + 1));
  if (result) std::memcpy(result, text.c_str(), text.size() + 1);
  return result;
}

// A nesting deeper than this is a loop of forms drawing each other.
constexpr int maxDepth = 12;

struct Document;

struct Found {
  std::string bytes;
  int flags = 0;
  /// The content itself changed (rewriting).
  bool changed = false;
  /// A form it draws was replaced by a rewritten copy in its owner's resources.
  bool formsReplaced = false;
};

Found filter(Document &doc, std::string const &content, QPDFObjectHandle owner, int mode,
             int depth);

/// One document's pass: survey only, or rewriting (then forms are copied before they change).
struct Document {
  QPDF &pdf;
  std::string marker;
  bool rewrite;
  /// A form already looked at: its flags, and (rewriting) what stands in for it.
  std::map<QPDFObjGen, std::pair<int, QPDFObjectHandle>> forms;

  bool marked(QPDFObjectHandle stream) {
    return stream.isStream() && stream.getDict().hasKey(marker);
  }

  /// `owner`'s dictionary at `key`, direct and held by `owner` alone (a shallow copy of a
  /// shared one), so changing it changes no other page or form.
  QPDFObjectHandle own(QPDFObjectHandle owner, std::string const &key) {
    QPDFObjectHandle current = owner.getKey(key);
    if (current.isDictionary() && !current.isIndirect()) return current;
    owner.replaceKey(key, current.isDictionary() ? current.shallowCopy()
                                                 : QPDFObjectHandle::newDictionary());
    return owner.getKey(key);
  }

  /// The flags of the form `name` in `owner`'s resources, drawn with render mode `mode`;
  /// rewriting, a changed form is replaced by a copy in `owner`'s own resources (`replaced`
  /// then set). The first call decides for a form drawn several times.
  int form(QPDFObjectHandle owner, std::string const &name, int mode, int depth,
           bool &replaced) {
    QPDFObjectHandle xobject = owner.getKey("/Resources").getKey("/XObject").getKey(name);
    if (!xobject.isStream() || depth >= maxDepth) return 0;
    QPDFObjectHandle dict = xobject.getDict();
    if (!dict.getKey("/Subtype").isNameAndEquals("/Form")) return 0;
    QPDFObjGen key = xobject.getObjGen();
    auto seen = forms.find(key);
    if (seen != forms.end()) {
      if (rewrite && seen->second.second.getObjGen() != key) {
        replace(owner, name, seen->second.second);
        replaced = true;
      }
      return seen->second.first;
    }
    forms[key] = {0, xobject};  // a form that draws itself stops here
    std::shared_ptr<Buffer> data = xobject.getStreamData(qpdf_dl_generalized);
    std::string content(reinterpret_cast<char const *>(data->getBuffer()), data->getSize());
    QPDFObjectHandle copy = rewrite ? pdf.makeIndirectObject(xobject.copyStream()) : xobject;
    // A form without resources of its own uses its caller's (PDF 1.1).
    QPDFObjectHandle formOwner = copy.getDict().hasKey("/Resources") ? copy.getDict() : owner;
    Found found = filter(*this, content, formOwner, mode, depth + 1);
    if (rewrite && (found.changed || found.formsReplaced)) {
      if (found.changed) {
        copy.replaceStreamData(found.bytes, QPDFObjectHandle::newNull(),
                               QPDFObjectHandle::newNull());
      }
      forms[key] = {found.flags, copy};
      replace(owner, name, copy);
      replaced = true;
    } else {
      forms[key] = {found.flags, xobject};
    }
    return found.flags;
  }

  void replace(QPDFObjectHandle owner, std::string const &name, QPDFObjectHandle form) {
    own(own(owner, "/Resources"), "/XObject").replaceKey(name, form);
  }
};

bool isShow(std::string const &op) {
  return op == "Tj" || op == "TJ" || op == "'" || op == "\"";
}
bool isPositioning(std::string const &op) {
  return op == "Td" || op == "TD" || op == "Tm" || op == "T*";
}
bool isTextState(std::string const &op) {
  return op == "Tc" || op == "Tw" || op == "Tz" || op == "TL" || op == "Tf" || op == "Tr" ||
         op == "Ts";
}

/// The tokens of one content stream: written through as they came, except text objects,
/// held until their ET says whether they showed anything but invisible text.
class TextFilter : public QPDFObjectHandle::TokenFilter {
 public:
  TextFilter(Document &doc, QPDFObjectHandle owner, int mode, int depth)
      : doc(doc), owner(owner), modes{mode}, depth(depth) {}

  Found found;

  void handleToken(Token const &token) override {
    switch (token.getType()) {
      case QPDFTokenizer::tt_eof:
        return;
      case QPDFTokenizer::tt_space:
      case QPDFTokenizer::tt_comment:
        pending += token.getRawValue();
        return;
      case QPDFTokenizer::tt_word:
      case QPDFTokenizer::tt_bad:
        operate(token.getValue(), token.getRawValue());
        return;
      default:
        pending += token.getRawValue();
        operands.push_back(token);
        return;
    }
  }

  void handleEOF() override {
    if (inText) found.bytes += object;  // an object never ended: as it was
    found.bytes += pending;
  }

 private:
  Document &doc;
  QPDFObjectHandle owner;
  std::vector<int> modes;
  int depth;
  std::string pending;  // the current operator's operands and the space before them
  std::vector<Token> operands;
  bool inText = false;
  std::string object;  // the text object so far, as it came
  bool shown = false, visible = false, nested = false;
  std::vector<std::pair<std::string, std::string>> residue;  // (operator, its text)

  std::string operandText() const {
    std::string text;
    for (auto const &operand : operands) {
      if (!text.empty()) text += " ";
      text += operand.getRawValue();
    }
    return text;
  }

  void operate(std::string const &op, std::string const &raw) {
    std::string segment = pending + raw;
    std::string args = operandText();
    if (op == "q") modes.push_back(modes.back());
    if (op == "Q" && modes.size() > 1) modes.pop_back();
    if (op == "Tr" && !operands.empty()) {
      auto const &value = operands.back();
      if (value.getType() == QPDFTokenizer::tt_integer ||
          value.getType() == QPDFTokenizer::tt_real) {
        modes.back() = std::atoi(value.getValue().c_str());
      }
    }
    if (isShow(op)) {
      found.flags |= modes.back() == 3 ? CQPDF_TEXT_INVISIBLE : CQPDF_TEXT_OTHER;
      shown = true;
      visible = visible || modes.back() != 3;
    }
    if (op == "Do" && !operands.empty() &&
        operands.back().getType() == QPDFTokenizer::tt_name) {
      bool replaced = false;
      found.flags |= doc.form(owner, operands.back().getValue(), modes.back(), depth, replaced);
      found.formsReplaced = found.formsReplaced || replaced;
    }
    if (!inText && op == "BT") {
      found.bytes += pending;
      inText = true;
      object = raw;
      shown = visible = nested = false;
      residue.clear();
    } else if (inText && op == "ET") {
      inText = false;
      object += segment;
      if (doc.rewrite && shown && !visible) {
        found.changed = true;
        found.bytes += "\n" + leftover() + "\n";
      } else {
        found.bytes += object;
      }
    } else if (inText) {
      object += segment;
      if (op == "q" || op == "Q") nested = true;
      if (op == "\"" && operands.size() >= 2) {
        residue.push_back({"Tw", operands[0].getRawValue() + " Tw"});
        residue.push_back({"Tc", operands[1].getRawValue() + " Tc"});
      } else if (!isShow(op) && !isPositioning(op)) {
        residue.push_back({op, args.empty() ? raw : args + " " + raw});
      }
    } else {
      found.bytes += segment;
    }
    pending.clear();
    operands.clear();
  }

  /// What a dropped text object must still do: its state operators, of the text state only
  /// the last of each (unless q/Q inside it make the order matter).
  std::string leftover() const {
    std::set<std::string> later;
    std::vector<std::string> kept;
    for (auto it = residue.rbegin(); it != residue.rend(); ++it) {
      if (!nested && isTextState(it->first)) {
        if (later.count(it->first)) continue;
        later.insert(it->first);
      }
      kept.insert(kept.begin(), it->second);
    }
    std::string text;
    for (auto const &line : kept) text += (text.empty() ? "" : "\n") + line;
    return text;
  }
};

Found filter(Document &doc, std::string const &content, QPDFObjectHandle owner, int mode,
             int depth) {
  TextFilter filter(doc, owner, mode, depth);
  Pl_Discard discard;
  Pl_QPDFTokenizer tokenizer("content", &filter, &discard);
  tokenizer.write(reinterpret_cast<unsigned char const *>(content.data()), content.size());
  tokenizer.finish();
  return filter.found;
}

/// A page's content streams in order (a stream, an array of them, or none).
std::vector<QPDFObjectHandle> contents(QPDFObjectHandle page) {
  QPDFObjectHandle value = page.getKey("/Contents");
  if (value.isStream()) return {value};
  std::vector<QPDFObjectHandle> streams;
  if (value.isArray()) {
    for (auto &item : value.getArrayAsVector()) {
      if (item.isStream()) streams.push_back(item);
    }
  }
  return streams;
}

/// Filters one page: its streams without `marker`, as one content stream.
int page(Document &doc, QPDFObjectHandle page) {
  std::string content;
  auto streams = contents(page);
  for (auto &stream : streams) {
    if (doc.marked(stream)) continue;
    std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_generalized);
    content.append(reinterpret_cast<char const *>(data->getBuffer()), data->getSize());
    content += "\n";
  }
  Found found = filter(doc, content, page, 0, 0);
  if (doc.rewrite && found.changed) {
    QPDFObjectHandle rewritten = QPDFObjectHandle::newStream(&doc.pdf, found.bytes);
    QPDFObjectHandle array = QPDFObjectHandle::newArray();
    bool placed = false;
    for (auto &stream : streams) {
      if (doc.marked(stream)) {
        array.appendItem(stream);
      } else if (!placed) {
        array.appendItem(rewritten);
        placed = true;
      }
    }
    page.replaceKey("/Contents", array);
  }
  return found.flags;
}

template <typename Body>
char *guarded(Body body) {
  try {
    body();
    return nullptr;
  } catch (std::exception const &error) {
    return copied(error.what());
  } catch (...) {
    return copied("unknown error in libqpdf");
  }
}

}  // namespace

extern "C" char *cqpdf_text_survey(const char *path, const char *password, const char *marker,
                                   unsigned char **flags, size_t *count) {
  *flags = nullptr;
  *count = 0;
  return guarded([&] {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processFile(path, password);
    QPDFPageDocumentHelper(pdf).pushInheritedAttributesToPage();
    Document doc{pdf, marker, false, {}};
    auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
    std::vector<unsigned char> result;
    for (auto &each : pages) result.push_back(static_cast<unsigned char>(page(doc, each.getObjectHandle())));
    unsigned char *buffer = static_cast<unsigned char *>(std::malloc(result.size() + 1));
    if (!buffer) throw std::bad_alloc();
    if (!result.empty()) std::memcpy(buffer, result.data(), result.size());
    *flags = buffer;
    *count = result.size();
  });
}

extern "C" char *cqpdf_strip_invisible_text(const char *path, const char *password,
                                            const char *marker, const int *pages,
                                            size_t npages, int deterministic,
                                            unsigned char **out, size_t *outlen) {
  *out = nullptr;
  *outlen = 0;
  return guarded([&] {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processFile(path, password);
    QPDFPageDocumentHelper(pdf).pushInheritedAttributesToPage();
    Document doc{pdf, marker, true, {}};
    auto all = QPDFPageDocumentHelper(pdf).getAllPages();
    for (size_t index = 0; index < npages; ++index) {
      int number = pages[index];
      if (number < 1 || static_cast<size_t>(number) > all.size()) {
        throw std::runtime_error("page " + std::to_string(number) + " does not exist");
      }
      page(doc, all[static_cast<size_t>(number - 1)].getObjectHandle());
    }
    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    if (deterministic && !pdf.isEncrypted()) writer.setDeterministicID(true);
    writer.write();
    std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    unsigned char *bytes = static_cast<unsigned char *>(std::malloc(buffer->getSize() + 1));
    if (!bytes) throw std::bad_alloc();
    std::memcpy(bytes, buffer->getBuffer(), buffer->getSize());
    *out = bytes;
    *outlen = buffer->getSize();
  });
}

extern "C" void cqpdf_free(void *pointer) { std::free(pointer); }
