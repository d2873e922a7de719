{
  "targets": [
    {
      "target_name": "cimswitch_dataplane",
      "sources": [
        "src/dataplane/native/binding.cc",
        "src/dataplane/native/core/commands.c",
        "src/dataplane/native/core/engine.c",
        "src/dataplane/native/core/forward.c",
        "src/dataplane/native/core/gso.c",
        "src/dataplane/native/core/kfast.c",
        "src/dataplane/native/core/link.c",
        "src/dataplane/native/core/mactable.c",
        "src/dataplane/native/core/ports.c"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags": ["-O2", "-Wall", "-fno-strict-aliasing"],
      "cflags_c": ["-std=gnu11"],
      "cflags_cc": ["-O2", "-Wall", "-std=c++17", "-fexceptions"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-lpthread"]
    }
  ]
}
