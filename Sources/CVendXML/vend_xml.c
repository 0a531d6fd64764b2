#include "vend_xml.h"

#include "vend_dl.h"
#include <pthread.h>
#include <stdio.h>

// The first fields of libxml2's xmlError (xmlerror.h): domain, code, message.
struct vend_xml_error_prefix {
    int domain;
    int code;
    char *message;
};

static struct {
    void (*init_parser)(void);
    void *(*reader_for_memory)(const char *, int, const char *, const char *, int);
    int (*read)(void *);
    int (*node_type)(void *);
    int (*is_empty_element)(void *);
    const unsigned char *(*local_name)(void *);
    const unsigned char *(*value)(void *);
    void (*free_reader)(void *);
    const struct vend_xml_error_prefix *(*last_error)(void);
    void (*reset_last_error)(void);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded = -1;

static void *symbol(void *library, const char *name) {
    return vend_dl_symbol(library, "libxml2", name, load_error, sizeof load_error);
}

static void load(void) {
    static const char *const names[] = {"libxml2.so.2", "libxml2.so"};
    void *library = vend_dl_open(names, 2, load_error, sizeof load_error);
    if (!library) return;
    api.init_parser = (void (*)(void))symbol(library, "xmlInitParser");
    api.reader_for_memory = (void *(*)(const char *, int, const char *, const char *, int))symbol(library, "xmlReaderForMemory");
    api.read = (int (*)(void *))symbol(library, "xmlTextReaderRead");
    api.node_type = (int (*)(void *))symbol(library, "xmlTextReaderNodeType");
    api.is_empty_element = (int (*)(void *))symbol(library, "xmlTextReaderIsEmptyElement");
    api.local_name = (const unsigned char *(*)(void *))symbol(library, "xmlTextReaderConstLocalName");
    api.value = (const unsigned char *(*)(void *))symbol(library, "xmlTextReaderConstValue");
    api.free_reader = (void (*)(void *))symbol(library, "xmlFreeTextReader");
    api.last_error = (const struct vend_xml_error_prefix *(*)(void))symbol(library, "xmlGetLastError");
    api.reset_last_error = (void (*)(void))symbol(library, "xmlResetLastError");
    if (load_error[0] != 0) return;
    api.init_parser();  // once, before threads parse (libxml2's rule)
    loaded = 0;
}

int vend_xml_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (loaded != 0 && error && error_size > 0) snprintf(error, error_size, "%s", load_error);
    return loaded;
}

vend_xml_reader *vend_xml_reader_for_memory(const char *buffer, int size) {
    // XML_PARSE_NOERROR (32) | XML_PARSE_NOWARNING (64) | XML_PARSE_NONET (2048) | XML_PARSE_NOCDATA (16384);
    // no XML_PARSE_NOENT, DTDLOAD or HUGE: entities are not expanded, nothing is fetched, and
    // libxml2's default depth and size limits stay on.
    api.reset_last_error();
    return api.reader_for_memory(buffer, size, NULL, "UTF-8", 32 | 64 | 2048 | 16384);
}
int vend_xml_read(vend_xml_reader *reader) { return api.read(reader); }
int vend_xml_node_type(vend_xml_reader *reader) { return api.node_type(reader); }
int vend_xml_is_empty_element(vend_xml_reader *reader) { return api.is_empty_element(reader); }
const char *vend_xml_local_name(vend_xml_reader *reader) { return (const char *)api.local_name(reader); }
const char *vend_xml_value(vend_xml_reader *reader) { return (const char *)api.value(reader); }
void vend_xml_free_reader(vend_xml_reader *reader) { api.free_reader(reader); }
const char *vend_xml_last_error(void) {
    const struct vend_xml_error_prefix *error = api.last_error();
    return error ? error->message : NULL;
}
