// The New tenant dialog warns about a domain label with look-alike letters (Unicode TR 39), showing
// the Unicode form beside the punycode one, as the operator types and before anything is created.
import { test, expect } from './fixtures';
import { addInstance } from './support/world';

test('New tenant warns about a Cyrillic look-alike label, Unicode beside punycode', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  await addInstance(await tenantConsole.core(), {
    id: 'inst-l',
    name: 'Instance L',
    sims,
    suffix: 'l.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  const page = await tenantConsole.launch({ hash: '#/new-tenant' });
  const form = page.getByRole('form', { name: 'New tenant' });
  // "аpple" with a Cyrillic а (U+0430): reads as apple, is xn--pple-43d.
  await form.getByLabel('Tenant API domain').fill('\u0430pple');
  await expect(form.getByLabel('Derived tenant name')).toHaveText('xnpple43d');
  const warnings = form.getByLabel('Derivation warnings');
  await expect(warnings).toContainText(
    'The label "\u0430pple" (punycode "xn--pple-43d") mixes Cyrillic and Latin letters: it looks like "apple"',
  );
  // A plain Latin label gets no such warning.
  await form.getByLabel('Tenant API domain').fill('apple');
  await expect(form.getByLabel('Derived tenant name')).toHaveText('apple');
  await expect(warnings).toHaveCount(0);
});
