/**
 * The team registry in the window (issue 17): each instance's registry status (for Settings and the
 * Instance screen), the read-only banner (app.tsx loads it lazily), a record's team facts, move-in
 * conflicts, the audit trail's verdicts.
 */
export { RegistryStatusTable } from './registry-status-table';
export { AuditVerify, verdictText } from './audit-verify';
export { MoveInNotice } from './move-in-notice';
export { TrailCell } from './trail-cell';
export { teamFacts } from './team-facts';
export { compareRecords, type CompareRow } from './move-in-compare';
export { bannerText, byLine, healthText, holderText, pendingText } from './registry-words';
