#ifndef VEND_CLIBARCHIVE_SHIM_H
#define VEND_CLIBARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

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
