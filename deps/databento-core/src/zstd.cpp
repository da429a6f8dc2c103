#include "databento/zstd.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include "databento/dbn_error.hpp"

namespace databento {
namespace {

// The few parts of libzstd's stable ABI that are used here (zstd >= 1.4).
struct InBuffer {
  const void* src;
  std::size_t size;
  std::size_t pos;
};
struct OutBuffer {
  void* dst;
  std::size_t size;
  std::size_t pos;
};
constexpr int kEndContinue = 0;
constexpr int kEndFlush = 1;
constexpr int kEndEnd = 2;
constexpr int kParamCompressionLevel = 100;

}  // namespace

struct ZstdApi {
  void* (*create_dstream)();
  std::size_t (*free_dstream)(void*);
  std::size_t (*decompress_stream)(void*, OutBuffer*, InBuffer*);
  std::size_t (*dstream_out_size)();
  void* (*create_cctx)();
  std::size_t (*free_cctx)(void*);
  std::size_t (*cctx_set_parameter)(void*, int, int);
  std::size_t (*compress_stream2)(void*, OutBuffer*, InBuffer*, int);
  std::size_t (*cstream_out_size)();
  unsigned (*is_error)(std::size_t);
  const char* (*get_error_name)(std::size_t);
  std::string load_error;  // empty when every symbol resolved
};

namespace {

template <typename F>
void Resolve(void* lib, const char* name, F& fn, std::string& error) {
  fn = reinterpret_cast<F>(::dlsym(lib, name));
  if (fn == nullptr && error.empty()) {
    error = std::string{"libzstd.so.1 lacks "} + name;
  }
}

ZstdApi Load() {
  ZstdApi api{};
  // DATABENTO_ZSTD_LIBRARY names another copy of libzstd (a path or soname).
  const char* name = std::getenv("DATABENTO_ZSTD_LIBRARY");
  if (name == nullptr || *name == '\0') {
    name = "libzstd.so.1";
  }
  void* lib = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = ::dlerror();
    api.load_error = why ? why : std::string{"dlopen("} + name + ") failed";
    return api;
  }
  // The library stays loaded for the life of the process: streams from any
  // thread or Node environment may use it.
  auto& e = api.load_error;
  Resolve(lib, "ZSTD_createDStream", api.create_dstream, e);
  Resolve(lib, "ZSTD_freeDStream", api.free_dstream, e);
  Resolve(lib, "ZSTD_decompressStream", api.decompress_stream, e);
  Resolve(lib, "ZSTD_DStreamOutSize", api.dstream_out_size, e);
  Resolve(lib, "ZSTD_createCCtx", api.create_cctx, e);
  Resolve(lib, "ZSTD_freeCCtx", api.free_cctx, e);
  Resolve(lib, "ZSTD_CCtx_setParameter", api.cctx_set_parameter, e);
  Resolve(lib, "ZSTD_compressStream2", api.compress_stream2, e);
  Resolve(lib, "ZSTD_CStreamOutSize", api.cstream_out_size, e);
  Resolve(lib, "ZSTD_isError", api.is_error, e);
  Resolve(lib, "ZSTD_getErrorName", api.get_error_name, e);
  return api;
}

}  // namespace

const ZstdApi& LoadZstd() {
  static const ZstdApi api = Load();
  if (!api.load_error.empty()) {
    throw DbnError{DbnErrorCode::ZstdUnavailable,
                   "zstd-compressed DBN needs the system library libzstd.so.1 "
                   "(Debian/Ubuntu package libzstd1, RHEL zstd-libs): " +
                       api.load_error};
  }
  return api;
}

ZstdDecompressor::ZstdDecompressor()
    : api_{LoadZstd()},
      stream_{api_.create_dstream()},
      out_step_{api_.dstream_out_size()} {
  if (stream_ == nullptr) {
    throw DbnError{DbnErrorCode::ZstdCorrupt,
                   "could not allocate a zstd decompression stream"};
  }
}

ZstdDecompressor::~ZstdDecompressor() { api_.free_dstream(stream_); }

ZstdDecompressor::Progress ZstdDecompressor::DecompressInto(
    const std::uint8_t* data, std::size_t size, std::uint8_t* out,
    std::size_t out_size) {
  InBuffer in{data, size, 0};
  OutBuffer o{out, out_size, 0};
  // One call may stop early (e.g. at a block boundary) with room left; go on
  // until the input is used up or the output is full.
  while (o.pos < o.size) {
    const std::size_t before_in = in.pos;
    const std::size_t before_out = o.pos;
    const std::size_t ret = api_.decompress_stream(stream_, &o, &in);
    if (api_.is_error(ret)) {
      throw DbnError{DbnErrorCode::ZstdCorrupt,
                     std::string{"corrupt zstd data: "} +
                         api_.get_error_name(ret)};
    }
    if (in.pos == before_in && o.pos == before_out) {
      break;  // needs more input
    }
    at_frame_boundary_ = ret == 0;
    if (ret == 0 && in.pos == in.size) {
      break;  // a frame ended with the input
    }
  }
  return {in.pos, o.pos};
}

ZstdCompressor::ZstdCompressor(int level)
    : api_{LoadZstd()}, stream_{api_.create_cctx()} {
  if (stream_ == nullptr) {
    throw DbnError{DbnErrorCode::ZstdCorrupt,
                   "could not allocate a zstd compression stream"};
  }
  api_.cctx_set_parameter(stream_, kParamCompressionLevel, level);
}

ZstdCompressor::~ZstdCompressor() { api_.free_cctx(stream_); }

void ZstdCompressor::Drive(const std::uint8_t* data, std::size_t size,
                           int directive, ByteBuffer& out) {
  InBuffer in{data, size, 0};
  const std::size_t step = api_.cstream_out_size();
  while (true) {
    OutBuffer o{out.Prepare(step), step, 0};
    const std::size_t remaining =
        api_.compress_stream2(stream_, &o, &in, directive);
    out.Commit(o.pos);
    if (api_.is_error(remaining)) {
      throw DbnError{DbnErrorCode::ZstdCorrupt,
                     std::string{"zstd compression failed: "} +
                         api_.get_error_name(remaining)};
    }
    const bool input_done = in.pos == in.size;
    if (directive == kEndContinue ? input_done : (input_done && remaining == 0)) {
      break;
    }
  }
}

void ZstdCompressor::Compress(const std::uint8_t* data, std::size_t size,
                              ByteBuffer& out) {
  Drive(data, size, kEndContinue, out);
}

void ZstdCompressor::Flush(ByteBuffer& out) {
  Drive(nullptr, 0, kEndFlush, out);
}

void ZstdCompressor::End(ByteBuffer& out) {
  Drive(nullptr, 0, kEndEnd, out);
}

}  // namespace databento
