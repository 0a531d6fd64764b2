// libarchive, loaded with dlopen on first use instead of linked: vend --version, validate and
// every AWS command that reads no bundle skip loading libarchive and what it pulls in
// (libxml2, ICU, nettle, lzma, zstd, lz4, bz2, acl). Each function vend calls is defined here
// under its own name and prototype (from archive.h), forwarding to the loaded library; before
// the library is loaded (or when it cannot be), calls fail the way libarchive reports failure
// (NULL or ARCHIVE_FATAL) and archive_error_string says why.
//
// The list follows what Sources/VendBundle and Tests/VendBundleTests call; a new call needs a
// line in each of the three places below (the link fails until it has them).
#include "CLibArchive.h"

#include "vend_dl.h"
#include <pthread.h>
#include <stdio.h>

static struct {
    void (*entry_copy_pathname)(struct archive_entry *, const char *);
    __LA_MODE_T (*entry_filetype)(struct archive_entry *);
    void (*entry_free)(struct archive_entry *);
    la_int64_t (*entry_gid)(struct archive_entry *);
    const char *(*entry_hardlink)(struct archive_entry *);
    time_t (*entry_mtime)(struct archive_entry *);
    struct archive_entry *(*entry_new)(void);
    const char *(*entry_pathname_utf8)(struct archive_entry *);
    __LA_MODE_T (*entry_perm)(struct archive_entry *);
    void (*entry_set_filetype)(struct archive_entry *, unsigned int);
    void (*entry_set_gid)(struct archive_entry *, la_int64_t);
    void (*entry_set_hardlink)(struct archive_entry *, const char *);
    void (*entry_set_mtime)(struct archive_entry *, time_t, long);
    void (*entry_set_pathname_utf8)(struct archive_entry *, const char *);
    void (*entry_set_perm)(struct archive_entry *, __LA_MODE_T);
    void (*entry_set_rdev)(struct archive_entry *, dev_t);
    void (*entry_set_size)(struct archive_entry *, la_int64_t);
    void (*entry_set_symlink)(struct archive_entry *, const char *);
    void (*entry_set_uid)(struct archive_entry *, la_int64_t);
    la_int64_t (*entry_size)(struct archive_entry *);
    la_int64_t (*entry_uid)(struct archive_entry *);
    const char *(*entry_uname)(struct archive_entry *);
    const char *(*error_string)(struct archive *);
    la_ssize_t (*read_data)(struct archive *, void *, size_t);
    int (*read_data_skip)(struct archive *);
    int (*read_free)(struct archive *);
    struct archive *(*read_new)(void);
    int (*read_next_header)(struct archive *, struct archive_entry **);
    int (*read_open_filename)(struct archive *, const char *, size_t);
    int (*read_support_filter_gzip)(struct archive *);
    int (*read_support_format_tar)(struct archive *);
    int (*write_add_filter_gzip)(struct archive *);
    int (*write_close)(struct archive *);
    la_ssize_t (*write_data)(struct archive *, const void *, size_t);
    int (*write_free)(struct archive *);
    int (*write_header)(struct archive *, struct archive_entry *);
    struct archive *(*write_new)(void);
    int (*write_open_filename)(struct archive *, const char *);
    int (*write_set_format_pax_restricted)(struct archive *);
    int (*write_set_options)(struct archive *, const char *);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded = -1;

static void *symbol(void *library, const char *name) {
    return vend_dl_symbol(library, "libarchive", name, load_error, sizeof load_error);
}

static void load(void) {
    static const char *const names[] = {"libarchive.so.13", "libarchive.so"};
    char why[256] = "";
    void *library = vend_dl_open(names, 2, why, sizeof why);
    if (!library) {
        snprintf(load_error, sizeof load_error, "libarchive could not be loaded (%s) — install it (Debian and Ubuntu: apt-get install libarchive13)", why);
        return;
    }
    api.entry_copy_pathname = (void (*)(struct archive_entry *, const char *))symbol(library, "archive_entry_copy_pathname");
    api.entry_filetype = (__LA_MODE_T (*)(struct archive_entry *))symbol(library, "archive_entry_filetype");
    api.entry_free = (void (*)(struct archive_entry *))symbol(library, "archive_entry_free");
    api.entry_gid = (la_int64_t (*)(struct archive_entry *))symbol(library, "archive_entry_gid");
    api.entry_hardlink = (const char *(*)(struct archive_entry *))symbol(library, "archive_entry_hardlink");
    api.entry_mtime = (time_t (*)(struct archive_entry *))symbol(library, "archive_entry_mtime");
    api.entry_new = (struct archive_entry *(*)(void))symbol(library, "archive_entry_new");
    api.entry_pathname_utf8 = (const char *(*)(struct archive_entry *))symbol(library, "archive_entry_pathname_utf8");
    api.entry_perm = (__LA_MODE_T (*)(struct archive_entry *))symbol(library, "archive_entry_perm");
    api.entry_set_filetype = (void (*)(struct archive_entry *, unsigned int))symbol(library, "archive_entry_set_filetype");
    api.entry_set_gid = (void (*)(struct archive_entry *, la_int64_t))symbol(library, "archive_entry_set_gid");
    api.entry_set_hardlink = (void (*)(struct archive_entry *, const char *))symbol(library, "archive_entry_set_hardlink");
    api.entry_set_mtime = (void (*)(struct archive_entry *, time_t, long))symbol(library, "archive_entry_set_mtime");
    api.entry_set_pathname_utf8 = (void (*)(struct archive_entry *, const char *))symbol(library, "archive_entry_set_pathname_utf8");
    api.entry_set_perm = (void (*)(struct archive_entry *, __LA_MODE_T))symbol(library, "archive_entry_set_perm");
    api.entry_set_rdev = (void (*)(struct archive_entry *, dev_t))symbol(library, "archive_entry_set_rdev");
    api.entry_set_size = (void (*)(struct archive_entry *, la_int64_t))symbol(library, "archive_entry_set_size");
    api.entry_set_symlink = (void (*)(struct archive_entry *, const char *))symbol(library, "archive_entry_set_symlink");
    api.entry_set_uid = (void (*)(struct archive_entry *, la_int64_t))symbol(library, "archive_entry_set_uid");
    api.entry_size = (la_int64_t (*)(struct archive_entry *))symbol(library, "archive_entry_size");
    api.entry_uid = (la_int64_t (*)(struct archive_entry *))symbol(library, "archive_entry_uid");
    api.entry_uname = (const char *(*)(struct archive_entry *))symbol(library, "archive_entry_uname");
    api.error_string = (const char *(*)(struct archive *))symbol(library, "archive_error_string");
    api.read_data = (la_ssize_t (*)(struct archive *, void *, size_t))symbol(library, "archive_read_data");
    api.read_data_skip = (int (*)(struct archive *))symbol(library, "archive_read_data_skip");
    api.read_free = (int (*)(struct archive *))symbol(library, "archive_read_free");
    api.read_new = (struct archive *(*)(void))symbol(library, "archive_read_new");
    api.read_next_header = (int (*)(struct archive *, struct archive_entry **))symbol(library, "archive_read_next_header");
    api.read_open_filename = (int (*)(struct archive *, const char *, size_t))symbol(library, "archive_read_open_filename");
    api.read_support_filter_gzip = (int (*)(struct archive *))symbol(library, "archive_read_support_filter_gzip");
    api.read_support_format_tar = (int (*)(struct archive *))symbol(library, "archive_read_support_format_tar");
    api.write_add_filter_gzip = (int (*)(struct archive *))symbol(library, "archive_write_add_filter_gzip");
    api.write_close = (int (*)(struct archive *))symbol(library, "archive_write_close");
    api.write_data = (la_ssize_t (*)(struct archive *, const void *, size_t))symbol(library, "archive_write_data");
    api.write_free = (int (*)(struct archive *))symbol(library, "archive_write_free");
    api.write_header = (int (*)(struct archive *, struct archive_entry *))symbol(library, "archive_write_header");
    api.write_new = (struct archive *(*)(void))symbol(library, "archive_write_new");
    api.write_open_filename = (int (*)(struct archive *, const char *))symbol(library, "archive_write_open_filename");
    api.write_set_format_pax_restricted = (int (*)(struct archive *))symbol(library, "archive_write_set_format_pax_restricted");
    api.write_set_options = (int (*)(struct archive *, const char *))symbol(library, "archive_write_set_options");
    if (load_error[0] == 0) loaded = 0;
}

static int ready(void) {
    pthread_once(&once, load);
    return loaded == 0;
}

int vend_archive_load(char *error, size_t error_size) {
    if (!ready() && error && error_size > 0) snprintf(error, error_size, "%s", load_error);
    return loaded;
}

void archive_entry_copy_pathname(struct archive_entry *a0, const char *a1) {
    if (!ready()) return;
    api.entry_copy_pathname(a0, a1);
}

__LA_MODE_T archive_entry_filetype(struct archive_entry *a0) {
    if (!ready()) return 0;
    return api.entry_filetype(a0);
}

void archive_entry_free(struct archive_entry *a0) {
    if (!ready()) return;
    api.entry_free(a0);
}

la_int64_t archive_entry_gid(struct archive_entry *a0) {
    if (!ready()) return 0;
    return api.entry_gid(a0);
}

const char *archive_entry_hardlink(struct archive_entry *a0) {
    if (!ready()) return NULL;
    return api.entry_hardlink(a0);
}

time_t archive_entry_mtime(struct archive_entry *a0) {
    if (!ready()) return 0;
    return api.entry_mtime(a0);
}

struct archive_entry *archive_entry_new(void) {
    if (!ready()) return NULL;
    return api.entry_new();
}

const char *archive_entry_pathname_utf8(struct archive_entry *a0) {
    if (!ready()) return NULL;
    return api.entry_pathname_utf8(a0);
}

__LA_MODE_T archive_entry_perm(struct archive_entry *a0) {
    if (!ready()) return 0;
    return api.entry_perm(a0);
}

void archive_entry_set_filetype(struct archive_entry *a0, unsigned int a1) {
    if (!ready()) return;
    api.entry_set_filetype(a0, a1);
}

void archive_entry_set_gid(struct archive_entry *a0, la_int64_t a1) {
    if (!ready()) return;
    api.entry_set_gid(a0, a1);
}

void archive_entry_set_hardlink(struct archive_entry *a0, const char *a1) {
    if (!ready()) return;
    api.entry_set_hardlink(a0, a1);
}

void archive_entry_set_mtime(struct archive_entry *a0, time_t a1, long a2) {
    if (!ready()) return;
    api.entry_set_mtime(a0, a1, a2);
}

void archive_entry_set_pathname_utf8(struct archive_entry *a0, const char *a1) {
    if (!ready()) return;
    api.entry_set_pathname_utf8(a0, a1);
}

void archive_entry_set_perm(struct archive_entry *a0, __LA_MODE_T a1) {
    if (!ready()) return;
    api.entry_set_perm(a0, a1);
}

void archive_entry_set_rdev(struct archive_entry *a0, dev_t a1) {
    if (!ready()) return;
    api.entry_set_rdev(a0, a1);
}

void archive_entry_set_size(struct archive_entry *a0, la_int64_t a1) {
    if (!ready()) return;
    api.entry_set_size(a0, a1);
}

void archive_entry_set_symlink(struct archive_entry *a0, const char *a1) {
    if (!ready()) return;
    api.entry_set_symlink(a0, a1);
}

void archive_entry_set_uid(struct archive_entry *a0, la_int64_t a1) {
    if (!ready()) return;
    api.entry_set_uid(a0, a1);
}

la_int64_t archive_entry_size(struct archive_entry *a0) {
    if (!ready()) return 0;
    return api.entry_size(a0);
}

la_int64_t archive_entry_uid(struct archive_entry *a0) {
    if (!ready()) return 0;
    return api.entry_uid(a0);
}

const char *archive_entry_uname(struct archive_entry *a0) {
    if (!ready()) return NULL;
    return api.entry_uname(a0);
}

const char *archive_error_string(struct archive *a0) {
    if (!ready()) return load_error;
    return api.error_string(a0);
}

la_ssize_t archive_read_data(struct archive *a0, void *a1, size_t a2) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_data(a0, a1, a2);
}

