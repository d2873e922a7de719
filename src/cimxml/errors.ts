/**
 * Protocol-level failures (DSP0200 section 1.5 of cim-xml-protocol.md): an HTTP status plus the
 * `CIMError` header value, as opposed to CIM-level failures (CimError -> <ERROR> in a 200).
 * Decoders throw ProtocolError for structural problems and CimError for parameter problems,
 * including a VALUE whose text is no value of its declared TYPE (DSP0200 4.3).
 */

export type CIMErrorValue =
  | 'unsupported-protocol-version'
  | 'multiple-requests-unsupported'
  | 'unsupported-cim-version'
  | 'unsupported-dtd-version'
  | 'request-not-valid'
  | 'request-not-well-formed'
  | 'request-not-loosely-valid'
  | 'header-mismatch'
  | 'unsupported-operation';

export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly cimError: CIMErrorValue | undefined,
    detail: string,
    /** Extra response headers (e.g. WWW-Authenticate, Allow). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProtocolError';
  }
}

/** 400 request-not-valid: well-formed XML that breaks the DTD (elements, attributes, nesting; DSP0200 1.5). */
export function notValid(detail: string): ProtocolError {
  return new ProtocolError(400, 'request-not-valid', detail);
}
