/** A 127.0.0.1 server that answers every request the same broken way (a proxy, a wrong host). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultServer {
  url: string;
  close(): Promise<void>;
}

export async function startFaultServer(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<FaultServer> {
  const server = createServer(answer);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A port on which nothing listens: bind one, note it, release it. */
export async function closedPortUrl(): Promise<string> {
  const probe = await startFaultServer((_q, r) => r.end());
  await probe.close();
  return probe.url;
}

/** What a recording server saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

/**
 * A server that only records what reaches it (method, URL, Authorization) and answers 200 `{}`:
 * "another host" for redirect tests, which must hear nothing at all.
 */
export async function startRecordingServer(): Promise<FaultServer & { requests: SeenRequest[] }> {
  const requests: SeenRequest[] = [];
  const server = await startFaultServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
  return { ...server, requests };
}
