// The monitor protocol over a WebSocket to the browser-mode server (app/web).

import type { MonitorTransport } from '../shared/monitor-api.js';
import type { PushMessage, RequestMessage, ResponseMessage } from '../shared/protocol.js';

export class WebSocketTransport implements MonitorTransport {
  private readonly pending = new Map<number, (response: ResponseMessage) => void>();
  private readonly listeners = new Set<(message: PushMessage) => void>();
  private closedReason: string | undefined;

  private constructor(private readonly socket: WebSocket, onClose: (reason: string) => void) {
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) => {
      this.closedReason = `the connection to the monitor closed (code ${event.code})`;
      for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: this.closedReason });
      this.pending.clear();
      onClose(this.closedReason);
    });
  }

  /** Opens the socket; rejects with one line when the server refuses it (wrong token, not our page). */
  static connect(url: string, onClose: (reason: string) => void): Promise<WebSocketTransport> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const fail = () => reject(new Error('the monitor server refused the connection (is the token in the page address right?)'));
      socket.addEventListener('error', fail, { once: true });
      socket.addEventListener('open', () => {
        socket.removeEventListener('error', fail);
        resolve(new WebSocketTransport(socket, onClose));
      }, { once: true });
    });
  }

  request(message: RequestMessage): Promise<ResponseMessage> {
    if (this.closedReason !== undefined) return Promise.resolve({ id: message.id, ok: false, error: this.closedReason });
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.socket.send(JSON.stringify(message));
    });
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(text: string): void {
    let message: Partial<ResponseMessage> & Partial<PushMessage>;
    try {
      // Only its `push` or `id` is trusted here; the page checks the rest of each message.
      message = JSON.parse(text) as Partial<ResponseMessage> & Partial<PushMessage>;
    } catch {
      return;
    }
    if (typeof message.push === 'string') {
      for (const listener of this.listeners) listener(message as PushMessage);
      return;
    }
    if (typeof message.id === 'number') {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message as ResponseMessage);
    }
  }
}
