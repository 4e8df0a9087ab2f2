import { useEffect, useId, useState } from 'react';
import type { DeliveryView, TokenView } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { useVaultStore } from '@renderer/store/vault-store';
import { call, on } from '@renderer/vault-client';
import { AddTargetDialog } from './AddTargetDialog';
import { DeliveryRunDialog } from './DeliveryRunDialog';
import { DeliveryState } from './DeliveryState';

type Dialog = 'add' | 'rotate' | 'retry' | null;

/**
 * Where the token's value is delivered (CI secret stores), in its detail: each target's last
 * delivery, Deliver now and Remove; Add a target; Rotate and deliver, or Retry a rotation whose
 * deliveries are not all done. Only for the account's own held tokens.
 */
export function DeliveriesSection({ token }: { token: TokenView }) {
  const toast = useVaultStore((s) => s.toast);
  const [targets, setTargets] = useState<{ list?: DeliveryView[]; error?: string }>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const headingId = useId();
  const { accountId, name } = token;

  useEffect(() => {
    let current = true;
    const load = () =>
      call('delivery.list', { accountId, name }).then(
        (list) => current && setTargets({ list }),
        (error: unknown) => current && setTargets({ error: errorMessage(error) }),
      );
    void load();
    const off = on('delivery.changed', (ref) => {
      if (ref.accountId === accountId && ref.name === name) void load();
    });
    return () => {
      current = false;
      off();
    };
  }, [accountId, name]);

  async function act(id: string, what: 'delivery.deliver' | 'delivery.remove', done: string) {
    setBusy(id);
    try {
      await call(what, { id });
      toast(done);
    } catch (error) {
      toast(errorMessage(error), 'error');
    } finally {
      setBusy(null);
    }
  }

  if (token.owner) return null;
  const list = targets.list ?? [];
  // A rotation waiting for deliveries shows on the predecessor, whose targets these still are.
  const waiting = token.rotation?.role === 'predecessor' && list.length > 0;
  return (
    <section className="detail-deliveries" aria-labelledby={headingId}>
      <h3 id={headingId}>Delivered to</h3>
      {targets.error ? (
        <p className="field-error">{targets.error}</p>
      ) : targets.list === undefined ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No CI secret store yet</p>
      ) : (
        <ul className="delivery-list">
          {list.map((d) => (
            <li key={d.id}>
              <span className="delivery-label">{d.label}</span>
              <DeliveryState delivery={d} current={token.name} />
              <span className="delivery-actions">
                {token.inVault && !waiting && (
                  <button
                    type="button"
                    className="link-button"
                    aria-disabled={busy !== null}
                    onClick={() => void act(d.id, 'delivery.deliver', `Delivered to ${d.label}`)}
                  >
                    Deliver now
                  </button>
                )}
                <button
                  type="button"
                  className="link-button"
                  aria-disabled={busy !== null}
                  aria-label={`Remove ${d.label}`}
                  onClick={() => void act(d.id, 'delivery.remove', `${d.label} removed`)}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="delivery-buttons">
        {token.inVault && token.onServer && (
          <button type="button" className="button" onClick={() => setDialog('add')}>
            Add delivery target
          </button>
        )}
        {list.length > 0 && !token.rotation && token.onServer && (
          <button type="button" className="button primary" onClick={() => setDialog('rotate')}>
            Rotate and deliver
          </button>
        )}
        {waiting && (
          <button type="button" className="button primary" onClick={() => setDialog('retry')}>
            Retry delivery
          </button>
        )}
      </div>
      {dialog === 'add' && (
        <AddTargetDialog
          token={{ accountId, name }}
          onDone={() => {
            setDialog(null);
            toast('Delivery target added');
          }}
          onCancel={() => setDialog(null)}
        />
      )}
      {(dialog === 'rotate' || dialog === 'retry') && (
        <DeliveryRunDialog token={{ accountId, name }} start={dialog} onClose={() => setDialog(null)} />
      )}
    </section>
  );
}
