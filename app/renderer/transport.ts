// Picks the transport the page was given: the desktop preload's bridge, or the browser-mode WebSocket.
// Nothing past this file knows which one it is.

import type { MonitorTransport } from '../shared/monitor-api.js';
import { BRIDGE_NAME } from '../shared/bridge.js';
import { WebSocketTransport } from './ws-transport.js';

export async function connectTransport(onClose: (reason: string) => void): Promise<MonitorTransport> {
  const bridge = (window as unknown as Record<string, MonitorTransport | undefined>)[BRIDGE_NAME];
  if (bridge !== undefined) return bridge;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) throw new Error('no token in the page address: open the URL that `npm run monitor:web` printed');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return WebSocketTransport.connect(`${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`, onClose);
}
