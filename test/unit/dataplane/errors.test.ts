/**
 * OS errors from the addon become typed DataplaneErrors (devices.ts typedError): a table of
 * errno codes to dataplane codes, and the capability named on permission errors.
 */
import { expect } from 'chai';
import { typedError } from '../../../src/dataplane/devices.js';
import { DataplaneError } from '../../../src/dataplane/types.js';

const osError = (code: string) => Object.assign(new Error(`creating TAP x: ${code}`), { code });

const table: [string, string, string | undefined][] = [
  ['EPERM', 'PERMISSION', 'CAP_NET_ADMIN'],
  ['EACCES', 'PERMISSION', 'CAP_NET_ADMIN'],
  ['ENODEV', 'DEVICE_NOT_FOUND', undefined],
  ['ENOENT', 'DEVICE_NOT_FOUND', undefined],
  ['ENXIO', 'DEVICE_NOT_FOUND', undefined],
  ['EBUSY', 'DEVICE_BUSY', undefined],
  ['EEXIST', 'DEVICE_BUSY', undefined],
  ['EADDRINUSE', 'DEVICE_BUSY', undefined],
  ['EINVAL', 'INVALID_SPEC', undefined],
  ['EMFILE', 'SYSTEM', undefined],
];

describe('dataplane typed errors', () => {
  for (const [errno, code, capability] of table) {
    it(`${errno} -> ${code}`, () => {
      const e = typedError(osError(errno), 'p1', 'creating a TAP device');
      expect(e).to.be.instanceOf(DataplaneError);
      expect(e.code).to.equal(code);
      expect(e.capability).to.equal(capability);
      expect(e.details).to.include({ port: 'p1', errno });
      expect(e.message).to.contain('port p1').and.contain('creating a TAP device');
    });
  }

  it('passes a DataplaneError through unchanged', () => {
    const orig = new DataplaneError('NAMESPACE', 'x');
    expect(typedError(orig, 'p', 'w')).to.equal(orig);
  });

  it('treats a value without a code as an I/O error', () => {
    expect(typedError('boom', 'p', 'w').code).to.equal('SYSTEM');
  });
});
