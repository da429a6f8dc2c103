#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

namespace databento {

// A growable byte buffer that, unlike std::vector, does not zero the room it
// makes: decoders write every byte they expose, and zeroing would cost as
// much as the copy itself on the hot path.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  // A moved-from buffer is empty and can be used again.
  ByteBuffer(ByteBuffer&& other) noexcept { *this = std::move(other); }
  ByteBuffer& operator=(ByteBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    cap_ = std::exchange(other.cap_, 0);
    return *this;
  }

  const std::uint8_t* data() const { return data_.get(); }
  std::uint8_t* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return cap_; }
  bool empty() const { return size_ == 0; }
  std::uint8_t operator[](std::size_t i) const { return data_[i]; }

  // Returns room for at least `n` more bytes at the end; Commit() makes the
  // bytes written there part of the buffer.
  std::uint8_t* Prepare(std::size_t n) {
    if (cap_ - size_ < n) {
      Grow(size_ + n);
    }
    return data_.get() + size_;
  }
  void Commit(std::size_t n) { size_ += n; }

  void Append(const std::uint8_t* bytes, std::size_t n) {
    if (n == 0) return;
    std::memcpy(Prepare(n), bytes, n);
    size_ += n;
  }

  // Drops the first `n` bytes.
  void ConsumeFront(std::size_t n) {
    std::memmove(data_.get(), data_.get() + n, size_ - n);
    size_ -= n;
  }

  void Clear() { size_ = 0; }

  // Frees the memory.
  void Release() {
    data_.reset();
    size_ = cap_ = 0;
  }

 private:
  void Grow(std::size_t need) {
    std::size_t cap = cap_ < 4096 ? 4096 : cap_;
    while (cap < need) cap *= 2;
    auto bigger = std::make_unique_for_overwrite<std::uint8_t[]>(cap);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    cap_ = cap;
  }

  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_{};
  std::size_t cap_{};
};

}  // namespace databento
