#ifndef VEND_CURL_H
#define VEND_CURL_H
// libcurl, loaded with dlopen on first use instead of linked: a process that never makes an
// HTTP request (vend --version, validate, build) does not pay for loading libcurl and the ~25
// libraries it pulls in. Only the calls vend makes are wrapped, each with fixed argument types
// (curl_easy_setopt is variadic and cannot be called from Swift).
//
// The option and info numbers are libcurl's ABI (curl/curl.h), unchanged since libcurl 7.x.
#include <stddef.h>
#include <stdint.h>

typedef void vend_curl_handle;
typedef struct vend_curl_slist vend_curl_slist;

enum {
    VEND_CURLE_OK = 0,
    VEND_CURLE_UNSUPPORTED_PROTOCOL = 1,
    VEND_CURLE_URL_MALFORMAT = 3,
    VEND_CURLE_WRITE_ERROR = 23,
    VEND_CURLE_OPERATION_TIMEDOUT = 28,
    VEND_CURLE_ABORTED_BY_CALLBACK = 42,
};

enum {
    VEND_CURLOPT_WRITEDATA = 10001,
    VEND_CURLOPT_URL = 10002,
    VEND_CURLOPT_ERRORBUFFER = 10010,
    VEND_CURLOPT_POSTFIELDS = 10015,
    VEND_CURLOPT_HTTPHEADER = 10023,
    VEND_CURLOPT_HEADERDATA = 10029,
    VEND_CURLOPT_CUSTOMREQUEST = 10036,
    VEND_CURLOPT_XFERINFODATA = 10057,
    VEND_CURLOPT_CAINFO = 10065,
    VEND_CURLOPT_PROTOCOLS_STR = 10318,
    VEND_CURLOPT_NOPROGRESS = 43,
    VEND_CURLOPT_NOBODY = 44,
    VEND_CURLOPT_FOLLOWLOCATION = 52,
    VEND_CURLOPT_HTTPGET = 80,
    VEND_CURLOPT_HTTP_VERSION = 84,
    VEND_CURLOPT_NOSIGNAL = 99,
    VEND_CURLOPT_TIMEOUT_MS = 155,
    VEND_CURLOPT_CONNECTTIMEOUT_MS = 156,
    VEND_CURLOPT_TCP_KEEPALIVE = 213,
    VEND_CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    VEND_CURLOPT_WRITEFUNCTION = 20011,
    VEND_CURLOPT_HEADERFUNCTION = 20079,
};

enum { VEND_CURLINFO_RESPONSE_CODE = 0x200002 };
enum { VEND_CURL_HTTP_VERSION_1_1 = 2 };
enum { VEND_CURL_ERROR_SIZE = 256 };

typedef size_t (*vend_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*vend_curl_progress_callback)(void *context, int64_t download_total, int64_t downloaded,
                                           int64_t upload_total, int64_t uploaded);

/// Loads libcurl once (thread-safe). Returns 0, or -1 with the reason in `error`.
int vend_curl_load(char *error, size_t error_size);

vend_curl_handle *vend_curl_easy_init(void);
void vend_curl_easy_reset(vend_curl_handle *handle);
void vend_curl_easy_cleanup(vend_curl_handle *handle);
int vend_curl_easy_perform(vend_curl_handle *handle);
int vend_curl_setopt_long(vend_curl_handle *handle, int option, long value);
int vend_curl_setopt_int64(vend_curl_handle *handle, int option, int64_t value);
int vend_curl_setopt_pointer(vend_curl_handle *handle, int option, const void *value);
int vend_curl_setopt_data_callback(vend_curl_handle *handle, int option, vend_curl_data_callback callback);
int vend_curl_setopt_progress_callback(vend_curl_handle *handle, vend_curl_progress_callback callback);
int vend_curl_getinfo_long(vend_curl_handle *handle, int info, long *value);
vend_curl_slist *vend_curl_slist_append(vend_curl_slist *list, const char *line);
void vend_curl_slist_free_all(vend_curl_slist *list);
const char *vend_curl_strerror(int code);

#endif
