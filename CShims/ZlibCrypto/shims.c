#include "CZlibCrypto.h"

int rw_deflate_init(z_stream *stream, int level, int window_bits, int mem_level) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY);
}

int rw_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
