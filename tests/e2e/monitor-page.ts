// Reading the monitor page the way the tests need: table states, chart point counts, the sample counter.

import { expect, type Locator, type Page } from '@playwright/test';

export function vmRow(page: Page, vm: string): Locator {
  return page.locator(`[data-testid="vm-table"] tr[data-vm="${vm}"]`);
}

export async function vmStates(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-testid="vm-table"] tbody tr').evaluateAll((rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-vm') ?? '', row.getAttribute('data-state') ?? ''])));
}

export async function numberAttribute(locator: Locator, name: string): Promise<number> {
  return Number((await locator.getAttribute(name)) ?? 'NaN');
}

/** The sequence number of the last sample the page drew. */
export function sampleSeq(page: Page): Promise<number> {
  return numberAttribute(page.getByTestId('footer'), 'data-seq');
}

/** Waits until the page has drawn `count` more samples than now (no sleeping: the host's samples are the clock). */
export async function waitForSamples(page: Page, count: number): Promise<void> {
  const start = await sampleSeq(page);
  await expect.poll(() => sampleSeq(page)).toBeGreaterThanOrEqual(start + count);
}

export async function openMonitor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}
