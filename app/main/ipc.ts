// Carries the monitor protocol over Electron IPC: requests from the trusted page to the host, and the
// host's pushes to every monitor window.

import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { MonitorHost } from '../host/monitor-host.js';
import { PUSH_CHANNEL, REQUEST_CHANNEL } from '../shared/bridge.js';
import type { ResponseMessage } from '../shared/protocol.js';
import { trustedSender } from './sender-check.js';

export function connectIpc(host: MonitorHost, windows: () => BrowserWindow[], pageUrl: string): void {
  ipcMain.handle(REQUEST_CHANNEL, async (event: IpcMainInvokeEvent, message: unknown): Promise<ResponseMessage> => {
    const ids = new Set(windows().map((w) => w.webContents.id));
    const frame = event.senderFrame;
    const sender = { contentsId: event.sender.id, frameUrl: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame };
    if (!trustedSender(sender, ids, pageUrl)) return { id: 0, ok: false, error: 'request refused: it does not come from the monitor page' };
    return host.handleMessage(message);
  });
  host.onPush((message) => {
    for (const window of windows()) {
      if (!window.isDestroyed()) window.webContents.send(PUSH_CHANNEL, message);
    }
  });
}
