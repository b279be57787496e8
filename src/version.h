/* version.h - the program's version (also in the man page and --version). */
#ifndef PIPCANARY_VERSION_H
#define PIPCANARY_VERSION_H
#define PIPCANARY_VERSION "0.1.0"
#endif
