// The monitor page's Content-Security-Policy, in one place: the <meta> written into the page at
// build (electron.config.ts), the browser-mode server's header and the desktop app's header. The
// page runs only its own scripts and styles (nothing inline), loads nothing from elsewhere, and
// opens WebSockets only where its transport needs them.

function policy(connect: readonly string[] | undefined, delivery: 'header' | 'meta'): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    ...(connect === undefined ? [] : [`connect-src 'self' ${connect.join(' ')}`]),
    "base-uri 'none'",
    "form-action 'none'",
    // Only a header can say this; a <meta> policy ignores it.
    ...(delivery === 'header' ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/**
 * The page's own <meta> policy, for both transports: the desktop app loads the page from a file,
 * where no header reaches it, and browser mode's port is chosen at run time, so any loopback port.
 */
export const PAGE_CONTENT_SECURITY_POLICY = policy(['ws://127.0.0.1:*', 'ws://localhost:*'], 'meta');

/** The desktop app's header: no WebSocket at all (the page talks over IPC). */
export const DESKTOP_CONTENT_SECURITY_POLICY = policy(undefined, 'header');

/** Browser mode's header: WebSockets to its own port only. */
export function webContentSecurityPolicy(port: number): string {
  return policy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`], 'header');
}
