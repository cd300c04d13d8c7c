// Electron's security checklist for the whole app: no navigation, no new windows, no webviews, no
// permissions, and a Content-Security-Policy on every response (the page's file carries its own
// <meta> policy too: app/shared/content-security-policy.ts).

import { app, session } from 'electron';
import { DESKTOP_CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';

export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Call once the app is ready (sessions exist then). */
export function hardenSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CONTENT_SECURITY_POLICY] } });
  });
}
