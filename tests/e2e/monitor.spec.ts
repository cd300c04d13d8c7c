// The monitor in a real browser (Debian's Chromium) against the real engine, through browser mode.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openMonitor, numberAttribute, sampleSeq, vmRow, vmStates, waitForSamples } from './monitor-page.js';
import { CHROMIUM_MISSING, CHROMIUM_REASON, FIXTURES, SCREENSHOTS, startMonitorServer, type MonitorServer } from './monitor-server.js';

test.skip(CHROMIUM_MISSING, CHROMIUM_REASON);

const DEMO = `${FIXTURES}/monitor-demo.json`;
let server: MonitorServer | undefined;

test.afterEach(async () => {
  await server?.stop();
  server = undefined;
});

test('opens the default scenario: every VM reaches running, the latency chart receives data (screenshots for the README)', async ({ page }) => {
  server = await startMonitorServer();
  await openMonitor(page, server.url);
  const names = Object.keys(await vmStates(page));
  expect(names.length).toBeGreaterThan(0);
  await expect.poll(() => vmStates(page)).toEqual(Object.fromEntries(names.map((n) => [n, 'running'])));
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'running');
  await expect.poll(() => numberAttribute(page.getByTestId('latency-line'), 'data-points')).toBeGreaterThan(0);
  for (const name of names) await expect(page.locator(`[data-testid="event-log"] tr[data-vm="${name}"][data-kind="started"]`)).toHaveCount(1);

  // The README's pictures of the default scenario.
  await expect.poll(() => numberAttribute(page.getByTestId('gantt'), 'data-runs')).toBeGreaterThan(0);
  await waitForSamples(page, 20);
  await page.screenshot({ path: join(SCREENSHOTS, 'monitor.png'), fullPage: true });
  await page.locator('section', { has: page.getByTestId('gantt') }).screenshot({ path: join(SCREENSHOTS, 'monitor-cores.png') });
});

test('the IPC panel charts channel traffic, and the memory map marks the channel window', async ({ page }) => {
  server = await startMonitorServer(DEMO);
  await openMonitor(page, server.url);
  await expect.poll(() => numberAttribute(page.getByTestId('ipc-chart'), 'data-points')).toBeGreaterThan(0);
  await expect(page.locator('[data-testid="ipc-table"] tr[data-channel="stream"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="memory-bar"] [data-kind="channel"][data-region="stream"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="memory-bar"] [data-kind="vm"]')).toHaveCount(4);
});

test('pausing a VM stops its latency stream and resuming restarts it', async ({ page }) => {
  server = await startMonitorServer(DEMO);
  await openMonitor(page, server.url);
  await page.getByTestId('latency-vm').selectOption('rtos');
  const line = page.getByTestId('latency-line');
  await expect.poll(() => numberAttribute(line, 'data-points')).toBeGreaterThan(2);

  await vmRow(page, 'rtos').locator('button[data-command="pause"]').click();
  await expect(vmRow(page, 'rtos')).toHaveAttribute('data-state', 'paused');
  await waitForSamples(page, 2); // a sample taken during the pause may still carry interrupts from before it
  const pausedPoints = await numberAttribute(line, 'data-points');
  const pausedInterrupts = await vmRow(page, 'rtos').locator('td').nth(5).textContent();
  await waitForSamples(page, 8);
  expect(await numberAttribute(line, 'data-points')).toBe(pausedPoints);
  expect(await vmRow(page, 'rtos').locator('td').nth(5).textContent()).toBe(pausedInterrupts);
  await expect(vmRow(page, 'hog')).toHaveAttribute('data-state', 'running');

  await vmRow(page, 'rtos').locator('button[data-command="resume"]').click();
  await expect(vmRow(page, 'rtos')).toHaveAttribute('data-state', 'running');
  await expect.poll(() => numberAttribute(line, 'data-points')).toBeGreaterThan(pausedPoints);
  await expect(page.locator('[data-testid="event-log"] tr[data-vm="rtos"][data-kind="paused"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="event-log"] tr[data-vm="rtos"][data-kind="resumed"]')).toHaveCount(1);
});

test('wiping a VM asks first; confirmed, the VM is wiped and the others run on', async ({ page }) => {
  server = await startMonitorServer(DEMO);
  await openMonitor(page, server.url);
  await expect(vmRow(page, 'hog')).toHaveAttribute('data-state', 'running');
  const wipe = vmRow(page, 'hog').locator('button[data-command="wipe"]');

  await wipe.click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  await waitForSamples(page, 3);
  await expect(vmRow(page, 'hog')).toHaveAttribute('data-state', 'running');

  await wipe.click();
  await page.getByTestId('confirm-ok').click();
  await expect(vmRow(page, 'hog')).toHaveAttribute('data-state', 'wiped');
  await expect(page.locator('[data-testid="event-log"] tr[data-vm="hog"][data-kind="wiped"]')).toHaveCount(1);
  await expect(vmRow(page, 'rtos')).toHaveAttribute('data-state', 'running');
  // A command that is illegal now is refused with one line, and changes nothing.
  await expect(vmRow(page, 'hog').locator('button[data-command="pause"]')).toBeDisabled();
});

