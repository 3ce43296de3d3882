// --resolve rules: both syntaxes (host=address and curl's host:port:address) and where a
// connection to host:port goes under them.
import { describe, expect, it } from 'vitest';
import { connectAddress, parseResolveRule } from '../../../main/services/resolve-rules';

describe('parseResolveRule', () => {
  it('takes host=address[,address] and *.suffix', () => {
    expect(parseResolveRule('*.sandbox.test=127.0.0.1')).toEqual({ host: '*.sandbox.test', addresses: ['127.0.0.1'] });
    expect(parseResolveRule('Api.X.com=10.0.0.5,10.0.0.6')).toEqual({
      host: 'api.x.com',
      addresses: ['10.0.0.5', '10.0.0.6'],
    });
  });
  it("takes curl's host:port:address, IPv6 in brackets", () => {
    expect(parseResolveRule('api.x.com:443:10.0.0.5')).toEqual({
      host: 'api.x.com',
      addresses: ['10.0.0.5'],
      port: 443,
    });
    expect(parseResolveRule('*.x.com:8686:[::1],127.0.0.1')).toEqual({
      host: '*.x.com',
      addresses: ['::1', '127.0.0.1'],
      port: 8686,
    });
  });
  it('refuses a bad address, a bad port, or no host, naming the rule', () => {
    expect(() => parseResolveRule('api.x.com:443:nope')).toThrow(/"nope" is not an IP address/);
    expect(() => parseResolveRule('api.x.com:70000:10.0.0.1')).toThrow(/port 70000/);
    expect(() => parseResolveRule(':443:10.0.0.1')).toThrow(/resolve rule ":443:10.0.0.1"/);
    expect(() => parseResolveRule('api.x.com')).toThrow(/expected <host>=<address>/);
  });
});

describe('connectAddress', () => {
  const rules = [
    parseResolveRule('*.x.com:443:10.0.0.1'),
    parseResolveRule('*.eu.x.com=10.0.0.2'),
    parseResolveRule('api.x.com:443:10.0.0.3'),
  ];
  it('exact before wildcard, longest wildcard first, a port rule for its port only', () => {
    expect(connectAddress(rules, 'api.x.com', 443)).toBe('10.0.0.3');
    expect(connectAddress(rules, 'acme.x.com', 443)).toBe('10.0.0.1');
    expect(connectAddress(rules, 'acme.x.com', 8443)).toBeUndefined();
    expect(connectAddress(rules, 'acme.eu.x.com', 8443)).toBe('10.0.0.2');
    expect(connectAddress(rules, 'x.com', 443)).toBeUndefined();
    expect(connectAddress(rules, 'ACME.X.COM', 443)).toBe('10.0.0.1');
  });
});
