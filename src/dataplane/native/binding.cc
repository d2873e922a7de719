// binding.cc — the thin Node-API layer over the C core (core/dp.h). It converts command objects
// into struct dp_cmd batches, exposes device helpers that return fds, and raises event batches
// through ONE thread-safe function. JavaScript owns the counters buffer; the engine keeps a
// reference to it. The tsfn finalizer stops and joins the forwarding thread and frees the engine,
// so an environment torn down without close() still leaves no thread behind.
#include <napi.h>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern "C" {
#include "core/dp.h"
}

namespace {

Napi::Error ErrnoError(Napi::Env env, int err, const std::string& what) {
  const char* name = strerrorname_np(err);
  Napi::Error e = Napi::Error::New(env, what + ": " + strerror(err));
  e.Set("code", Napi::String::New(env, name ? name : "EIO"));
  e.Set("errno", Napi::Number::New(env, err));
  return e;
}

Napi::Error InvalidError(Napi::Env env, const std::string& what) {
  Napi::Error e = Napi::TypeError::New(env, what);
  e.Set("code", Napi::String::New(env, "EINVAL"));
  return e;
}

bool ParseMac(const std::string& s, uint8_t out[6]) {
  unsigned v[6];
  if (std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) return false;
  for (int i = 0; i < 6; i++) out[i] = static_cast<uint8_t>(v[i]);
  return true;
}

std::string FormatMac(const uint8_t* m) {
  char b[18];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return b;
}

int32_t IntField(const Napi::Object& o, const char* k, int32_t def) {
  Napi::Value v = o.Get(k);
  return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : def;
}

class Engine;
// Shared by the Engine object and the tsfn finalizer; whichever goes first tells the other.
struct EngineCtx {
  dp_engine* engine = nullptr;
  Engine* owner = nullptr;
};

void CallJs(Napi::Env env, Napi::Function callback, EngineCtx* ctx, void*);
using Tsfn = Napi::TypedThreadSafeFunction<EngineCtx, void, CallJs>;

class Engine : public Napi::ObjectWrap<Engine> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Engine",
                       {InstanceMethod("apply", &Engine::Apply), InstanceMethod("dumpMacs", &Engine::DumpMacs),
                        InstanceMethod("close", &Engine::Close), InstanceMethod("fastPath", &Engine::FastPath)});
  }

  explicit Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsArrayBuffer() || !info[1].IsFunction()) {
      InvalidError(env, "Engine(counters: ArrayBuffer, onEvents: Function)").ThrowAsJavaScriptException();
      return;
    }
    Napi::ArrayBuffer buf = info[0].As<Napi::ArrayBuffer>();
    if (buf.ByteLength() < DP_CTR_TOTAL * sizeof(uint64_t)) {
      InvalidError(env, "counters buffer too small").ThrowAsJavaScriptException();
      return;
    }
    counters_ = Napi::Persistent(buf);
    ctx_ = new EngineCtx();
    ctx_->owner = this;
    ctx_->engine = dp_engine_new(static_cast<uint64_t*>(buf.Data()), Notify, this);
    if (!ctx_->engine) {
      delete ctx_;
      ctx_ = nullptr;
      ErrnoError(env, ENOMEM, "dp_engine_new").ThrowAsJavaScriptException();
      return;
    }
    tsfn_ = Tsfn::New(env, info[1].As<Napi::Function>(), "cimswitch-dataplane-events", 0, 1, ctx_,
                      [](Napi::Env, void*, EngineCtx* ctx) {
                        // Runs after the last Release, or at environment teardown.
                        if (ctx->owner) ctx->owner->Detach();
                        dp_engine_free(ctx->engine);  // stops and joins the forwarding threads
                        delete ctx;
                      });
    tsfn_.Unref(env);
    int rc = dp_engine_start(ctx_->engine);
    if (rc < 0) {
      ErrnoError(env, -rc, "starting the forwarding thread").ThrowAsJavaScriptException();
      Shutdown();
    }
  }

  ~Engine() override { Shutdown(); }

  // The tsfn finalizer freed the engine (environment teardown): forget it.
  void Detach() {
    ctx_ = nullptr;
    released_ = true;
  }

 private:
  static void Notify(void* self) { static_cast<Engine*>(self)->tsfn_.NonBlockingCall(); }

  void Shutdown() {
    if (!ctx_ || released_) return;
    dp_engine_stop(ctx_->engine);  // the threads no longer call Notify after this
    ctx_->owner = nullptr;
    ctx_ = nullptr;
    released_ = true;
    tsfn_.Release();  // the finalizer frees the engine (and closes its fds)
  }

  bool Check(Napi::Env env) {
    if (ctx_) return true;
    Napi::Error e = Napi::Error::New(env, "the dataplane engine is closed");
    e.Set("code", Napi::String::New(env, "ECLOSED"));
    e.ThrowAsJavaScriptException();
    return false;
  }

  static bool ParseCmd(Napi::Env env, const Napi::Object& o, dp_cmd& c) {
    std::memset(&c, 0, sizeof c);
    c.op = static_cast<uint8_t>(IntField(o, "op", 0));
    c.sw = IntField(o, "sw", -1);
    c.port = IntField(o, "port", -1);
    c.kind = static_cast<uint8_t>(IntField(o, "kind", 0));
    c.fd = IntField(o, "fd", -1);
    c.vnet = o.Get("vnet").ToBoolean() ? 1 : 0;
    int32_t fast = IntField(o, "fastpath", DP_FAST_NONE);
    if (fast < DP_FAST_NONE || fast > DP_FAST_SAME_NETNS) return false;
    c.fastpath = static_cast<uint8_t>(fast);
    c.trunk = o.Get("trunk").ToBoolean() ? 1 : 0;
    c.mtu = static_cast<uint32_t>(IntField(o, "mtu", 1500));
    c.mac_limit = static_cast<uint32_t>(IntField(o, "macLimit", 8192));
    c.aging = static_cast<uint32_t>(IntField(o, "agingSeconds", 300));
    c.access_vlan = static_cast<uint16_t>(IntField(o, "accessVlan", 0));
    c.native_vlan = static_cast<uint16_t>(IntField(o, "nativeVlan", 0));
    c.vlan = static_cast<uint16_t>(IntField(o, "vlan", 0));
    Napi::Value list = o.Get("trunkVlans");
    if (list.IsArray()) {
      Napi::Array a = list.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) {
        int32_t v = a.Get(i).ToNumber().Int32Value();
        if (v < 1 || v > 4094) return false;
        c.trunk_vlans[v >> 3] |= static_cast<uint8_t>(1 << (v & 7));
      }
    }
    Napi::Value mac = o.Get("mac");
    if (mac.IsString() && !ParseMac(mac.As<Napi::String>().Utf8Value(), c.mac)) return false;
    Napi::Value rp = o.Get("remotePath");
    if (rp.IsString()) {
      std::string s = rp.As<Napi::String>().Utf8Value();
      if (s.size() >= sizeof c.remote_path) return false;
      std::memcpy(c.remote_path, s.data(), s.size());
    }
    (void)env;
    return true;
  }

  Napi::Value Apply(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Check(env)) return env.Undefined();
    if (info.Length() < 1 || !info[0].IsArray()) {
      InvalidError(env, "apply(commands: object[])").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array a = info[0].As<Napi::Array>();
    std::vector<dp_cmd> cmds(a.Length());
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value v = a.Get(i);
      if (!v.IsObject() || !ParseCmd(env, v.As<Napi::Object>(), cmds[i])) {
        InvalidError(env, "command " + std::to_string(i) + " is malformed").ThrowAsJavaScriptException();
        return env.Undefined();
      }
    }
    int rc = dp_engine_submit(ctx_->engine, cmds.data(), cmds.size());
    if (rc < 0) ErrnoError(env, -rc, "apply").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  Napi::Value DumpMacs(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Check(env)) return env.Undefined();
    int sw = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : -1;
    std::vector<dp_mac_entry> out(DP_MAX_MAC_LIMIT < 65536 ? DP_MAX_MAC_LIMIT : 65536);
    size_t n = 0;
    for (;;) {
      int rc = dp_engine_dump(ctx_->engine, sw, out.data(), out.size(), &n);
      if (rc < 0) {
        ErrnoError(env, -rc, "dumpMacs").ThrowAsJavaScriptException();
        return env.Undefined();
      }
      if (n < out.size() || out.size() >= DP_MAX_MAC_LIMIT) break;
      out.resize(out.size() * 4);
    }
    Napi::Array arr = Napi::Array::New(env, n);
    for (size_t i = 0; i < n; i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("mac", FormatMac(out[i].mac));
      o.Set("vlan", out[i].vlan);
      o.Set("port", out[i].port);
      o.Set("isStatic", out[i].is_static != 0);
      o.Set("age", out[i].age);
      arr.Set(static_cast<uint32_t>(i), o);
    }
    return arr;
  }

  // 1 when the kernel fast path is active, else the negative errno that keeps it off.
  Napi::Value FastPath(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Check(env)) return env.Undefined();
    return Napi::Number::New(env, dp_engine_fastpath(ctx_->engine));
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  Napi::Reference<Napi::ArrayBuffer> counters_;
  EngineCtx* ctx_ = nullptr;
  bool released_ = false;
  Tsfn tsfn_;
};

