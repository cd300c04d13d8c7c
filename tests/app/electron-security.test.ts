// The desktop app's hardening, with electron mocked: no navigation, no new windows, no webviews, no
// permissions, a Content-Security-Policy on every response.

import { describe, expect, it, vi } from 'vitest';
import { DESKTOP_CONTENT_SECURITY_POLICY } from '../../app/shared/content-security-policy.js';

type Listener = (...args: unknown[]) => void;
const appListeners = new Map<string, Listener>();
let permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
let permissionCheck: (() => boolean) | undefined;
let headers: ((details: { responseHeaders: Record<string, string[]> }, callback: (result: unknown) => void) => void) | undefined;

vi.mock('electron', () => ({
  app: { on: (name: string, listener: Listener) => appListeners.set(name, listener) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: typeof permissionRequest) => (permissionRequest = handler),
      setPermissionCheckHandler: (handler: typeof permissionCheck) => (permissionCheck = handler),
      webRequest: { onHeadersReceived: (handler: typeof headers) => (headers = handler) },
    },
  },
}));

const { hardenApp, hardenSession } = await import('../../app/main/security.js');

describe('hardenApp', () => {
  it('prevents navigation, redirects and webviews, and denies new windows, in every web contents', () => {
    hardenApp();
    const contentsListeners = new Map<string, Listener>();
    let openHandler: (() => unknown) | undefined;
    const contents = { on: (name: string, listener: Listener) => contentsListeners.set(name, listener), setWindowOpenHandler: (h: () => unknown) => (openHandler = h) };
    appListeners.get('web-contents-created')!({}, contents);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      contentsListeners.get(name)!(event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });
});

describe('hardenSession', () => {
  it('denies every permission and adds the policy to every response', () => {
    hardenSession();
    const granted = vi.fn();
    permissionRequest!({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(permissionCheck!()).toBe(false);
    const result = vi.fn();
    headers!({ responseHeaders: { 'X-Other': ['1'] } }, result);
    expect(result).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [DESKTOP_CONTENT_SECURITY_POLICY] } });
    expect(DESKTOP_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(DESKTOP_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});
