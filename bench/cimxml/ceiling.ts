/**
 * The ceiling: a bare node:http server (keep-alive, TCP_NODELAY) that answers each CIM-XML
 * request with the bytes the real server gave for the same CIMMethod, doing no CIM work at
 * all: no XML parsing, no authentication, no repository. Whatever it reaches is what Node's
 * HTTP stack and the load generator allow on this machine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Captured } from './wire.js';

export interface Ceiling {
  port: number;
  close(): Promise<void>;
}

export function startCeiling(responses: Map<string, Captured>): Promise<Ceiling> {
  const replies = new Map<string, { headers: Record<string, string | number>; body: Buffer }>();
  for (const [op, c] of responses) {
    replies.set(op, {
      body: c.body,
      headers: { 'Content-Type': c.headers['content-type'] ?? 'application/xml; charset=utf-8', CIMOperation: 'MethodResponse', 'Content-Length': c.body.length },
    });
  }
  const server = http.createServer({ keepAlive: true, noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
    const r = replies.get(String(req.headers.cimmethod ?? ''));
    req.resume(); // read and drop the request body
    req.on('end', () => {
      if (!r) {
        res.writeHead(400, { CIMError: 'unsupported-operation', 'Content-Length': 0 });
        res.end();
        return;
      }
      res.writeHead(200, r.headers);
      res.end(r.body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((res) => {
          server.closeAllConnections();
          server.close(() => res());
        }),
      });
    });
  });
}