const char* EventName(uint8_t t) {
  switch (t) {
    case DP_EV_MAC_LEARNED: return "mac-learned";
    case DP_EV_MAC_AGED: return "mac-aged";
    case DP_EV_LINK_UP: return "link-up";
    case DP_EV_LINK_DOWN: return "link-down";
    case DP_EV_PORT_ERROR: return "port-error";
    default: return "events-lost";
  }
}

void DeliverEvents(Napi::Env env, Napi::Function callback, EngineCtx* ctx);

// Runs on the JS thread: drains the event ring into one array per call. During environment
// teardown JavaScript can no longer run: the call throws, and the batch is dropped.
void CallJs(Napi::Env env, Napi::Function callback, EngineCtx* ctx, void*) {
  if (env == nullptr || ctx == nullptr || ctx->engine == nullptr) return;
  try {
    DeliverEvents(env, callback, ctx);
  } catch (const Napi::Error&) {
  }
}

void DeliverEvents(Napi::Env env, Napi::Function callback, EngineCtx* ctx) {
  dp_event evs[512];
  size_t n;
  while ((n = dp_engine_events(ctx->engine, evs, 512)) > 0) {
    Napi::Array arr = Napi::Array::New(env, n);
    for (size_t i = 0; i < n; i++) {
      const dp_event& e = evs[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", EventName(e.type));
      o.Set("sw", e.sw);
      o.Set("port", e.port);
      o.Set("mac", FormatMac(e.mac));
      o.Set("vlan", e.type == DP_EV_LOST ? static_cast<double>(e.lost) : e.vlan);
      const char* code = e.err ? strerrorname_np(e.err) : "";
      o.Set("code", code ? code : "");
      arr.Set(static_cast<uint32_t>(i), o);
    }
    try {
      callback.Call({arr});
    } catch (const Napi::Error&) {
      // a listener's exception must not end the process; control.ts catches them anyway
    }
  }
}

Napi::Value OpenTap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber()) {
    InvalidError(env, "openTap(ifname, mac, mtu, up)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>().Utf8Value(), macs = info[1].As<Napi::String>().Utf8Value();
  uint8_t mac[6];
  if (!macs.empty() && !ParseMac(macs, mac)) {
    InvalidError(env, "bad MAC " + macs).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  char out[16] = {0};
  int fd = dp_open_tap(name.c_str(), macs.empty() ? nullptr : mac, info[2].As<Napi::Number>().Uint32Value(),
                       info[3].ToBoolean() ? 1 : 0, out);
  if (fd < 0) {
    ErrnoError(env, -fd, "creating TAP " + name).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("fd", fd);
  r.Set("ifname", std::string(out));
  return r;
}

Napi::Value OpenHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    InvalidError(env, "openHost(ifname, mtu)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>().Utf8Value();
  int vnet = 0;
  int fd = dp_open_host(name.c_str(), info[1].As<Napi::Number>().Uint32Value(), &vnet);
  if (fd < 0) {
    ErrnoError(env, -fd, "opening AF_PACKET on " + name).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int mtu = dp_host_mtu(name.c_str());
  Napi::Object r = Napi::Object::New(env);
  r.Set("fd", fd);
  r.Set("vnet", vnet != 0);
  r.Set("mtu", mtu > 0 ? mtu : 1500);
  return r;
}

Napi::Value SetGsoMax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber()) {
    InvalidError(env, "setGsoMax(netnsPath, ifname, size)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string ns = info[0].As<Napi::String>().Utf8Value(), name = info[1].As<Napi::String>().Utf8Value();
  int rc = dp_link_set_gso(ns.c_str(), name.c_str(), info[2].As<Napi::Number>().Uint32Value());
  if (rc < 0) ErrnoError(env, -rc, "setting the IPv4 GSO/GRO size of " + name).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value OpenDgram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    InvalidError(env, "openDgram(localPath)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int fd = dp_open_dgram(path.c_str());
  if (fd < 0) {
    ErrnoError(env, -fd, "binding " + path).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("fd", fd);
  return r;
}

Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  if (info.Length() > 0 && info[0].IsNumber()) {
    int fd = info[0].As<Napi::Number>().Int32Value();
    if (fd > 2) close(fd);
  }
  return info.Env().Undefined();
}

// Test helpers: a unix datagram peer (Node's dgram module has no AF_UNIX). Frames only cross
// here in tests that play the far end of a dgram port; the switch itself never calls these.
Napi::Value DgramSend(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsString() || !info[2].IsTypedArray()) {
    InvalidError(env, "dgramSend(fd, path, bytes)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[1].As<Napi::String>().Utf8Value();
  Napi::Uint8Array b = info[2].As<Napi::Uint8Array>();
  struct sockaddr_un sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) {
    InvalidError(env, "path too long").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::memcpy(sa.sun_path, path.data(), path.size());
  ssize_t r = sendto(info[0].As<Napi::Number>().Int32Value(), b.Data(), b.ByteLength(), MSG_DONTWAIT,
                     reinterpret_cast<struct sockaddr*>(&sa), sizeof sa);
  if (r < 0) {
    ErrnoError(env, errno, "dgramSend").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(r));
}

Napi::Value DgramRecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsTypedArray()) {
    InvalidError(env, "dgramRecv(fd, buffer)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Uint8Array b = info[1].As<Napi::Uint8Array>();
  ssize_t r = recv(info[0].As<Napi::Number>().Int32Value(), b.Data(), b.ByteLength(), MSG_DONTWAIT);
  if (r < 0 && errno != EAGAIN) {
    ErrnoError(env, errno, "dgramRecv").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(r));
}

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = Engine::Init(env);
  auto* ref = new Napi::FunctionReference(Napi::Persistent(ctor));
  env.SetInstanceData<Napi::FunctionReference>(ref);
  exports.Set("Engine", ctor);
  exports.Set("createEngine", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                Napi::FunctionReference* c = info.Env().GetInstanceData<Napi::FunctionReference>();
                return c->New({info[0], info[1]});
              }));
  Napi::Object layout = Napi::Object::New(env);
  layout.Set("maxPorts", DP_MAX_PORTS);
  layout.Set("maxSwitches", DP_MAX_SWITCHES);
  layout.Set("slots", DP_CTR_SLOTS);
  layout.Set("workers", DP_WORKERS);
  exports.Set("layout", layout);
  exports.Set("openTap", Napi::Function::New(env, OpenTap));
  exports.Set("openHost", Napi::Function::New(env, OpenHost));
  exports.Set("openDgram", Napi::Function::New(env, OpenDgram));
  exports.Set("setGsoMax", Napi::Function::New(env, SetGsoMax));
  exports.Set("closeFd", Napi::Function::New(env, CloseFd));
  exports.Set("dgramSend", Napi::Function::New(env, DgramSend));
  exports.Set("dgramRecv", Napi::Function::New(env, DgramRecv));
  return exports;
}

}  // namespace

NODE_API_MODULE(cimswitch_dataplane, InitModule)
