// The desktop preload: exposes one narrow object to the page (the monitor transport over IPC) and
// nothing of Electron or Node itself.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_NAME, PUSH_CHANNEL, REQUEST_CHANNEL } from '../shared/bridge.js';
import type { MonitorTransport } from '../shared/monitor-api.js';
import type { PushMessage, RequestMessage, ResponseMessage } from '../shared/protocol.js';

const transport: MonitorTransport = {
  request: (message: RequestMessage): Promise<ResponseMessage> => ipcRenderer.invoke(REQUEST_CHANNEL, message),
  onPush: (listener: (message: PushMessage) => void) => {
    // The page gets the message only, never the IPC event (which would reach ipcRenderer).
    const forward = (_event: IpcRendererEvent, message: PushMessage) => listener(message);
    ipcRenderer.on(PUSH_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(PUSH_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_NAME, transport);
