// CZlibCrypto: the zlib and libcrypto entry points the codecs need (permessage-deflate, the
// handshake's SHA-1). No I/O: the codec target that imports it stays sans-I/O.
#ifndef RINGWIRE_CZLIBCRYPTO_H
#define RINGWIRE_CZLIBCRYPTO_H

#include <openssl/sha.h>
#include <zlib.h>

/// zlib's deflateInit2/inflateInit2 are macros that pass the library version and struct size.
int rw_deflate_init(z_stream *stream, int level, int window_bits, int mem_level);
int rw_inflate_init(z_stream *stream, int window_bits);

#endif
