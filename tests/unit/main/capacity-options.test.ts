// `tenantctl capacity`'s options, checked together before anything is asked of a cluster.
import { describe, expect, it } from 'vitest';
import { planCapacity } from '../../../main/cli/commands/capacity';

describe('planCapacity', () => {
  it('text by default; --json and --format json agree; prometheus without --place', () => {
    expect(planCapacity(undefined, {})).toEqual({ format: 'text', place: null });
    expect(planCapacity(undefined, { json: true, format: 'json' })).toEqual({ format: 'json', place: null });
    expect(planCapacity('eu1', { format: 'prometheus' })).toEqual({ format: 'prometheus', place: null });
  });

  it('--place with a version and a count', () => {
    expect(planCapacity(undefined, { place: true })).toEqual({ format: 'text', place: { count: 1 } });
    expect(planCapacity(undefined, { place: true, version: '0.8.x', count: ' 12 ', json: true })).toEqual({
      format: 'json',
      place: { version: '0.8.x', count: 12 },
    });
    expect(planCapacity(undefined, { place: true, env: 'development' })).toEqual({
      format: 'text',
      place: { environment: 'development', count: 1 },
    });
  });

  it.each([
    [{ format: 'xml' }, '--format: "xml" is not a format: use text, json or prometheus.'],
    [{ json: true, format: 'prometheus' }, '--json and --format prometheus disagree: give one of them.'],
    [{ version: '0.9.x' }, '--version: only with --place (it picks the instances to rank).'],
    [{ count: '2' }, '--count: only with --place (it is the number of tenants to place).'],
    [{ place: true, format: 'prometheus' }, /not a placement/],
    [{ place: true, version: '1.0.x' }, '--version: "1.0.x" is not a Tracardi version profile: use 0.8.x or 0.9.x.'],
    [{ place: true, count: '0' }, '--count: must be a whole number from 1 to 1000, got "0".'],
    [{ place: true, count: '1001' }, /got "1001"/],
    [{ place: true, count: '2.5' }, /got "2.5"/],
    [{ place: true, count: '-3' }, /got "-3"/],
    [{ place: true, count: 'abc' }, /got "abc"/],
    [{ env: 'staging' }, '--env: only with --place (it is the environment the tenant is for).'],
    [{ place: true, env: 'prod' }, '--env: "prod" is not an environment: use production, staging, development, test.'],
  ])('refuses %j', (opts, message) => {
    expect(() => planCapacity(undefined, opts)).toThrow(message);
  });

  it('refuses an instance argument with --place', () => {
    expect(() => planCapacity('eu1', { place: true })).toThrow(
      '--place ranks every instance of a version: drop the instance argument "eu1".',
    );
  });
});
