// Prints why each skipped end-to-end test was skipped (the list reporter shows only that it was).

import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SkipReasonsReporter implements Reporter {
  private readonly lines: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const reason = [...result.annotations, ...test.annotations].find((a) => a.type === 'skip')?.description ?? 'no reason given';
    this.lines.push(`  skipped: ${test.title}: ${reason}`);
  }

  onEnd(): void {
    if (this.lines.length > 0) process.stdout.write(`\n${this.lines.join('\n')}\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
