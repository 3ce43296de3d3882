import { describe, expect, it } from 'vitest';
import { instanceSchema } from '../../../shared/instances/instance';
import { contract } from '../../../shared/contract/contract';
import { escapeForTerminal, unsafeCharacter } from '../../../shared/text/text-safety';
import { emptyFormValues, validateInstanceForm } from '../../../renderer/features/instances/instance-form-model';
import { printJson, printLines, formatTable, warn } from '../../../main/cli/output';

const base = {
  id: 'eu1',
  name: 'Prod EU',
  environment: 'production',
  apiUrl: 'https://api.eu1.example.com',
  tenantDomainSuffix: 'eu1.example.com',
  tracardiVersion: '0.9.x',
  tmsUrl: 'https://tms.eu1.example.com',
  es: { nodes: ['https://es.eu1.example.com:9200'] },
};

function issues(input: unknown): string[] {
  const r = instanceSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('control and bidi-override characters', () => {
  it('finds C0, DEL, C1 and bidi overrides, and nothing in ordinary text', () => {
    expect(unsafeCharacter('Prod\nx')).toBe('U+000A');
    expect(unsafeCharacter('a\x1b[31m')).toBe('U+001B');
    expect(unsafeCharacter('a\x7f')).toBe('U+007F');
    expect(unsafeCharacter('a\u0085')).toBe('U+0085');
    expect(unsafeCharacter('abc\u202edef')).toBe('U+202E');
    expect(unsafeCharacter('x\u2066y')).toBe('U+2066');
    expect(unsafeCharacter('Zürich — 東京 аpple')).toBeNull();
  });

  it('the instance schema refuses them in the name and every free-text field, naming the field', () => {
    expect(issues({ ...base, name: 'Prod\x1b[31m' })).toEqual([
      'name: the display name must not contain control or bidirectional-override characters (found U+001B); type it on one line, as plain text',
    ]);
    expect(issues({ ...base, referenceHost: 'a\nb' })[0]).toMatch(/^referenceHost: the reference host must not/);
    expect(issues({ ...base, guiUrlPattern: 'https://{label}\u202e.x' })[0]).toMatch(/^guiUrlPattern: /);
    expect(issues({ ...base, expectedAddresses: ['10.0.0.1\r'] })[0]).toMatch(/^expectedAddresses.0: /);
    expect(issues({ ...base, es: { ...base.es, auth: { type: 'basic', username: 'el\u0000astic' } } })[0]).toMatch(
      /^es.auth.username: /,
    );
  });

  it('the contract refuses them in a capacity override reason', () => {
    const r = contract['tenants.create'].args.safeParse({
      instanceId: 'eu1',
      domain: 'shop.eu1.example.com',
      email: 'ops@example.com',
      tokenLifetimeDays: 30,
      capacityOverrideReason: 'approved by ops\x1b]0;pwned\x07',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/the capacity override reason must not contain control/);
  });

  it('escapes what it did not validate, visibly, keeping other letters', () => {
    expect(escapeForTerminal('a\x1b[31mb\nc\td\u202ee — 東京')).toBe('a\\x1b[31mb\\nc\\td\\u{202e}e — 東京');
  });

  it('every CLI printer escapes: lines, tables, warnings and JSON', () => {
    let out = '';
    let err = '';
    const streams = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
    printLines(['Evil\x1b[2J\nforged'], streams);
    printLines(formatTable(['NAME'], [['x\u009b31m']]), streams);
    warn('name \x1b[31mred\u202e', streams);
    printJson({ name: 'a\u202eb\u0085c\x1b' }, streams);
    expect(out + err).not.toMatch(/[\x1b\u009b\u202e\u0085]/);
    expect(out.split('\n')[0]).toBe('Evil\\x1b[2J\\nforged');
    expect(out).toContain('"name": "a\\u202eb\\u0085c\\u001b"');
    expect(JSON.parse(out.slice(out.indexOf('{')))).toEqual({ name: 'a\u202eb\u0085c\x1b' });
  });
});

describe('passwords in URLs', () => {
  it('the schema refuses userinfo in the API, TMS and ES node URLs, saying where the secret goes', () => {
    expect(issues({ ...base, apiUrl: 'https://admin:pw@api.eu1.example.com' })[0]).toMatch(
      /^apiUrl: the Tracardi API URL must not carry a user name or password/,
    );
    expect(issues({ ...base, tmsUrl: 'https://tms@tms.eu1.example.com' })[0]).toMatch(
      /the instance's TMS API key, which it keeps in the OS keychain/,
    );
    const es = issues({ ...base, es: { nodes: ['https://es.eu1.example.com', 'https://elastic:pw@es2:9200'] } });
    expect(es[0]).toMatch(/^es.nodes.1: .*Elasticsearch username and password instead/);
    expect(es.join()).not.toContain('pw@');
    // Words true in every shell: tenantctl adds its flags, the window its fields.
    expect(es.join()).not.toMatch(/tenantctl|--/);
  });

  it('the instance form shows the refusal on the field, not the secret', () => {
    const values = {
      ...emptyFormValues(),
      id: 'eu1',
      name: 'Prod',
      apiUrl: 'https://api.eu1.example.com',
      tenantDomainSuffix: 'eu1.example.com',
      tmsUrl: 'https://tms.eu1.example.com',
      esNodes: 'https://elastic:s3cret@es.eu1.example.com:9200',
    };
    const v = validateInstanceForm(values);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.esNodes).toMatch(
      /must not carry a user name or password.*\(the Elasticsearch username and password fields\)$/,
    );
    expect(JSON.stringify(v.errors)).not.toContain('s3cret');
  });
});
