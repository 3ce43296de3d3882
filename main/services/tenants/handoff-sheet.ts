/** The hand-over sheet given to a tenant's administrator (Markdown; it holds the token). */
import type { TenantRecord } from '../../../shared/tenants/tenant';

/** The hand-over sheet: everything the tenant's administrator needs, and nothing else. */
export function renderHandoffSheet(record: TenantRecord, token: string): string {
  const expiry = record.tokenExpiresAt ? `${record.tokenExpiresAt} (UTC)` : 'does not expire';
  return [
    `# Tracardi tenant hand-over: ${record.tenant}`,
    '',
    'Keep this sheet secret: the installation token below lets anyone install this tenant.',
    '',
    `| | |`,
    `|---|---|`,
    `| Tenant | \`${record.tenant}\` |`,
    `| GUI URL | ${record.guiUrl} |`,
    `| API URL | ${record.apiUrl} |`,
    `| Installation token | \`${token}\` |`,
    `| Token expires | ${expiry} |`,
    '',
    '## Install the tenant',
    '',
    `1. Open the GUI URL: ${record.guiUrl}`,
    `   When it asks for the API, enter ${record.apiUrl}. The GUI shows "Installation required".`,
    '2. Paste the installation token into the "Installation token" field.',
    '3. Set the administrator e-mail and password ("Valid e-mail", "Password"), then press "Install".',
    '',
    `Contact: ${record.email}`,
    '',
  ].join('\n');
}
