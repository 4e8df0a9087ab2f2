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

/**
 * What a sign-in gateway in front of SonarQube answers an API call without a browser session:
 * - redirect: 302 to an identity provider's login page (`Location` on another origin);
 * - form: 200 with an HTML login form (a password field);
 * - saml: 200 with the self-posting SAML form of a single sign-on hand-off;
 * - negotiate: 401 with `WWW-Authenticate: Negotiate` (Kerberos / Windows sign-in);
 * - basic-realm: 401 with `WWW-Authenticate: Basic realm="…"` (a web server's own password prompt).
 * Every request is recorded, Authorization included, so a test sees what reached the gateway.
 */
export type SignInGatewayStyle = 'redirect' | 'form' | 'saml' | 'negotiate' | 'basic-realm';

export async function startSignInGateway(
  style: SignInGatewayStyle,
): Promise<FaultServer & { requests: SeenRequest[] }> {
  const requests: SeenRequest[] = [];
  const server = await startFaultServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    request.resume();
    const back = encodeURIComponent(`https://sonarqube.example.com${request.url ?? '/'}`);
    const html = { 'Content-Type': 'text/html; charset=utf-8' };
    switch (style) {
      case 'redirect':
        response
          .writeHead(302, {
            Location: `https://login.microsoftonline.com/common/oauth2/authorize?redirect_uri=${back}`,
          })
          .end();
        return;
      case 'form':
        response
          .writeHead(200, html)
          .end(
            '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/idp/login">' +
              '<input name="username"><input type="password" name="password"><button>Sign in</button></form></body></html>',
          );
        return;
      case 'saml':
        response
          .writeHead(200, html)
          .end(
            '<html><body onload="document.forms[0].submit()"><form method="post" action="https://idp.example.com/sso/saml">' +
              '<input type="hidden" name="SAMLRequest" value="PHNhbWxwOkF1dGhuUmVxdWVzdC8+"></form></body></html>',
          );
        return;
      case 'negotiate':
        response
          .writeHead(401, { 'WWW-Authenticate': 'Negotiate', ...html })
          .end('<h1>401 Unauthorized</h1>');
        return;
      case 'basic-realm':
        response
          .writeHead(401, { 'WWW-Authenticate': 'Basic realm="Corporate intranet"', ...html })
          .end('<h1>401 Authorization Required</h1>');
        return;
    }
  });
  return { ...server, requests };
}
