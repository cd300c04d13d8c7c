// One Content-Security-Policy for the monitor page, however it is delivered: the page's <meta>
// (written at build), browser mode's header and the desktop app's header.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withContentSecurityPolicy as built } from '../../electron.config.js';
import { DESKTOP_CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY, webContentSecurityPolicy } from '../../app/shared/content-security-policy.js';

const PAGE = readFileSync(new URL('../../app/renderer/index.html', import.meta.url), 'utf8');

describe('the monitor page\'s Content-Security-Policy', () => {
  it('is written into the page\'s <meta> at build, and a page without its tag fails the build', () => {
    expect(built(PAGE)).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CONTENT_SECURITY_POLICY}">`);
    expect(() => built('<html><head></head></html>')).toThrow(/index\.html has no/);
  });

  it('runs only the page\'s own code and loads nothing from elsewhere, in every delivery', () => {
    for (const policy of [PAGE_CONTENT_SECURITY_POLICY, DESKTOP_CONTENT_SECURITY_POLICY, webContentSecurityPolicy(4100)]) {
      expect(policy).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; /);
      expect(policy).toContain("base-uri 'none'; form-action 'none'");
      expect(policy).not.toContain('unsafe');
    }
  });

  it('opens WebSockets only where the transport needs them; only headers forbid framing', () => {
    expect(DESKTOP_CONTENT_SECURITY_POLICY).not.toContain('connect-src');
    expect(webContentSecurityPolicy(4100)).toContain("connect-src 'self' ws://127.0.0.1:4100 ws://localhost:4100;");
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws://127.0.0.1:* ws://localhost:*;");
    expect(DESKTOP_CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'$/);
    expect(webContentSecurityPolicy(4100)).toMatch(/frame-ancestors 'none'$/);
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
  });
});
