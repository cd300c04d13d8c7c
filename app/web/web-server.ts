// Browser mode: an HTTP server on 127.0.0.1 that serves the renderer and carries the monitor protocol
// over a WebSocket, for holders of this run's token only.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, parseRequestText, type PushMessage, type ResponseMessage } from '../shared/protocol.js';
import { allowedHosts, newToken, refuseUpgrade } from './access-guard.js';
import { serveStatic } from './static-files.js';

/** What the server needs from the engine host. */
export interface ProtocolHandler {
  handleMessage(message: unknown): Promise<ResponseMessage>;
  onPush(listener: (message: PushMessage) => void): () => void;
}

export interface WebServerOptions {
  handler: ProtocolHandler;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed for tests; a fresh random one otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export interface RunningWebServer {
  port: number;
  token: string;
  /** The page to open: its fragment carries the token to the renderer (fragments are never sent to servers). */
  url: string;
  close(): Promise<void>;
}

/** A client that has this many bytes queued misses samples until it catches up (status pushes still go). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_CLIENTS = 16;

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => undefined);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const server: Server = createServer((request, response) => {
    if (!allowedHosts(port).includes(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong Host header\n');
      return;
    }
    void serveStatic(options.staticDir, port, request, response);
  });

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const refused = refuseUpgrade({ url: request.url ?? '', host: request.headers.host, origin: request.headers.origin }, port, token)
      ?? (sockets.clients.size >= MAX_CLIENTS ? `too many clients (${MAX_CLIENTS})` : undefined);
    if (refused !== undefined) {
      log(`refused a WebSocket connection: ${refused}`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refused}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveClient(ws, options.handler, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep idle HTTP connections open; without this, close() would wait for them.
      server.closeAllConnections();
      await closed;
    },
  };
}

function serveClient(ws: WebSocket, handler: ProtocolHandler, log: (line: string) => void): void {
  const send = (message: ResponseMessage | PushMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = handler.onPush((message) => {
    if (message.push === 'sample' && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    send(message);
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      send({ id: 0, ok: false, error: 'binary messages are not part of the protocol' });
      return;
    }
    const parsed = parseRequestText(rawText(data));
    if (!parsed.ok) {
      send({ id: parsed.id ?? 0, ok: false, error: parsed.error });
      return;
    }
    void handler.handleMessage(parsed.request).then(send, (error: unknown) => {
      log(`request failed: ${String(error)}`);
      send({ id: parsed.request.id, ok: false, error: 'internal error' });
    });
  });
  ws.on('error', (error) => log(`WebSocket error: ${error.message}`));
  ws.on('close', unsubscribe);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
