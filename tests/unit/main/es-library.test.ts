// The Elasticsearch client is loaded on first use (main/services/es-client/library.ts), so its errors
// are recognised by name: these names must be the library's own, for every error class it exports.
import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { esErrorName } from '../../../main/services/es-client/library';

function instance(name: string): Error {
  const Cls = (errors as unknown as Record<string, new (...args: unknown[]) => Error>)[name]!;
  if (name === 'ResponseError')
    return new Cls({ body: {}, statusCode: 500, headers: {}, warnings: null, meta: { request: {} } });
  return new Cls('boom');
}

describe('esErrorName', () => {
  const names = Object.keys(errors);

  it('knows every error class the client exports, by the name its instances carry', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const err = instance(name);
      expect(err).toBeInstanceOf(errors.ElasticsearchClientError);
      expect(esErrorName(err), name).toBe(err.name);
    }
  });

  it('is undefined for anything else', () => {
    expect(esErrorName(new Error('x'))).toBeUndefined();
    expect(esErrorName(new TypeError('x'))).toBeUndefined();
    expect(esErrorName({ name: 'TimeoutError' })).toBeUndefined();
    expect(esErrorName('TimeoutError')).toBeUndefined();
  });
});
