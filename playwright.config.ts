// End-to-end tests of the monitor (tests/e2e): Debian's Chromium (apt-get install chromium), never a
// browser downloaded by Playwright. One worker: every test runs a real engine on worker threads.

import { defineConfig } from '@playwright/test';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['./tests/e2e/skip-reasons-reporter.ts']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] },
    viewport: { width: 1440, height: 1100 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
