/**
 * The CIM-XML listeners: HTTP and HTTPS (TLS 1.2 or newer) on the configured address, each
 * connection served by HttpConnection with the request pipeline of handler.ts. Knows the URLs
 * it serves and shuts down cleanly: stop accepting, let requests in progress finish, close
 * idle keep-alive connections, and destroy stragglers after a grace period.
 */
import net from 'node:net';
import tls from 'node:tls';
import { type HandlerOptions, createHandler } from './handler.js';
import { DEFAULT_HTTP_LIMITS, type HeadCheck, HttpConnection, type HttpLimits } from './http1.js';

export interface ListenOptions extends HandlerOptions {
  /** Address to bind (default 127.0.0.1). */
  listen?: string;
  /** null: no plain HTTP listener; 0: an ephemeral port. */
  httpPort: number | null;
  httpsPort: number | null;
  tls?: { cert: string; key: string };
  httpLimits?: Partial<HttpLimits>;
  /** Open connections per listener (default 1024). */
  maxConnections?: number;
}

export class CimXmlServer {
  private readonly servers: { server: net.Server; scheme: 'http' | 'https' }[] = [];
  private readonly connections = new Set<HttpConnection>();
  private readonly sockets = new Set<net.Socket>();
  /** Every accepted TCP socket, TLS handshakes in progress included (destroyed at the end of the grace period). */
  private readonly raw = new Set<net.Socket>();
  private readonly limits: HttpLimits;

  constructor(private readonly opts: ListenOptions) {
    this.limits = { ...DEFAULT_HTTP_LIMITS, ...opts.httpLimits };
  }

  /**
   * Refuses, before reading the body, a POST that carries no credentials when authentication
   * is on: an anonymous client cannot make the server buffer a large body.
   */
  private readonly earlyCheck: HeadCheck = (head) => {
    if (!this.opts.auth || head.headers.has('authorization')) return undefined;
    if (head.method !== 'POST' && head.method !== 'M-POST') return undefined;
    return { status: 401, headers: [['WWW-Authenticate', this.opts.auth.challengeHeader()]] };
  };

  async start(): Promise<void> {
    const handler = createHandler(this.opts);
    const host = this.opts.listen ?? '127.0.0.1';
    const attach = (socket: net.Socket, secure: boolean) => {
      const conn = new HttpConnection(socket, handler, this.limits, secure, this.earlyCheck);
      this.connections.add(conn);
      this.sockets.add(socket);
      socket.on('close', () => {
        this.connections.delete(conn);
        this.sockets.delete(socket);
      });
    };
    if (this.opts.httpsPort !== null) {
      if (!this.opts.tls) throw new Error('HTTPS needs a certificate and key');
      const s = tls.createServer({ ...this.opts.tls, minVersion: 'TLSv1.2' }, (socket) => attach(socket, true));
      s.on('tlsClientError', () => {});
      this.track(s);
      s.maxConnections = this.opts.maxConnections ?? 1024;
      await listen(s, this.opts.httpsPort, host);
      this.servers.push({ server: s, scheme: 'https' });
    }
    if (this.opts.httpPort !== null) {
      const s = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => attach(socket, false));
      s.maxConnections = this.opts.maxConnections ?? 1024;
      this.track(s);
      await listen(s, this.opts.httpPort, host);
      this.servers.push({ server: s, scheme: 'http' });
    }
  }

  private track(s: net.Server): void {
    s.on('connection', (sock: net.Socket) => {
      this.raw.add(sock);
      sock.on('close', () => this.raw.delete(sock));
    });
  }

  /** `https://127.0.0.1:5989/cimom` and so on, one per listener. */
  urls(): string[] {
    return this.servers.map(({ server, scheme }) => {
      const a = server.address() as net.AddressInfo;
      const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      return `${scheme}://${h}:${a.port}/cimom`;
    });
  }

  port(scheme: 'http' | 'https'): number | undefined {
    const a = this.servers.find((x) => x.scheme === scheme)?.server.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  /** Stops accepting, lets requests in progress finish (up to graceMs), then closes everything. */
  async close(graceMs = 10_000): Promise<void> {
    const closed = this.servers.map(({ server }) => new Promise<void>((r) => server.close(() => r())));
    for (const c of this.connections) c.shutdown();
    const deadline = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
      for (const s of this.raw) s.destroy();
    }, graceMs);
    deadline.unref();
    await Promise.all(closed);
    clearTimeout(deadline);
  }
}

function listen(s: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, host, () => {
      s.off('error', reject);
      resolve();
    });
  });
}
