// The desktop IPC bridge, with electron mocked: only the monitor page's main frame is served, and a
// malformed message gets an error without reaching the engine.

import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, message: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: (event: unknown, message: unknown) => Promise<unknown>) => handlers.set(channel, handler) },
}));

const { connectIpc } = await import('../../app/main/ipc.js');
const { trustedSender } = await import('../../app/main/sender-check.js');
const { REQUEST_CHANNEL, PUSH_CHANNEL } = await import('../../app/shared/bridge.js');
const { parseRequest } = await import('../../app/shared/protocol.js');

const PAGE = 'file:///opt/tessera/out/renderer/index.html';

function fakeWindow(id: number) {
  const sent: unknown[] = [];
  const mainFrame = { url: PAGE };
  return { sent, mainFrame, window: { isDestroyed: () => false, webContents: { id, send: (channel: string, message: unknown) => sent.push([channel, message]) } } };
}

describe('trustedSender', () => {
  const ids = new Set([3]);
  it('accepts the monitor page\'s main frame, with or without a fragment', () => {
    expect(trustedSender({ contentsId: 3, frameUrl: PAGE, isMainFrame: true }, ids, PAGE)).toBe(true);
    expect(trustedSender({ contentsId: 3, frameUrl: `${PAGE}#x`, isMainFrame: true }, ids, PAGE)).toBe(true);
  });
  it('refuses other windows, subframes, other pages and vanished frames', () => {
    expect(trustedSender({ contentsId: 4, frameUrl: PAGE, isMainFrame: true }, ids, PAGE)).toBe(false);
    expect(trustedSender({ contentsId: 3, frameUrl: PAGE, isMainFrame: false }, ids, PAGE)).toBe(false);
    expect(trustedSender({ contentsId: 3, frameUrl: 'https://evil.example/', isMainFrame: true }, ids, PAGE)).toBe(false);
    expect(trustedSender({ contentsId: 3, frameUrl: 'file:///opt/tessera/out/renderer/index.html.evil', isMainFrame: true }, ids, PAGE)).toBe(false);
    expect(trustedSender({ contentsId: 3, frameUrl: undefined, isMainFrame: true }, ids, PAGE)).toBe(false);
  });
});

describe('connectIpc', () => {
  let handled: unknown[];
  let pushListener: ((message: unknown) => void) | undefined;
  const win = fakeWindow(3);

  beforeEach(() => {
    handlers.clear();
    handled = [];
    const host = {
      handleMessage: async (message: unknown) => {
        const parsed = parseRequest(message);
        if (!parsed.ok) return { id: parsed.id ?? 0, ok: false, error: parsed.error };
        handled.push(parsed.request);
        return { id: parsed.request.id, ok: true, result: null };
      },
      onPush: (listener: (message: unknown) => void) => {
        pushListener = listener;
        return () => undefined;
      },
    };
    connectIpc(host as never, () => [win.window as never], PAGE);
  });

  const invoke = (event: unknown, message: unknown) => handlers.get(REQUEST_CHANNEL)!(event, message);
  const eventFrom = (id: number, frame: { url: string } | null, main = frame) => ({ sender: { id, mainFrame: main }, senderFrame: frame });

  it('serves the monitor page', async () => {
    expect(await invoke(eventFrom(3, win.mainFrame), { id: 1, method: 'hello' })).toEqual({ id: 1, ok: true, result: null });
    expect(handled).toHaveLength(1);
  });

  it('refuses a request from another frame or window without reaching the host', async () => {
    const refusal = { id: 0, ok: false, error: 'request refused: it does not come from the monitor page' };
    expect(await invoke(eventFrom(3, { url: PAGE }, win.mainFrame), { id: 1, method: 'hello' })).toEqual(refusal);
    expect(await invoke(eventFrom(9, { url: PAGE }), { id: 1, method: 'hello' })).toEqual(refusal);
    expect(await invoke(eventFrom(3, null, win.mainFrame), { id: 1, method: 'hello' })).toEqual(refusal);
    expect(handled).toEqual([]);
  });

  it('answers a malformed message with an error', async () => {
    expect(await invoke(eventFrom(3, win.mainFrame), { id: 2, method: 'vmCommand', params: { vm: 'rtos', command: 'explode' } })).toMatchObject({ id: 2, ok: false });
    expect(await invoke(eventFrom(3, win.mainFrame), 'garbage')).toMatchObject({ ok: false, error: 'a request must be a JSON object' });
    expect(handled).toEqual([]);
  });

  it('forwards the host\'s pushes to the window', () => {
    pushListener!({ push: 'status', data: { state: 'running', failedVms: [] } });
    expect(win.sent).toEqual([[PUSH_CHANNEL, { push: 'status', data: { state: 'running', failedVms: [] } }]]);
  });
});
