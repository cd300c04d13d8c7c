// The desktop app itself, launched through Playwright's Electron support: runs where the Electron
// binary is installed, and is skipped (with the reason) where it is not.

import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../app/launch/electron-binary.mjs';
import { FIXTURES, ROOT } from './monitor-server.js';

const binary = findElectronBinary(ROOT);

test.skip(binary.missing !== undefined, `Electron app not launched: ${binary.missing}`);

test('the desktop app opens the scenario, runs its VMs, and keeps Node out of the page', async () => {
  const app = await electron.launch({ executablePath: binary.path!, args: [ROOT, '--scenario', `${FIXTURES}/monitor-demo.json`] });
  try {
    const page = await app.firstWindow();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    await expect(page.locator('[data-testid="vm-table"] tr[data-vm="rtos"]')).toHaveAttribute('data-state', 'running');
    const exposed = await page.evaluate(() => ({
      bridge: typeof (globalThis as Record<string, unknown>).tesseraMonitor,
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
    }));
    expect(exposed).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
    // A malformed request through the real bridge gets an error back, and the system runs on.
    const reply = await page.evaluate(() => (globalThis as unknown as { tesseraMonitor: { request(m: unknown): Promise<unknown> } }).tesseraMonitor.request({ id: 1, method: 'vmCommand', params: { vm: 'rtos', command: 'explode' } }));
    expect(reply).toMatchObject({ ok: false });
    await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'running');
  } finally {
    await app.close();
  }
});
