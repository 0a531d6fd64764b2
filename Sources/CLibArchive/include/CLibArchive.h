#ifndef VEND_CLIBARCHIVE_SHIM_H
#define VEND_CLIBARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <stddef.h>

/* libarchive is loaded with dlopen on first use (vend_archive.c): this loads it now and
   returns 0, or -1 with the reason in `error`. */
int vend_archive_load(char *error, size_t error_size);

/* AE_IF* are macros with casts that Swift cannot import: re-declare them as constants. */
static const unsigned int VEND_AE_IFMT = 0170000;
static const unsigned int VEND_AE_IFREG = 0100000;
static const unsigned int VEND_AE_IFLNK = 0120000;
static const unsigned int VEND_AE_IFDIR = 0040000;
static const unsigned int VEND_AE_IFCHR = 0020000;
static const unsigned int VEND_AE_IFBLK = 0060000;
static const unsigned int VEND_AE_IFIFO = 0010000;
static const unsigned int VEND_AE_IFSOCK = 0140000;
#endif
