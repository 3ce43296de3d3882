/**
 * A tenant record's team facts for its details: who created it, who changed it last (what, when),
 * who holds its token (or that this console does), and a change under way. Facts for `<Facts>`.
 */
import type { TenantRecord } from '../../../shared/tenants/tenant';
import type { Fact } from '../../components/facts';
import { formatTime } from '../../lib/format';
import { byLine, holderText, pendingText } from './registry-words';

/** The record's team facts; none for a record from before the registry (it carries no stamps). */
export function teamFacts(record: TenantRecord, holdsHere: boolean): (Fact | null)[] {
  return [
    record.createdBy ? ['Created by', byLine(record.createdBy, undefined, formatTime)] : null,
    record.updatedBy
      ? [
          'Last change',
          `${record.lastChange ?? 'changed it'}, by ${byLine(record.updatedBy, record.updatedAt, formatTime)}`,
        ]
      : null,
    [
      'Token holder',
      record.state === 'revoked' && !record.tokenHolder
        ? 'Nobody: the token is revoked'
        : holderText(record.tokenHolder, holdsHere, formatTime),
    ],
    record.pendingOp ? ['Change under way', pendingText(record.pendingOp, formatTime)] : null,
  ];
}
