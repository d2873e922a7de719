/**
 * The benchmark's own CIM-XML traffic: filling the server with Bench_Item instances through
 * CreateInstance (DSP0200 intrinsic call over HTTP keep-alive) and capturing the server's real
 * answers to the cimload request bodies, so the bare ceiling server can replay the same bytes.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export interface Target {
  port: number;
  auth: string;
  namespace: string;
}

export interface Captured {
  op: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function nsXml(ns: string): string {
  return `<LOCALNAMESPACEPATH>${ns.split('/').map((n) => `<NAMESPACE NAME="${esc(n)}"/>`).join('')}</LOCALNAMESPACEPATH>`;
}

/** The headers cimload.sh (and every CIM-XML client) sends with an intrinsic call. */
export function cimHeaders(op: string, t: Target, body: Buffer): Record<string, string | number> {
  return {
    'Content-Type': 'application/xml; charset="utf-8"', CIMProtocolVersion: '1.0', CIMOperation: 'MethodCall',
    CIMMethod: op, CIMObject: t.namespace.replace(/\//g, '%2F'), 'Content-Length': body.length,
    Authorization: 'Basic ' + Buffer.from(t.auth).toString('base64'),
  };
}

export function post(agent: http.Agent, t: Target, op: string, body: Buffer): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: t.port, path: '/cimom', method: 'POST', agent, headers: cimHeaders(op, t, body) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
        resolve({ op, status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A CreateInstance body for Bench_Item item-NNNN (properties of ../shared/bench/Bench_Item.mof). */
export function createItemBody(i: number, ns: string): Buffer {
  const id = `item-${String(i).padStart(4, '0')}`;
  const prop = (name: string, type: string, v: string) => `<PROPERTY NAME="${name}" TYPE="${type}"><VALUE>${esc(v)}</VALUE></PROPERTY>`;
  const inst = `<INSTANCE CLASSNAME="Bench_Item">${prop('Id', 'string', id)}${prop('Name', 'string', `Item ${i}`)}` +
    `${prop('Description', 'string', `Benchmark item number ${i} for CIM-XML load tests`)}${prop('Counter', 'uint32', String(i))}` +
    `${prop('Size', 'uint64', String(i * 4096))}${prop('Enabled', 'boolean', i % 2 === 0 ? 'TRUE' : 'FALSE')}</INSTANCE>`;
  return Buffer.from(`<?xml version="1.0" encoding="utf-8" ?>\n<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="${1000 + i}" PROTOCOLVERSION="1.0">` +
    `<SIMPLEREQ><IMETHODCALL NAME="CreateInstance">${nsXml(ns)}<IPARAMVALUE NAME="NewInstance">${inst}</IPARAMVALUE>` +
    `</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>`);
}

function check(c: Captured, what: string): void {
  const text = c.body.toString('utf8');
  if (c.status !== 200 || c.headers.cimoperation !== 'MethodResponse' || text.includes('<ERROR')) {
    throw new Error(`${what}: HTTP ${c.status} ${c.headers.cimerror ?? ''} ${text.slice(0, 400)}`);
  }
}

/** Creates item-0000 .. item-(count-1) with `parallel` requests in flight. */
export async function populate(t: Target, count: number, parallel = 8): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      check(await post(agent, t, 'CreateInstance', createItemBody(i, t.namespace)), `CreateInstance item ${i}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    agent.destroy();
  }
}

/** The request body cimload.sh sends for `op` (its requests/OP.xml with the namespace substituted). */
export function requestBody(requestDir: string, op: string, ns: string): Buffer {
  const src = fs.readFileSync(path.join(requestDir, `${op}.xml`), 'utf8');
  return Buffer.from(src.replace(/<LOCALNAMESPACEPATH>.*<\/LOCALNAMESPACEPATH>/, nsXml(ns)));
}

/** The server's real answer to each op's request body. */
export async function capture(t: Target, requestDir: string, ops: string[]): Promise<Map<string, Captured>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out = new Map<string, Captured>();
  try {
    for (const op of ops) {
      const c = await post(agent, t, op, requestBody(requestDir, op, t.namespace));
      check(c, `capture ${op}`);
      out.set(op, c);
    }
  } finally {
    agent.destroy();
  }
  return out;
}
