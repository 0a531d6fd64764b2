#include "vend_curl.h"

#include "vend_dl.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// The libcurl functions vend calls, with their real prototypes (curl/curl.h).
static struct {
    int (*global_init)(long flags);
    void *(*easy_init)(void);
    void (*easy_reset)(void *);
    void (*easy_cleanup)(void *);
    int (*easy_perform)(void *);
    int (*easy_setopt)(void *, int, ...);
    int (*easy_getinfo)(void *, int, ...);
    void *(*slist_append)(void *, const char *);
    void (*slist_free_all)(void *);
    const char *(*easy_strerror)(int);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded = -1;

static void *symbol(void *library, const char *name) {
    return vend_dl_symbol(library, "libcurl", name, load_error, sizeof load_error);
}

static void load(void) {
    // libcurl4 (OpenSSL) first, then the GnuTLS and NSS builds Debian also ships under other names.
    static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4", "libcurl.so"};
    void *library = vend_dl_open(names, sizeof names / sizeof names[0], load_error, sizeof load_error);
    if (!library) return;
    api.global_init = (int (*)(long))symbol(library, "curl_global_init");
    api.easy_init = (void *(*)(void))symbol(library, "curl_easy_init");
    api.easy_reset = (void (*)(void *))symbol(library, "curl_easy_reset");
    api.easy_cleanup = (void (*)(void *))symbol(library, "curl_easy_cleanup");
    api.easy_perform = (int (*)(void *))symbol(library, "curl_easy_perform");
    api.easy_setopt = (int (*)(void *, int, ...))symbol(library, "curl_easy_setopt");
    api.easy_getinfo = (int (*)(void *, int, ...))symbol(library, "curl_easy_getinfo");
    api.slist_append = (void *(*)(void *, const char *))symbol(library, "curl_slist_append");
    api.slist_free_all = (void (*)(void *))symbol(library, "curl_slist_free_all");
    api.easy_strerror = (const char *(*)(int))symbol(library, "curl_easy_strerror");
    if (load_error[0] != 0) return;
    // CURL_GLOBAL_DEFAULT (SSL | WIN32); once, before any handle exists, as libcurl requires.
    int status = api.global_init(3);
    if (status != 0) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed (%d)", status);
        return;
    }
    loaded = 0;
}

int vend_curl_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (loaded != 0 && error && error_size > 0) snprintf(error, error_size, "%s", load_error);
    return loaded;
}

vend_curl_handle *vend_curl_easy_init(void) { return api.easy_init(); }
void vend_curl_easy_reset(vend_curl_handle *handle) { api.easy_reset(handle); }
void vend_curl_easy_cleanup(vend_curl_handle *handle) { api.easy_cleanup(handle); }
int vend_curl_easy_perform(vend_curl_handle *handle) { return api.easy_perform(handle); }
int vend_curl_setopt_long(vend_curl_handle *handle, int option, long value) { return api.easy_setopt(handle, option, value); }
int vend_curl_setopt_int64(vend_curl_handle *handle, int option, int64_t value) { return api.easy_setopt(handle, option, (long long)value); }
int vend_curl_setopt_pointer(vend_curl_handle *handle, int option, const void *value) { return api.easy_setopt(handle, option, value); }
int vend_curl_setopt_data_callback(vend_curl_handle *handle, int option, vend_curl_data_callback callback) {
    return api.easy_setopt(handle, option, callback);
}
int vend_curl_setopt_progress_callback(vend_curl_handle *handle, vend_curl_progress_callback callback) {
    return api.easy_setopt(handle, 20219 /* CURLOPT_XFERINFOFUNCTION */, callback);
}
int vend_curl_getinfo_long(vend_curl_handle *handle, int info, long *value) { return api.easy_getinfo(handle, info, value); }
vend_curl_slist *vend_curl_slist_append(vend_curl_slist *list, const char *line) {
    return (vend_curl_slist *)api.slist_append(list, line);
}
void vend_curl_slist_free_all(vend_curl_slist *list) { api.slist_free_all(list); }
const char *vend_curl_strerror(int code) { return api.easy_strerror(code); }
