#include "vend_dl.h"

#include <dlfcn.h>
#include <stdio.h>

void *vend_dl_open(const char *const *names, size_t count, char *error, size_t error_size) {
    const char *why = NULL;
    for (size_t i = 0; i < count; i++) {
        void *library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (library) return library;
        if (!why) why = dlerror();
    }
    if (error && error_size > 0) snprintf(error, error_size, "%s", why ? why : "not found");
    return NULL;
}

void *vend_dl_symbol(void *library, const char *label, const char *symbol, char *error, size_t error_size) {
    void *found = dlsym(library, symbol);
    if (!found && error && error_size > 0 && error[0] == 0) snprintf(error, error_size, "%s lacks %s", label, symbol);
    return found;
}
