#ifndef CARCHIVE_SHIM_H
#define CARCHIVE_SHIM_H

/* Types and constants only: nothing links libarchive; Archive loads it on first use
 * (Sources/Archive/LibArchive/LibArchive.swift). */
#include <archive.h>
#include <archive_entry.h>

/* archive_entry.h spells the file types as casts, ((__LA_MODE_T)0100000), which Swift does not
 * import; the same values as constants. */
static const __LA_MODE_T CArchive_IFREG = AE_IFREG;
static const __LA_MODE_T CArchive_IFDIR = AE_IFDIR;
static const __LA_MODE_T CArchive_IFLNK = AE_IFLNK;
static const __LA_MODE_T CArchive_IFCHR = AE_IFCHR;
static const __LA_MODE_T CArchive_IFBLK = AE_IFBLK;
static const __LA_MODE_T CArchive_IFIFO = AE_IFIFO;
static const __LA_MODE_T CArchive_IFSOCK = AE_IFSOCK;

#endif
