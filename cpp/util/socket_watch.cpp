#include "util/socket_watch.hpp"

#include <unistd.h>

namespace databento::node {

SocketWatch* SocketWatch::Open(napi_env env, int fd, OnReadable on_readable, void* data,
                               SocketWatch** owner_ref) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    ::close(fd);
    return nullptr;
  }
  auto* watch = new SocketWatch{fd, on_readable, data, owner_ref};
  if (uv_poll_init(loop, &watch->poll_, fd) != 0) {
    delete watch;  // never a libuv handle: nothing to wait for
    return nullptr;
  }
  watch->poll_.data = watch;
  if (napi_add_async_cleanup_hook(env, &SocketWatch::OnTeardown, watch, &watch->hook_) != napi_ok) {
    watch->hook_ = nullptr;
  }
  return watch;
}

SocketWatch::SocketWatch(int fd, OnReadable on_readable, void* data, SocketWatch** owner_ref)
    : fd_{fd}, on_readable_{on_readable}, data_{data}, owner_ref_{owner_ref} {}

SocketWatch::~SocketWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void SocketWatch::Arm() {
  if (closing_ || armed_) return;
  armed_ = uv_poll_start(&poll_, UV_READABLE | UV_DISCONNECT, &SocketWatch::OnPoll) == 0;
}

void SocketWatch::Disarm() {
  if (closing_ || !armed_) return;
  uv_poll_stop(&poll_);
  armed_ = false;
}

void SocketWatch::SetRef(bool ref) {
  if (closing_) return;
  auto* handle = reinterpret_cast<uv_handle_t*>(&poll_);
  if (ref) {
    uv_ref(handle);
  } else {
    uv_unref(handle);
  }
}

void SocketWatch::Close() {
  if (closing_) return;
  closing_ = true;
  if (owner_ref_ != nullptr && *owner_ref_ == this) *owner_ref_ = nullptr;
  owner_ref_ = nullptr;
  on_readable_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), &SocketWatch::OnClosed);
}

void SocketWatch::OnPoll(uv_poll_t* handle, int, int) {
  auto* self = static_cast<SocketWatch*>(handle->data);
  // Once per Arm(): the socket stays readable until the reader gets to it.
  self->Disarm();
  if (self->on_readable_ != nullptr) self->on_readable_(self->data_);
}

void SocketWatch::OnTeardown(napi_async_cleanup_hook_handle, void* arg) {
  static_cast<SocketWatch*>(arg)->Close();
}

void SocketWatch::OnClosed(uv_handle_t* handle) {
  auto* self = static_cast<SocketWatch*>(handle->data);
  // Node waits for this removal before it closes the loop.
  if (self->hook_ != nullptr) napi_remove_async_cleanup_hook(self->hook_);
  delete self;
}

}  // namespace databento::node
