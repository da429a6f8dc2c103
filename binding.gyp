{
  "targets": [
    {
      "target_name": "databento",
      "sources": ["<!@(node scripts/sources.mjs addon core)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "deps/databento-core/include",
        "cpp"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-std=c++20", "-fexceptions", "-O3", "-fvisibility=hidden"],
      "ldflags": ["-static-libstdc++"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