test('a firmware-over-the-air update switches the VM to the new image, and a bad ELF is refused', async ({ page }) => {
  server = await startMonitorServer(`${FIXTURES}/fota.json`);
  await openMonitor(page, server.url);
  const update = vmRow(page, 'rtos').locator('button[data-command="update"]');
  await expect(vmRow(page, 'rtos')).toHaveAttribute('data-state', 'running');
  await expect(vmRow(page, 'hog').locator('button[data-command="update"]')).toBeDisabled();

  await update.click();
  await page.getByTestId('path-input').fill('package.json');
  await page.getByTestId('path-ok').click();
  await expect(page.getByTestId('notice')).toHaveAttribute('data-level', 'error');
  await expect(page.getByTestId('notice')).toContainText('not an ELF file');
  await expect(vmRow(page, 'rtos')).toHaveAttribute('data-state', 'running');

  await update.click();
  await page.getByTestId('path-input').fill('guests/bin/rt-timer.elf');
  await page.getByTestId('path-ok').click();
  const log = page.getByTestId('event-log');
  await expect(log.locator('tr[data-vm="rtos"][data-kind="update-started"]')).toHaveCount(1);
  await expect(log.locator('tr[data-vm="rtos"][data-kind="update-switched"]')).toHaveCount(1);
  await expect(page.getByTestId('notice')).toContainText('rtos: updated from guests/bin/rt-timer.elf');
  await expect(vmRow(page, 'rtos')).toHaveAttribute('data-state', 'running');
});

test('an invalid scenario shows every problem, and the running system is left alone', async ({ page }) => {
  server = await startMonitorServer(DEMO);
  await openMonitor(page, server.url);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('scenario-path').fill(`${FIXTURES}/invalid.json`);
  await page.getByTestId('open').click();
  const errors = page.getByTestId('scenario-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText('cores: must be an integer from 1 to 64');
  await expect(errors).toContainText('vms[0].guest: cannot read');
  await expect(page.getByTestId('scenario-name')).toHaveText('monitor-demo');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'running');
  const seq = await sampleSeq(page);
  await expect.poll(() => sampleSeq(page)).toBeGreaterThan(seq);

  // Opening a valid one replaces the system.
  await page.getByTestId('scenario-path').fill('scenarios/rt-shared-core.json');
  await page.getByTestId('open').click();
  await expect(page.getByTestId('scenario-name')).toHaveText('rt-shared-core');
  await expect(errors).toBeHidden();
  await expect(vmRow(page, 'rtos')).toHaveCount(1);
  await expect(vmRow(page, 'producer')).toHaveCount(0);
});

test('exports metrics as JSON and CSV, and the trace as Chrome Trace Event JSON', async ({ page }) => {
  server = await startMonitorServer(DEMO);
  await openMonitor(page, server.url);
  await expect.poll(() => numberAttribute(page.getByTestId('gantt'), 'data-runs')).toBeGreaterThan(0);
  const download = async (format: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
    return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  };
  const json = await download('json');
  expect(json.name).toBe('monitor-demo-metrics.json');
  const metrics = JSON.parse(json.text);
  expect(metrics.scenario).toBe('monitor-demo');
  expect(metrics.vms.map((v: { name: string }) => v.name)).toEqual(['rtos', 'hog', 'producer', 'consumer']);

  const csv = await download('csv');
  const lines = csv.text.trim().split('\r\n');
  expect(lines[0].split(',').slice(0, 3)).toEqual(['vm', 'state', 'cores']);
  expect(lines).toHaveLength(5);

  const trace = JSON.parse((await download('trace')).text);
  const runs = trace.traceEvents.filter((e: { ph: string }) => e.ph === 'X');
  expect(runs.length).toBeGreaterThan(0);
  expect(trace.traceEvents.some((e: { name: string; args?: { name?: string } }) => e.name === 'thread_name' && e.args?.name === 'core 1')).toBe(true);
});

test('the server refuses a WebSocket without the token, or from a page that is not the monitor', async ({ page }) => {
  server = await startMonitorServer(DEMO);
  const opens = (url: string) => page.evaluate((target) => new Promise<boolean>((done) => {
    const ws = new WebSocket(target);
    ws.onopen = () => {
      ws.close();
      done(true);
    };
    ws.onerror = () => done(false);
  }), url);
  const api = `ws://127.0.0.1:${server.port}/api`;
  // Another local page (another origin) that somehow learnt the token is still refused.
  const other = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>another page</title>'));
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', () => done()));
  try {
    const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    await page.goto(`${otherOrigin}/`);
    expect(await opens(`${api}?token=${server.token}`)).toBe(false);
    expect(server.stderr()).toContain(`refused a WebSocket connection: origin "${otherOrigin}" is not this monitor's page`);
  } finally {
    other.closeAllConnections();
    other.close();
  }
  // The monitor's own page: only with the token.
  await openMonitor(page, server.url);
  expect(await opens(`${api}?token=wrong`)).toBe(false);
  expect(await opens(api)).toBe(false);
  expect(await opens(`${api}?token=${server.token}`)).toBe(true);
  expect(server.stderr()).toContain('refused a WebSocket connection: missing or wrong token');
});
