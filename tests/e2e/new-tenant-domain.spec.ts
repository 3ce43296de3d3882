// New tenant takes a domain by the rule the tenant plan enforces (shared/tenants/tenant-domain.ts): one
// outside the instance's tenant suffix is refused unless the operator says it is outside on purpose;
// user:password@ is refused as the instance form refuses it in a URL (never silently dropped); Create
// is disabled while the domain gives no tenant; each error is shown once, on the domain's field.
import { test, expect } from './fixtures';
import { addInstance, unique } from './support/world';

test('the domain: outside the suffix, credentials, no tenant; Create follows; each error once', async ({
  tenantConsole,
}) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'domain.e2e.test';
  await addInstance(core, { id: 'eu-test', name: 'EU test', sims, suffix, expectedAddress: '127.0.0.2' });
  const page = await tenantConsole.launch({ hash: '#/new-tenant' });
  const form = page.getByRole('form', { name: 'New tenant' });
  const domain = form.getByLabel('Tenant API domain');
  const create = form.getByRole('button', { name: 'Create tenant' });
  const onPurpose = form.getByRole('checkbox', { name: /Outside the suffix on purpose/ });

  // Outside the suffix: refused on the field, once; Create disabled; the way out offered.
  const outside = unique('shop');
  await domain.fill(`${outside}.example.org`);
  const refusal = `${outside}.example.org is not under this instance's tenant domain suffix ${suffix}: Tracardi serves it only if its DNS points at this instance.`;
  await expect(form.getByText(refusal)).toHaveCount(1);
  await expect(domain).toHaveAttribute('aria-invalid', 'true');
  await expect(create).toBeDisabled();
  await expect(form.getByLabel('Derived tenant name')).toHaveCount(0);

  // On purpose: the tenant is derived, the same words come as a warning, Create is enabled.
  await onPurpose.check();
  await expect(form.getByLabel('Derived tenant name')).toHaveText(outside);
  await expect(form.getByText(refusal)).toHaveCount(1);
  await expect(domain).not.toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.check', { hasText: 'Capacity:' })).toBeVisible();
  await expect(create).toBeEnabled();

  // A user name and password in it: refused, nothing of them repeated, no tenant derived.
  await domain.fill(`https://admin:s3cret@${unique('cred')}.${suffix}`);
  const credentials =
    'The tenant API domain must not carry a user name or password (user:password@): enter the domain alone.';
  await expect(form.getByText(credentials)).toHaveCount(1);
  await expect(form.getByLabel('Derived tenant name')).toHaveCount(0);
  await expect(form).not.toContainText('s3cret');
  await expect(create).toBeDisabled();

  // No tenant from it: the error once (not on the field and again below it).
  await domain.fill('ab');
  await expect(form.getByText(/Tracardi refuses tenant names shorter than 3 characters/)).toHaveCount(1);
  await expect(create).toBeDisabled();
  await domain.fill('');
  await expect(create).toBeDisabled();

  // A good domain: Create enabled, and the tenant created outside the suffix on purpose keeps the warning.
  await domain.fill(`${outside}.example.org`);
  await onPurpose.check();
  await form.getByLabel('Contact e-mail').fill(`ops@${outside}.example.com`);
  await expect(create).toBeEnabled();
  await create.click();
  await expect(page.getByRole('heading', { name: `Tenant ${outside} created on EU test` })).toBeVisible();
  const record = await (await tenantConsole.core()).tenants.get('eu-test', outside);
  expect(record.apiDomain).toBe(`${outside}.example.org`);
  expect(record.warnings).toContain(refusal);
});
