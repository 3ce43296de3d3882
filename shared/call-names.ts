/**
 * The calls a page may make, by name: what Electron's preload exposes and the renderer's client
 * offers, nothing else. Only names, so the preload and the renderer's first chunk load without zod;
 * contract.ts proves at compile time that this list and its call map name the same calls.
 */
export const RENDERER_CALLS = Object.freeze([
  'app.status',
  'preferences.set',
  'capacity.snapshot',
  'capacity.place',
  'capacity.history',
  'capacity.headroom',
  'tenants.list',
  'tenants.head',
  'tenants.get',
  'tenants.preview',
  'tenants.create',
  'tenants.revealToken',
  'tenants.copyToken',
  'tenants.exportHandoff',
  'tenants.markHandedOver',
  'tenants.rotate',
  'tenants.revoke',
  'tenants.delete',
  'tenants.discover',
  'tenants.adopt',
  'tenants.report',
  'tenants.repair',
  'verify.start',
  'verify.poll',
  'audit.list',
  'instances.summaries',
  'watch.status',
  'watch.changes',
  'watch.configure',
  'watch.runNow',
  'instances.list',
  'instances.add',
  'instances.update',
  'instances.remove',
  'instances.testConnection',
  'instances.versionCheck',
] as const);
export type RendererCall = (typeof RENDERER_CALLS)[number];