int archive_read_data_skip(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_data_skip(a0);
}

int archive_read_free(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_free(a0);
}

struct archive *archive_read_new(void) {
    if (!ready()) return NULL;
    return api.read_new();
}

int archive_read_next_header(struct archive *a0, struct archive_entry **a1) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_next_header(a0, a1);
}

int archive_read_open_filename(struct archive *a0, const char *a1, size_t a2) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_open_filename(a0, a1, a2);
}

int archive_read_support_filter_gzip(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_support_filter_gzip(a0);
}

int archive_read_support_format_tar(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.read_support_format_tar(a0);
}

int archive_write_add_filter_gzip(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_add_filter_gzip(a0);
}

int archive_write_close(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_close(a0);
}

la_ssize_t archive_write_data(struct archive *a0, const void *a1, size_t a2) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_data(a0, a1, a2);
}

int archive_write_free(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_free(a0);
}

int archive_write_header(struct archive *a0, struct archive_entry *a1) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_header(a0, a1);
}

struct archive *archive_write_new(void) {
    if (!ready()) return NULL;
    return api.write_new();
}

int archive_write_open_filename(struct archive *a0, const char *a1) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_open_filename(a0, a1);
}

int archive_write_set_format_pax_restricted(struct archive *a0) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_set_format_pax_restricted(a0);
}

int archive_write_set_options(struct archive *a0, const char *a1) {
    if (!ready()) return ARCHIVE_FATAL;
    return api.write_set_options(a0, a1);
}
