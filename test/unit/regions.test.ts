import { describe, expect, it } from 'vitest';
import { CLOUD_HOSTS, accountBaseUrl, normalizeServerUrl } from '@core/sonarqube/regions';

describe('server URLs', () => {
  it('keeps the context path, drops trailing slashes, assumes https when no scheme is typed', () => {
    expect(normalizeServerUrl('https://sq.example.com/')).toBe('https://sq.example.com');
    expect(normalizeServerUrl(' https://sq.example.com/sonar// ')).toBe('https://sq.example.com/sonar');
    expect(normalizeServerUrl('sq.example.com:9000/sonar')).toBe('https://sq.example.com:9000/sonar');
    expect(normalizeServerUrl('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000');
    expect(normalizeServerUrl('HTTPS://SQ.Example.com/Sonar')).toBe('https://sq.example.com/Sonar');
  });

  it.each([
    ['', /Enter the address/],
    ['   ', /Enter the address/],
    ['ftp://sq.example.com', /http:\/\/ or https:\/\//],
    ['javascript://alert(1)', /http:\/\/ or https:\/\//],
    ['https://user:pass@sq.example.com', /user names and passwords/],
    ['https://sq.example.com/?token=abc', /query/],
    ['https://sq.example.com/#x', /fragment/],
    ['https://exa mple.com', /not a valid URL/],
  ])('refuses %j with a clear message', (input, message) => {
    expect(() => normalizeServerUrl(input)).toThrow(message);
  });

  it('uses the region host for Cloud, whatever URL was typed', () => {
    expect(accountBaseUrl('cloud-eu', 'https://evil.example', CLOUD_HOSTS)).toBe('https://sonarcloud.io');
    expect(accountBaseUrl('cloud-us', undefined, CLOUD_HOSTS)).toBe('https://sonarqube.us');
    expect(accountBaseUrl('server', 'sq.example.com', CLOUD_HOSTS)).toBe('https://sq.example.com');
  });
});

describe('a scheme typed half-way', () => {
  it.each([
    'http:/sq.example.com',
    'https:sq.example.com',
    'https:\\\\sq.example.com',
    'ht\ttp:/sq.example.com',
  ])('%s is refused, not read as a host named after the scheme', (typed) =>
    expect(() => normalizeServerUrl(typed)).toThrow(/is not a valid URL: write the scheme as/),
  );
  it('a port is not a scheme', () => {
    expect(normalizeServerUrl('sq.example.com:9000/sonar')).toBe('https://sq.example.com:9000/sonar');
    expect(normalizeServerUrl('localhost:9000')).toBe('https://localhost:9000');
  });
});
