// The one object the renderer talks to: typed calls and a push stream, whichever transport is below.

import type { Method, Params, PushMessage, RequestMessage, ResponseMessage, Result } from './protocol.js';

/** A transport moves protocol messages; the desktop preload and the WebSocket client both provide one. */
export interface MonitorTransport {
  request(message: RequestMessage): Promise<ResponseMessage>;
  /** Returns a function that unsubscribes. */
  onPush(listener: (message: PushMessage) => void): () => void;
}

/** A failed request: `message` is one line, `details` every problem when there are several. */
export class MonitorError extends Error {
  override readonly name = 'MonitorError';
  constructor(message: string, readonly details: string[] = []) {
    super(message);
  }
}

export class MonitorClient {
  private nextId = 1;

  constructor(private readonly transport: MonitorTransport) {}

  async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.nextId++;
    const response = await this.transport.request({ id, method, params } as RequestMessage);
    if (!response.ok) throw new MonitorError(response.error, response.details);
    return response.result as Result<M>;
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    return this.transport.onPush(listener);
  }
}
