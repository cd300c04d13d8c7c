// Who may open the browser-mode WebSocket: our Host, our page's Origin (or none), this run's token.

import { describe, expect, it } from 'vitest';
import { newToken, refuseUpgrade, sameToken } from '../../app/web/access-guard.js';

const PORT = 4321;
const TOKEN = 'secret-token-123';
const ok = { url: `/api?token=${TOKEN}`, host: `127.0.0.1:${PORT}`, origin: `http://127.0.0.1:${PORT}` };

describe('refuseUpgrade', () => {
  it('lets our own page in, by 127.0.0.1 or localhost, and token holders without an Origin', () => {
    expect(refuseUpgrade(ok, PORT, TOKEN)).toBeUndefined();
    expect(refuseUpgrade({ ...ok, host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` }, PORT, TOKEN)).toBeUndefined();
    expect(refuseUpgrade({ ...ok, origin: undefined }, PORT, TOKEN)).toBeUndefined();
  });

  it('refuses a missing or wrong token', () => {
    expect(refuseUpgrade({ ...ok, url: '/api' }, PORT, TOKEN)).toBe('missing or wrong token');
    expect(refuseUpgrade({ ...ok, url: '/api?token=secret-token-124' }, PORT, TOKEN)).toBe('missing or wrong token');
    expect(refuseUpgrade({ ...ok, url: `/api?token=${TOKEN}x` }, PORT, TOKEN)).toBe('missing or wrong token');
  });

  it('refuses pages of other origins, even with the token', () => {
    for (const origin of ['null', 'http://evil.example', `http://127.0.0.1:${PORT + 1}`, `https://127.0.0.1:${PORT}`, `http://127.0.0.1:${PORT}.evil.example`]) {
      expect(refuseUpgrade({ ...ok, origin }, PORT, TOKEN)).toBe(`origin ${JSON.stringify(origin)} is not this monitor's page`);
    }
  });

  it('refuses other Host names (DNS rebinding) and other paths', () => {
    expect(refuseUpgrade({ ...ok, host: `rebind.example:${PORT}` }, PORT, TOKEN)).toBe(`wrong Host header "rebind.example:${PORT}"`);
    expect(refuseUpgrade({ ...ok, host: undefined }, PORT, TOKEN)).toBe('wrong Host header ""');
    expect(refuseUpgrade({ ...ok, url: `/other?token=${TOKEN}` }, PORT, TOKEN)).toBe('no WebSocket endpoint at /other');
  });
});

describe('tokens', () => {
  it('are fresh, long and compared exactly', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(a);
    expect(sameToken(a, a)).toBe(true);
    expect(sameToken(a.slice(1), a)).toBe(false);
    expect(sameToken(null, a)).toBe(false);
  });
});
