// The desktop menu: each item asks the page to do what its button does, so both paths are one.

import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { PUSH_CHANNEL } from '../shared/bridge.js';
import type { MenuAction, PushMessage } from '../shared/protocol.js';

export function installMenu(window: () => BrowserWindow | undefined): void {
  const send = (action: MenuAction) => () => {
    const target = window();
    const message: PushMessage = { push: 'menu', data: { action } };
    if (target !== undefined && !target.isDestroyed()) target.webContents.send(PUSH_CHANNEL, message);
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open Scenario…', accelerator: 'CmdOrCtrl+O', click: send('open-scenario') },
        { type: 'separator' },
        { label: 'Export Metrics (JSON)…', click: send('export-json') },
        { label: 'Export Metrics (CSV)…', click: send('export-csv') },
        { label: 'Export Trace (Perfetto)…', click: send('export-trace') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'System',
      submenu: [
        { label: 'Start', accelerator: 'CmdOrCtrl+R', click: send('start') },
        { label: 'Stop', accelerator: 'CmdOrCtrl+.', click: send('stop') },
      ],
    },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, { role: 'toggleDevTools' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
