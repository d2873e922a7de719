/** The CIM-XML wire: listeners, the request pipeline, and the embedded-object decoder the cimom needs. */
export { CimXmlServer, type ListenOptions } from './server.js';
export { createHandler, type HandlerOptions, type Logger } from './handler.js';
export { BasicAuthenticator, type AuthOptions, type UserSource } from './auth.js';
export { loadOrCreateTls, makeCertificates, type TlsMaterial } from './certs.js';
export { decodeEmbeddedObject } from './decode-object.js';
export { ProtocolError } from './errors.js';
