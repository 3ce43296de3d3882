/**
 * What the tightened result shapes refuse: counts that are not whole numbers, times that are not the
 * ISO 8601 the console writes, a revealed token without its record's URLs.
 */
import { describe, expect, it } from 'vitest';
import { tenantFootprintSchema } from '../../../shared/capacity/capacity';
import { auditEntrySchema, revealedTokenSchema, verifyJobSchema } from '../../../shared/contract/contract-shapes';
import { footprintEvidenceSchema } from '../../../shared/tenants/adoption';
import { watchStatusSchema } from '../../../shared/watch/watch';

const footprint = {
  tenant: 'companyx',
  version: '0.9.x',
  indices: 30,
  primaryShards: 30,
  totalShards: 60,
  docs: 1200,
  storeBytes: 123_456,
};

describe('result shapes', () => {
  it('a tenant footprint takes whole, non-negative counts and sizes', () => {
    expect(tenantFootprintSchema.safeParse(footprint).success).toBe(true);
    for (const [field, value] of [
      ['indices', 1.5],
      ['primaryShards', -1],
      ['docs', Number.NaN],
      ['storeBytes', 0.25],
    ] as const) {
      expect(tenantFootprintSchema.safeParse({ ...footprint, [field]: value }).success, field).toBe(false);
    }
  });

  it('footprint evidence and a verify job count in whole numbers', () => {
    const evidence = {
      version: '0.8.x',
      contexts: ['production'],
      indices: 76,
      aliases: 40,
      templates: 0,
      primaries: 104,
      sizeBytes: 2048,
      oldestIndexCreated: null,
    };
    expect(footprintEvidenceSchema.safeParse(evidence).success).toBe(true);
    expect(footprintEvidenceSchema.safeParse({ ...evidence, aliases: -2 }).success).toBe(false);
    const job = { jobId: 'j1', total: 3, done: 1, finished: false, results: [] };
    expect(verifyJobSchema.safeParse(job).success).toBe(true);
    expect(verifyJobSchema.safeParse({ ...job, done: 0.5 }).success).toBe(false);
  });

  it('times the console writes are ISO 8601 with an offset', () => {
    const entry = { time: new Date(0).toISOString(), user: 'op', action: 'tenant.create', outcome: 'ok' };
    expect(auditEntrySchema.safeParse(entry).success).toBe(true);
    for (const time of ['yesterday', '1970-01-01', '']) {
      expect(auditEntrySchema.safeParse({ ...entry, time }).success, time).toBe(false);
    }
    const status = {
      intervalMinutes: 15,
      paused: false,
      running: false,
      lastRunAt: '2026-12-07T10:00:00.000Z',
      nextRunAt: null,
      lastError: null,
      problems: 0,
      cursor: 0,
      notifications: 'problems',
    };
    const parsed = watchStatusSchema.safeParse(status);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(watchStatusSchema.safeParse({ ...status, nextRunAt: 'soon' }).success).toBe(false);
  });

  it('a revealed token carries the key and URLs of its record, and the token', () => {
    const token = {
      instanceId: 'instance1',
      tenant: 'companyx',
      apiUrl: 'https://company-x.instance1.example.com',
      guiUrl: 'https://company-x-gui.instance1.example.com',
      token: 't',
      expiresAt: null,
    };
    expect(revealedTokenSchema.parse(token)).toEqual(token);
    const { guiUrl: _, ...withoutGui } = token;
    expect(revealedTokenSchema.safeParse(withoutGui).success).toBe(false);
  });
});
