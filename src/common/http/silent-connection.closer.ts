import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection opened while the instance stops may stay silent before it is closed. */
export const SILENT_CONNECTION_MS = 1000;

/**
 * Lets a stopping instance close its HTTP server without waiting on clients. Node's server.close() waits for
 * every connection it does not see as idle, and one that was opened but has sent nothing yet (HTTP clients and
 * balancers open them ahead of need) is not idle to it: the stop then hangs until the headers timeout, a minute,
 * and the orchestrator's SIGKILL ends what was still running.
 *
 * From beforeApplicationShutdown on (before Nest closes the server), a connection with no request in flight is
 * closed at once, one with requests in flight is ended after its last answer, and one that opens during the
 * stop is closed if it stays silent for SILENT_CONNECTION_MS. Requests in flight are never cut off: their
 * answers are written, and PartnerWorkTracker waits for work whose client has gone.
 */
@Injectable()
export class SilentConnectionCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Each open connection, with how many of its requests are still unanswered. */
  private readonly open = new Map<Socket, number>();
  private stopping = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    // Absent in the worker process, which runs an application context without HTTP.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.on('connection', (socket: Socket) => this.opened(socket));
    server?.on('request', (req: IncomingMessage, res: ServerResponse) => this.started(req.socket, res));
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const [socket, unanswered] of this.open) {
      if (unanswered === 0) {
        socket.destroy();
      }
    }
  }

  private opened(socket: Socket): void {
    this.open.set(socket, 0);
    socket.once('close', () => this.open.delete(socket));
    if (this.stopping) {
      setTimeout(() => {
        if (this.open.get(socket) === 0) {
          socket.destroy();
        }
      }, SILENT_CONNECTION_MS).unref();
    }
  }

  private started(socket: Socket, res: ServerResponse): void {
    this.open.set(socket, (this.open.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const unanswered = this.open.get(socket);
      if (unanswered === undefined) {
        return;
      }
      this.open.set(socket, unanswered - 1);
      if (unanswered === 1 && this.stopping) {
        // end(), not destroy(): the answer may still be in the socket's buffer.
        socket.end();
      }
    });
  }
}
