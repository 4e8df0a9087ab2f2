import type { AccountView, TokenView } from '@contract';

/** The row actions that open a dialog ('finish-rotation': revoke a rotation's predecessor). */
export type TokenActionKind = 'revoke' | 'forget' | 'import' | 'rotate' | 'finish-rotation';

/** An open row action; the account is captured when it opens (the selection may move meanwhile). */
export interface TokenAction {
  kind: TokenActionKind;
  token: TokenView;
  account: AccountView;
}
