/**
 * CIM status codes (DSP0200 / DSP0201 ERROR CODE values) and the one error type that carries
 * them through every layer. cimxml turns a CimError into an <ERROR> element.
 */

export const CIMStatus = {
  CIM_ERR_FAILED: 1,
  CIM_ERR_ACCESS_DENIED: 2,
  CIM_ERR_INVALID_NAMESPACE: 3,
  CIM_ERR_INVALID_PARAMETER: 4,
  CIM_ERR_INVALID_CLASS: 5,
  CIM_ERR_NOT_FOUND: 6,
  CIM_ERR_NOT_SUPPORTED: 7,
  CIM_ERR_CLASS_HAS_CHILDREN: 8,
  CIM_ERR_CLASS_HAS_INSTANCES: 9,
  CIM_ERR_INVALID_SUPERCLASS: 10,
  CIM_ERR_ALREADY_EXISTS: 11,
  CIM_ERR_NO_SUCH_PROPERTY: 12,
  CIM_ERR_TYPE_MISMATCH: 13,
  CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED: 14,
  CIM_ERR_INVALID_QUERY: 15,
  CIM_ERR_METHOD_NOT_AVAILABLE: 16,
  CIM_ERR_METHOD_NOT_FOUND: 17,
  CIM_ERR_NAMESPACE_NOT_EMPTY: 20,
  CIM_ERR_INVALID_ENUMERATION_CONTEXT: 21,
  CIM_ERR_INVALID_OPERATION_TIMEOUT: 22,
  CIM_ERR_PULL_HAS_BEEN_ABANDONED: 23,
  CIM_ERR_PULL_CANNOT_BE_ABANDONED: 24,
  CIM_ERR_FILTERED_ENUMERATION_NOT_SUPPORTED: 25,
  CIM_ERR_CONTINUATION_ON_ERROR_NOT_SUPPORTED: 26,
  CIM_ERR_SERVER_LIMITS_EXCEEDED: 27,
  CIM_ERR_SERVER_IS_SHUTTING_DOWN: 28,
} as const;

export type CIMStatusName = keyof typeof CIMStatus;
export type CIMStatusCode = (typeof CIMStatus)[CIMStatusName];

const namesByCode = new Map<number, CIMStatusName>(
  Object.entries(CIMStatus).map(([n, c]) => [c, n as CIMStatusName]),
);

/** The symbolic name of a status code, e.g. 6 -> "CIM_ERR_NOT_FOUND". */
export function statusName(code: number): string {
  return namesByCode.get(code) ?? `CIM_ERR_${code}`;
}

/** An operation failure with a CIM status code and a human-readable description. */
export class CimError extends Error {
  readonly code: CIMStatusCode;
  constructor(status: CIMStatusName, description?: string) {
    super(description ?? status);
    this.name = 'CimError';
    this.code = CIMStatus[status];
  }
  get statusName(): string {
    return statusName(this.code);
  }
  get description(): string {
    return this.message;
  }
}
