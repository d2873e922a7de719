/**
 * A unix datagram endpoint for tests and tools that play the far end of a `dgram` port (what
 * QEMU's `-netdev dgram` does): Node's own dgram module has no AF_UNIX support, so this uses
 * the addon's socket helpers. Not used by the switch itself.
 */
import { loadNative, type NativeAddon } from './native.js';
import { DataplaneError } from './types.js';

export class DgramPeer {
  private closed = false;
  private readonly buf = new Uint8Array(65536);

  private constructor(
    private readonly addon: NativeAddon,
    private readonly fd: number,
    readonly path: string,
  ) {}

  /** Binds `path` (a stale socket file there is replaced). */
  static open(path: string): DgramPeer {
    const addon = loadNative();
    if (addon instanceof Error) throw new DataplaneError('NATIVE_UNAVAILABLE', addon.message);
    return new DgramPeer(addon, addon.openDgram(path).fd, path);
  }

  /** Sends one frame to the socket at `to`. Throws an Error with an errno `code` on failure. */
  send(to: string, frame: Uint8Array): void {
    this.addon.dgramSend(this.fd, to, frame);
  }

  /** One waiting frame, or undefined if none (never blocks). */
  recv(): Buffer | undefined {
    const n = this.addon.dgramRecv(this.fd, this.buf);
    return n < 0 ? undefined : Buffer.from(this.buf.subarray(0, n));
  }

  /** Polls until a frame arrives or `timeoutMs` passes. */
  async recvWait(timeoutMs = 1000): Promise<Buffer | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const f = this.recv();
      if (f || Date.now() >= end) return f;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.addon.closeFd(this.fd);
  }
}
