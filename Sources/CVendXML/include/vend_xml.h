#ifndef VEND_XML_H
#define VEND_XML_H
// libxml2's streaming reader (xmlTextReader), loaded with dlopen on first use instead of
// linked through FoundationXML: commands that decode no XML answer do not load libxml2 and
// ICU. Only the calls vend makes are wrapped; the reader API is functions only, so no
// libxml2 struct layout is assumed (except the first three fields of xmlError, stable since
// libxml2 2.x).
#include <stddef.h>

typedef void vend_xml_reader;

enum {
    VEND_XML_ELEMENT = 1,
    VEND_XML_TEXT = 3,
    VEND_XML_CDATA = 4,
    VEND_XML_WHITESPACE = 13,
    VEND_XML_SIGNIFICANT_WHITESPACE = 14,
    VEND_XML_END_ELEMENT = 15,
};

/// Loads libxml2 once (thread-safe). Returns 0, or -1 with the reason in `error`.
int vend_xml_load(char *error, size_t error_size);

/// A reader over `size` bytes: no network, no DTD loading, CDATA as text, and nothing printed
/// on stderr (errors come from vend_xml_last_error).
vend_xml_reader *vend_xml_reader_for_memory(const char *buffer, int size);
/// 1: moved to the next node; 0: end of document; -1: error.
int vend_xml_read(vend_xml_reader *reader);
int vend_xml_node_type(vend_xml_reader *reader);
int vend_xml_is_empty_element(vend_xml_reader *reader);
/// The node's name without its namespace prefix (UTF-8), or NULL.
const char *vend_xml_local_name(vend_xml_reader *reader);
/// A text node's text (UTF-8), or NULL.
const char *vend_xml_value(vend_xml_reader *reader);
void vend_xml_free_reader(vend_xml_reader *reader);
/// libxml2's message for the last error on this thread, or NULL.
const char *vend_xml_last_error(void);

#endif
