import { describe, expect, it } from 'vitest';
import {
  credentialInvalidText,
  finishRotationQuestion,
  forgetQuestion,
  handOverText,
  importLead,
  replaceCredentialLead,
  revokeQuestion,
  rotateLead,
  rotationFailedText,
  staleText,
} from '@renderer/features/tokens/lifecycle-text';
import { byTimeLeft } from '@renderer/features/tokens/token-order';

const display = { locale: 'en-US', timeZone: 'UTC' };

describe('lifecycle texts', () => {
  it('names the token and the account in the confirmations', () => {
    expect(revokeQuestion('ci-deploy', 'ACME SonarQube')).toBe(
      'Revoke ci-deploy on ACME SonarQube? Anything using it stops working at once. This cannot be undone.',
    );
    expect(forgetQuestion('old-ci')).toBe(
      'Forget the value of old-ci? The vault holds it, but the server no longer knows this token.',
    );
    expect(importLead('laptop')).toBe(
      'Paste the value of laptop. The vault checks it with the server before keeping it in your OS keychain.',
    );
    expect(replaceCredentialLead('grace.hopper')).toBe(
      'Create a new user token for grace.hopper in SonarQube, paste it here. It is kept only in your OS keychain.',
    );
  });

  it('words a rotation and a token handed to another user', () => {
    expect(rotateLead('ci-deploy')).toBe(
      'Generate a successor for ci-deploy with the same type, project and lifetime. The old token stays until you confirm the new one works.',
    );
    expect(finishRotationQuestion('ci-deploy', 'ACME SonarQube', 'ci-deploy-2026-11-25')).toBe(
      'Revoke ci-deploy on ACME SonarQube? Confirm that ci-deploy-2026-11-25 works first.',
    );
    expect(rotationFailedText('The server did not answer.')).toBe(
      'Not revoked yet: The server did not answer.',
    );
    expect(handOverText('alan.turing')).toBe(
      "Hand this value to alan.turing: the vault does not keep other users' tokens.",
    );
  });

  it('says when a stale list is from and why', () => {
    const refreshedAt = Date.UTC(2026, 11, 1, 9, 30);
    expect(staleText({ refreshedAt, problem: 'Could not reach sonar.example.com.' }, display)).toBe(
      'Showing the tokens as of Dec 1, 2026, 9:30 AM — Could not reach sonar.example.com.',
    );
    expect(staleText({ refreshedAt }, display)).toBe('Showing the tokens as of Dec 1, 2026, 9:30 AM');
  });

  it("puts the core's reason in brackets, without a doubled full stop", () => {
    expect(credentialInvalidText('The server did not accept the token (401).')).toBe(
      "The vault's token for this account is no longer valid (The server did not accept the token (401)).",
    );
    expect(credentialInvalidText(undefined)).toBe("The vault's token for this account is no longer valid.");
  });
});

describe('byTimeLeft with tokens gone from the server', () => {
  it('puts them first: their held value no longer works anywhere', () => {
    const sorted = [
      { name: 'soon', expiresAt: 1_000, serverSaysExpired: false },
      { name: 'forgotten', expiresAt: null, serverSaysExpired: false, onServer: false },
      { name: 'expired', expiresAt: 9_000, serverSaysExpired: true },
      { name: 'forever', expiresAt: null, serverSaysExpired: false, onServer: true },
    ].sort(byTimeLeft);
    expect(sorted.map((t) => t.name)).toEqual(['forgotten', 'expired', 'soon', 'forever']);
  });
});
