// The names the desktop preload and main process agree on (the bridge object and the IPC channels).

/** window[BRIDGE_NAME] is the MonitorTransport the preload exposes. */
export const BRIDGE_NAME = 'tesseraMonitor';
export const REQUEST_CHANNEL = 'tessera:request';
export const PUSH_CHANNEL = 'tessera:push';
