#pragma once

// Waits on the JS thread's event loop for a socket to become readable, once
// per Arm(). Lets a live client read its socket on the JS thread when the
// feed is quiet: one thread wake-up per message, as a plain Node socket.
//
// Lifetime rules. The watch is a libuv handle, which is freed only after
// libuv's close callback; so the watch is heap-allocated and deletes itself
// (closing its descriptor) once closed, whoever closes it:
// - its owner, through Close() (never touching it again);
// - the environment's teardown (worker.terminate(), exit), through an
//   asynchronous cleanup hook, which Node waits for: a handle left open would
//   make Node's loop close abort. The owner learns of it through `owner_ref`,
//   which is cleared.
// Callbacks run on the JS thread only.

#include <node_api.h>
#include <uv.h>

namespace databento::node {

class SocketWatch {
 public:
  using OnReadable = void (*)(void* data);

  // Watches `fd` (its owner from now on, even on failure); nullptr on
  // failure. `*owner_ref` is where the owner keeps the watch.
  static SocketWatch* Open(napi_env env, int fd, OnReadable on_readable, void* data,
                           SocketWatch** owner_ref);

  // Calls on_readable once, the next time the socket is readable (or fails).
  void Arm();
  void Disarm();
  // Whether the watch keeps the event loop alive while armed.
  void SetRef(bool ref);
  // Stops every call and frees the watch once libuv lets go.
  void Close();

 private:
  SocketWatch(int fd, OnReadable on_readable, void* data, SocketWatch** owner_ref);
  ~SocketWatch();
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnTeardown(napi_async_cleanup_hook_handle hook, void* arg);
  static void OnClosed(uv_handle_t* handle);

  uv_poll_t poll_{};
  int fd_;
  OnReadable on_readable_;
  void* data_;
  SocketWatch** owner_ref_;
  napi_async_cleanup_hook_handle hook_{nullptr};
  bool armed_{false};
  bool closing_{false};
};

}  // namespace databento::node
