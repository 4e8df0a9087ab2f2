/**
 * The SonarQube server of bench/scale.ts, in a process of its own (as a real server is): its work
 * does not share the vault's thread, so the ratio measures what the vault adds, not what the
 * server costs. Seeds `accounts` users of `tokens` tokens each, then sends its address and the
 * users' credentials to the parent; it ends when the parent disconnects.
 */
import { DAY_MS } from '@shared/expiry';
import { startSonarQubeServer } from '../test/support/sonarqube-server';

export interface Seeded {
  readonly url: string;
  readonly credentials: readonly string[];
}

const [accounts, tokens] = process.argv.slice(2).map(Number) as [number, number];
const now = Date.now();
const server = await startSonarQubeServer({ flavour: 'server', users: [] });
const credentials: string[] = [];
for (let a = 0; a < accounts; a++) {
  const login = `user-${a}`;
  server.addUser({ login, name: `User ${a}` });
  credentials.push(server.addToken(login, { name: 'vault', createdAt: new Date(now - DAY_MS) }));
  for (let t = 0; t < tokens - 1; t++) {
    server.addToken(login, {
      name: `token-${a}-${t}`,
      createdAt: new Date(now - ((t % 300) + 1) * DAY_MS),
      lastConnectionDate: new Date(now - (t % 20) * DAY_MS),
      expirationDate: new Date(Math.floor(now / DAY_MS) * DAY_MS + ((t % 120) - 10) * DAY_MS),
    });
  }
}
process.send!({ url: server.url, credentials } satisfies Seeded);
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
