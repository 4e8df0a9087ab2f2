import { useId, useState } from 'react';
import type { TokenRef } from '@contract';
import { call } from '@renderer/vault-client';
import { Checkbox } from '@renderer/ui/Checkbox';
import { Field } from '@renderer/ui/Field';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { useCoreSubmit } from '@renderer/ui/use-core-submit';
import { emptyForm, SCOPES, SERVICE_DEFAULTS, targetOf, whereLabel, type TargetForm } from './target-form';

interface AddTargetDialogProps {
  token: TokenRef;
  onDone: () => void;
  onCancel: () => void;
}

const NEEDS: Readonly<Record<TargetForm['kind'], string>> = {
  github:
    'A GitHub token that may write Actions secrets there (fine-grained: "Secrets" read and write; organization secrets: the organization\'s "Secrets" permission). Kept in the OS keychain.',
  gitlab:
    'A GitLab access token with the "api" scope, of a Maintainer (project) or Owner (group). Kept in the OS keychain.',
};

/**
 * Where the token's value is used: a GitHub Actions secret or a GitLab CI/CD variable. The core
 * checks the access token against the target before keeping anything; the access token lives in
 * this dialog's state only until then.
 */
export function AddTargetDialog({ token, onDone, onCancel }: AddTargetDialogProps) {
  const [form, setForm] = useState<TargetForm>(emptyForm());
  const [credential, setCredential] = useState('');
  const id = useId();
  const { busy, error, submit } = useCoreSubmit(async () => {
    await call('delivery.add', { ...token, target: targetOf(form), credential });
    setCredential('');
    onDone();
  });
  const edit = (patch: Partial<TargetForm>) => setForm((f) => ({ ...f, ...patch }));
  const where = whereLabel(form);
  const cancel = () => {
    if (busy) return;
    setCredential('');
    onCancel();
  };

  return (
    <Modal title="Add a delivery target" onEscape={cancel}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <p className="confirm-text">
          The value of <strong>{token.name}</strong> is written there now and with every rotation; the old
          token is revoked only once every target has the new one.
        </p>
        <div className="form-row">
          <Field id={`${id}-kind`} label="Service">
            <select
              id={`${id}-kind`}
              value={form.kind}
              onChange={(e) => {
                const kind = e.target.value as TargetForm['kind'];
                edit({ kind, ...SERVICE_DEFAULTS[kind] });
              }}
            >
              <option value="github">GitHub Actions</option>
              <option value="gitlab">GitLab CI/CD</option>
            </select>
          </Field>
          <Field id={`${id}-scope`} label="Kind">
            <select
              id={`${id}-scope`}
              value={form.scope}
              onChange={(e) => edit({ scope: e.target.value as TargetForm['scope'] })}
            >
              {SCOPES[form.kind].map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field id={`${id}-api`} label="API address">
          <input
            id={`${id}-api`}
            className="mono"
            value={form.apiUrl}
            onChange={(e) => edit({ apiUrl: e.target.value })}
            spellCheck={false}
          />
        </Field>
        <Field id={`${id}-where`} label={where.label}>
          <input
            id={`${id}-where`}
            value={form.where}
            placeholder={where.placeholder}
            onChange={(e) => edit({ where: e.target.value })}
            spellCheck={false}
          />
        </Field>
        {form.kind === 'github' && form.scope === 'environment' && (
          <Field id={`${id}-env`} label="Environment">
            <input
              id={`${id}-env`}
              value={form.environment}
              placeholder="production"
              onChange={(e) => edit({ environment: e.target.value })}
            />
          </Field>
        )}
        <Field id={`${id}-name`} label={form.kind === 'github' ? 'Secret name' : 'Variable key'}>
          <input
            id={`${id}-name`}
            className="mono"
            value={form.name}
            onChange={(e) => edit({ name: e.target.value })}
            spellCheck={false}
          />
        </Field>
        {form.kind === 'gitlab' && (
          <div className="form-row">
            <Checkbox checked={form.masked} onChange={(masked) => edit({ masked })}>
              Masked in job logs
            </Checkbox>
            <Checkbox checked={form.protected} onChange={(isProtected) => edit({ protected: isProtected })}>
              Protected branches and tags only
            </Checkbox>
          </div>
        )}
        <Field id={`${id}-credential`} label="Access token" hint={NEEDS[form.kind]}>
          <input
            id={`${id}-credential`}
            type="password"
            className="mono"
            value={credential}
            onChange={(e) => setCredential(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-credential-hint`}
          />
        </Field>
        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel="Check and add"
          busyLabel="Checking…"
        />
      </form>
    </Modal>
  );
}
