import { useState } from 'react';
import type { DeliveryRun, TokenRef } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { call } from '@renderer/vault-client';
import { Modal } from '@renderer/ui/Modal';
import { DeliveryState } from './DeliveryState';

interface DeliveryRunDialogProps {
  /** The token to rotate ('rotate'), or either token of a rotation waiting for deliveries ('retry'). */
  token: TokenRef;
  start: 'rotate' | 'retry';
  /** A run already made (the rotate dialog's): its outcome is shown, Retry offered. */
  initialRun?: DeliveryRun;
  onClose: () => void;
}

type Stage =
  | { step: 'confirm' }
  | { step: 'running' }
  | { step: 'done'; run: DeliveryRun }
  | { step: 'failed'; message: string };

/**
 * Rotate and deliver: the successor goes to every target and is confirmed there before the old
 * token is revoked. A target that fails is named and the old token kept; Retry tries the rest.
 * No value is shown: it went where it is used, and the vault holds it.
 */
export function DeliveryRunDialog({ token, start, initialRun, onClose }: DeliveryRunDialogProps) {
  const [stage, setStage] = useState<Stage>(
    initialRun ? { step: 'done', run: initialRun } : { step: 'confirm' },
  );
  const [ref, setRef] = useState(initialRun ? { ...token, name: initialRun.successor } : token);
  const running = stage.step === 'running';

  async function run(what: 'tokens.rotateAndDeliver' | 'tokens.retryDelivery', target: TokenRef) {
    setStage({ step: 'running' });
    try {
      const answer = await call(what, target);
      setRef({ accountId: target.accountId, name: answer.successor });
      setStage({ step: 'done', run: answer });
    } catch (error) {
      setStage({ step: 'failed', message: errorMessage(error) });
    }
  }

  return (
    <Modal title="Rotate and deliver" onEscape={running ? undefined : onClose}>
      <div className="form" aria-busy={running}>
        {stage.step === 'confirm' && start === 'retry' && (
          <p className="confirm-text">
            The new token is delivered to the targets that do not have it yet; once every one has it, the old
            token is revoked.
          </p>
        )}
        {stage.step === 'confirm' && start === 'rotate' && (
          <p className="confirm-text">
            A new token replaces <strong>{token.name}</strong>: it is delivered to every target and confirmed
            there, and only then is <strong>{token.name}</strong> revoked. If a target fails, the old token
            stays until a retry succeeds.
          </p>
        )}
        {running && <p className="confirm-text">Delivering…</p>}
        {stage.step === 'failed' && (
          <p role="alert" className="form-error">
            {stage.message}
          </p>
        )}
        {stage.step === 'done' && (
          <>
            <p role="status" className="confirm-text">
              {stage.run.complete
                ? `Delivered everywhere: "${stage.run.successor}" replaces "${stage.run.predecessor}", which is revoked.`
                : `"${stage.run.predecessor}" is kept: not every target has "${stage.run.successor}" yet.`}
            </p>
            <ul className="delivery-list">
              {stage.run.deliveries.map((d) => (
                <li key={d.id}>
                  <span className="delivery-label">{d.label}</span>
                  <DeliveryState delivery={d} current={stage.run.successor} />
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="form-actions">
          {stage.step === 'confirm' ? (
            <>
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="button"
                className="button primary"
                onClick={() =>
                  void run(start === 'rotate' ? 'tokens.rotateAndDeliver' : 'tokens.retryDelivery', token)
                }
              >
                {start === 'rotate' ? 'Rotate and deliver' : 'Retry delivery'}
              </button>
            </>
          ) : (
            <>
              {stage.step === 'done' && !stage.run.complete && (
                <button
                  type="button"
                  className="button"
                  onClick={() => void run('tokens.retryDelivery', ref)}
                >
                  Retry
                </button>
              )}
              <button type="button" className="button primary" onClick={onClose} aria-disabled={running}>
                Close
              </button>
            </>
          )}
        </div>
      </div>
    </Modal>
  );
}
