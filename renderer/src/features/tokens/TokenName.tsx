import type { TokenView } from '@contract';

/** A token's name, and its project's key under it (the project's name as its tooltip). */
export function TokenName({ token }: { token: Pick<TokenView, 'name' | 'projectKey' | 'projectName'> }) {
  return (
    <>
      <span className="token-name">{token.name}</span>
      {token.projectKey && (
        <span className="token-project" title={token.projectName}>
          {token.projectKey}
        </span>
      )}
    </>
  );
}
