// Dark and light themes: the Theme select in the status bar switches the palette at once, the
// choice is stored in the settings (a reload keeps it), and "System" follows the operating system.
import { test, expect } from './fixtures';

const LIGHT_BG = 'rgb(245, 246, 248)';
const DARK_BG = 'rgb(20, 23, 27)';

test('the theme switches at once, survives a reload, and "System" follows the OS', async ({ tenantConsole }) => {
  const page = await tenantConsole.launch();
  const theme = page.getByLabel('Theme');
  // The node typecheck has no DOM lib: the page's globals as far as this reads them.
  type PageGlobals = {
    document: { body: unknown };
    getComputedStyle(element: unknown): { backgroundColor: string };
  };
  const background = () =>
    page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.getComputedStyle(g.document.body).backgroundColor;
    });
  await expect(page.getByRole('heading', { name: 'Fleet', level: 1 })).toBeVisible();

  await page.emulateMedia({ colorScheme: 'light' });
  await expect(theme).toHaveValue('system');
  expect(await background()).toBe(LIGHT_BG);

  await theme.selectOption('dark');
  await expect.poll(background).toBe(DARK_BG);
  // Stored by the core: the settings file says dark, and a reload comes back dark.
  await expect.poll(async () => (await tenantConsole.core()).settings.read().preferences.theme).toBe('dark');
  await page.reload();
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  await expect.poll(background).toBe(DARK_BG);

  // Light wins over a dark system; System then follows the system.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByLabel('Theme').selectOption('light');
  await expect.poll(background).toBe(LIGHT_BG);
  await page.getByLabel('Theme').selectOption('system');
  await expect.poll(background).toBe(DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(background).toBe(LIGHT_BG);
});
