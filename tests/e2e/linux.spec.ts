// The monitor with Linux as a VM (scenarios/phone-linux.json): its boot log in the console panel,
// its counters in the VMs table, and pause and resume from the page while the phone works on.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HAVE_LINUX, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';
import { numberAttribute, openMonitor, vmRow, vmStates, waitForSamples } from './monitor-page.js';
import { CHROMIUM_MISSING, CHROMIUM_REASON, SCREENSHOTS, startMonitorServer } from './monitor-server.js';

test.skip(CHROMIUM_MISSING, CHROMIUM_REASON);
test.skip(!HAVE_LINUX, LINUX_SKIP_REASON.replace(/^ \(skipped: |\)$/g, ''));

/** Linux boots to its phone program in about 2 s of virtual time; the engine runs it at a few times slower here. */
const BOOT_TIMEOUT_MS = 120_000;

const consoleText = (page: Page) => page.getByTestId('console-output').textContent().then((t) => t ?? '');

/** The rich OS's last status line: "rich: t=… | pin: N calls, … W wrong, L lost, …". */
async function lastStatus(page: Page): Promise<{ calls: number; wrong: number } | undefined> {
  const lines = [...(await consoleText(page)).matchAll(/rich: t=\d+ ms .*?pin: (\d+) calls, .*?(\d+) wrong/g)];
  const last = lines.at(-1);
  return last === undefined ? undefined : { calls: Number(last[1]), wrong: Number(last[2]) };
}

test('a Linux VM: its boot log in the console panel, its counters in the table, pause and resume', async ({ page }) => {
  test.setTimeout(4 * BOOT_TIMEOUT_MS);
  const server = await startMonitorServer('scenarios/phone-linux.json');
  try {
    await openMonitor(page, server.url);
    await expect.poll(() => vmStates(page)).toEqual({ baseband: 'running', pin: 'running', rich: 'running' });
    await page.getByTestId('console-vm').selectOption('rich');
    const output = page.getByTestId('console-output');
    await expect(output).toContainText('Linux version 6.1', { timeout: BOOT_TIMEOUT_MS });
    await expect(output).toContainText('Timer interrupt in S-mode is available via sstc extension');
    await expect(output).toContainText('tessera-init: all checks passed', { timeout: BOOT_TIMEOUT_MS });
    await expect.poll(() => lastStatus(page), { timeout: BOOT_TIMEOUT_MS }).toMatchObject({ wrong: 0 });
    // Linux's two vCPUs show in the table like any VM's: instructions per second, interrupts taken.
    const row = vmRow(page, 'rich');
    await expect(row.locator('td').nth(2)).toHaveText('0,1');
    await expect.poll(async () => Number((await row.locator('td').nth(4).textContent())?.replace(/,/g, '') ?? 0)).toBeGreaterThan(0);
    await saveScreenshot(page);

    await row.locator('button[data-command="pause"]').click();
    await expect(row).toHaveAttribute('data-state', 'paused');
    await waitForSamples(page, 2);
    const paused = await lastStatus(page);
    await waitForSamples(page, 5);
    expect(await lastStatus(page)).toEqual(paused); // no line from a paused VM
    await expect(vmRow(page, 'baseband')).toHaveAttribute('data-state', 'running');

    await row.locator('button[data-command="resume"]').click();
    await expect(row).toHaveAttribute('data-state', 'running');
    await expect.poll(async () => (await lastStatus(page))?.calls ?? 0, { timeout: BOOT_TIMEOUT_MS }).toBeGreaterThan(paused?.calls ?? 0);
    expect((await lastStatus(page))?.wrong).toBe(0);
    await expect(page.locator('[data-testid="event-log"] tr[data-vm="rich"][data-kind="resumed"]')).toHaveCount(1);
    expect(await numberAttribute(page.getByTestId('footer'), 'data-seq')).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
});

async function saveScreenshot(page: Page): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'monitor-linux.png'), fullPage: true });
}
