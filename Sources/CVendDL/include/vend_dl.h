#ifndef VEND_DL_H
#define VEND_DL_H
// What the three lazily loaded libraries (CVendCurl, CVendXML, CLibArchive) share: opening a
// system library by its possible names and looking up its functions, keeping the first reason
// for a failure.
#include <stddef.h>

/// Opens the first of `names` that loads (RTLD_NOW | RTLD_LOCAL); NULL with dlerror's reason in
/// `error` when none does.
void *vend_dl_open(const char *const *names, size_t count, char *error, size_t error_size);

/// The address of `symbol` in `library`; NULL when absent, recording "`label` lacks `symbol`"
/// in `error` unless it already holds a reason.
void *vend_dl_symbol(void *library, const char *label, const char *symbol, char *error, size_t error_size);

#endif
