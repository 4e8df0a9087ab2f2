/** The administrator's overview, its pure parts: "Tell the owner" and the bounded fan-out. */
import { describe, expect, it } from 'vitest';
import type { OwnedTokenView } from '@contract';
import { eachLimited } from '@core/concurrency';
import { DAY_MS } from '@shared/expiry';
import { linkAllowed } from '../../electron/main/external-links';
import { tellOwnerHref, tellOwnerMessage } from '@renderer/features/admin-overview/tell-owner';

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
const DISPLAY = { locale: 'en-US', timeZone: 'UTC' };
const SERVER = { label: 'ACME SonarQube', baseUrl: 'https://sq.example.com/sonar' };

function token(patch: Partial<OwnedTokenView> = {}): OwnedTokenView {
  return {
    accountId: 'acme-0001',
    name: 'orbit-ci',
    type: 'PROJECT_ANALYSIS_TOKEN',
    projectKey: 'payments-service',
    createdAt: NOW - 80 * DAY_MS,
    lastUsedAt: null,
    expiresAt: Date.UTC(2026, 10, 27),
    expiryBasis: 'fixed',
    serverSaysExpired: false,
    inVault: false,
    onServer: true,
    keepAlive: false,
    owner: 'katherine.johnson',
    ownerName: 'Katherine Johnson',
    ownerEmail: 'katherine.johnson@example.com',
    ...patch,
  };
}

describe('Tell the owner', () => {
  it('says which token, on which server, and when it expires', () => {
    expect(tellOwnerMessage(token(), SERVER, NOW, DISPLAY)).toEqual({
      subject: 'Your SonarQube token "orbit-ci" expires soon',
      body: [
        'Hello Katherine Johnson,',
        '',
        'Your project analysis token "orbit-ci" for the project payments-service on ACME SonarQube (https://sq.example.com/sonar) expires on Nov 27, 2026, 12:00 AM UTC. Anything that uses it stops working then.',
        '',
        'Please generate a new token in SonarQube (My Account > Security), put it where the old one is used, then revoke the old one.',
      ].join('\r\n'),
    });
  });

  it('says an expired token has expired, by the server’s word or the clock', () => {
    const expired = { expiresAt: Date.UTC(2026, 10, 21) };
    for (const t of [
      token(expired),
      token({ ...expired, serverSaysExpired: true, expiresAt: NOW + DAY_MS }),
    ]) {
      const { subject, body } = tellOwnerMessage(
        { ...t, type: undefined, projectKey: undefined },
        SERVER,
        NOW,
        DISPLAY,
      );
      expect(subject).toBe('Your SonarQube token "orbit-ci" has expired');
      expect(body).toMatch(
        /^Hello Katherine Johnson,\r\n\r\nYour token "orbit-ci" on ACME SonarQube \(https:\/\/sq\.example\.com\/sonar\) expired on /,
      );
      expect(body).toContain('Anything that still uses it is refused.');
    }
  });

  it('is a mailto: the main process opens, to the owner only; none without an e-mail', () => {
    const href = tellOwnerHref(token(), SERVER, NOW, DISPLAY);
    expect(href).toMatch(
      /^mailto:katherine\.johnson@example\.com\?subject=Your%20SonarQube%20token%20%22orbit-ci%22%20expires%20soon&body=Hello%20Katherine%20Johnson%2C%0D%0A/,
    );
    expect(linkAllowed(href ?? '', new Set())).toBe(true);
    // Whatever the names hold, they stay inside subject and body.
    const odd = token({ name: 'x&attach=/etc/passwd?#', ownerName: 'Eve\r\nBcc: eve@example.com' });
    const oddHref = tellOwnerHref(odd, SERVER, NOW, DISPLAY) ?? '';
    expect([...new URL(oddHref).searchParams.keys()]).toEqual(['subject', 'body']);
    expect(linkAllowed(oddHref, new Set())).toBe(true);
    expect(tellOwnerHref(token({ ownerEmail: undefined }), SERVER, NOW, DISPLAY)).toBeNull();
  });
});

describe('eachLimited', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await eachLimited(
      Array.from({ length: 30 }, (_, i) => i),
      4,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        done.push(i);
      },
    );
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('a failure stops new items from starting, and is the answer', async () => {
    const started: number[] = [];
    const failing = eachLimited([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, async (i) => {
      started.push(i);
      await tick();
      if (i === 1) throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    await tick();
    expect(started.length).toBeLessThan(5);
  });

  it('stops taking items once told to', async () => {
    const started: number[] = [];
    await eachLimited(
      [0, 1, 2, 3, 4, 5],
      1,
      (i) => Promise.resolve(void started.push(i)),
      () => started.length >= 3,
    );
    expect(started).toEqual([0, 1, 2]);
  });
});
