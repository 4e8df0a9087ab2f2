import { describe, expect, it } from 'vitest';
import { isOwnPage } from '../../electron/main/trust';

describe('IPC sender trust', () => {
  const app = 'file:///opt/Token%20Vault/resources/app.asar/out/renderer/index.html';

  it('accepts our own page, with or without a hash or query', () => {
    expect(isOwnPage(app, app)).toBe(true);
    expect(isOwnPage(`${app}#/tokens`, app)).toBe(true);
    expect(isOwnPage('http://localhost:5173/?x=1', 'http://localhost:5173/')).toBe(true);
  });

  it('refuses any other page, scheme, origin or garbage', () => {
    expect(isOwnPage('file:///tmp/evil.html', app)).toBe(false);
    expect(isOwnPage('https://sonarcloud.io/', app)).toBe(false);
    expect(isOwnPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isOwnPage('http://localhost:5173/other.html', 'http://localhost:5173/')).toBe(false);
    expect(isOwnPage('about:blank', app)).toBe(false);
    expect(isOwnPage('not a url', app)).toBe(false);
  });
});
