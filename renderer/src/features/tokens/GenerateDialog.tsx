import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AccountView, CallOutput, TokenType } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { TOKEN_TYPE_NAMES, isCloudKind, utcDayPlus } from '@renderer/format';
import { useVaultStore, type Generated } from '@renderer/store/vault-store';
import { Field } from '@renderer/ui/Field';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { call } from '@renderer/vault-client';
import '@renderer/features/forms.css';
import { ProjectPicker } from './ProjectPicker';

type Preset = '30' | '90' | '365' | 'custom' | 'never';

const PRESETS: readonly { value: Preset; label: string }[] = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'custom', label: 'Custom date' },
  { value: 'never', label: 'No expiration' },
];

type Rules = CallOutput<'tokens.generationRules'>;

/** Why a preset is not offered under these rules, or null when it is. */
function presetRefusal(preset: Preset, rules: Rules | null, openedAt: number): string | null {
  if (!rules) return null;
  if (preset === 'never') return rules.noExpirationAllowed ? null : 'not allowed';
  if (preset === 'custom' || rules.maxDate === null) return null;
  return utcDayPlus(openedAt, Number(preset)) > rules.maxDate
    ? `over the ${rules.maxLifetime ?? 'server'} limit`
    : null;
}

/** The longest preset the rules allow, for when the chosen one is not. */
function allowedPreset(preset: Preset, rules: Rules, openedAt: number): Preset {
  if (presetRefusal(preset, rules, openedAt) === null) return preset;
  const allowed = (['365', '90', '30'] as const).find((p) => presetRefusal(p, rules, openedAt) === null);
  return allowed ?? 'custom';
}

const TYPES: readonly TokenType[] = ['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'];

const CLOUD_TYPE_NOTE = 'SonarQube Cloud personal access tokens are user tokens.';
const FOR_USER_TYPE_NOTE = 'Only user tokens can be generated for another user.';
const CLOUD_EXPIRY_NOTE = 'Expires 60 days after its last use (SonarQube Cloud rule).';

interface GenerateDialogProps {
  account: AccountView;
  /** Generate for this other user (an administrator's account): user tokens only, never kept. */
  forUser?: string | undefined;
  onCancel: () => void;
  /** Hands the answer, value included, to the parent's "copy it now" panel. */
  onGenerated: (generated: Generated) => void;
}

/** Asks the server for a new token; the server's refusals are shown as it words them. */
export function GenerateDialog({ account, forUser, onCancel, onGenerated }: GenerateDialogProps) {
  const generateToken = useVaultStore((s) => s.generateToken);
  const cloud = isCloudKind(account.kind);
  // Only user tokens can be made for someone else; as on Cloud, the type is fixed then.
  const userOnly = cloud || forUser !== undefined;
  const typeNote = forUser !== undefined ? FOR_USER_TYPE_NOTE : cloud ? CLOUD_TYPE_NOTE : undefined;
  // Dates are counted from when the dialog opened (and again at submit), not on every tick.
  const [openedAt] = useState(() => Date.now());
  const [name, setName] = useState('');
  const [type, setType] = useState<TokenType>('USER_TOKEN');
  const [projectKey, setProjectKey] = useState('');
  const [preset, setPreset] = useState<Preset>('90');
  const [customDay, setCustomDay] = useState(() => utcDayPlus(openedAt, 90));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What the server allows; null until it answers, and for good if it cannot (the server then
  // words its refusal on Generate, as before).
  const [rules, setRules] = useState<Rules | null>(null);
  const id = useId();
  const project = type === 'PROJECT_ANALYSIS_TOKEN' && !userOnly;

  useEffect(() => {
    let current = true;
    call('tokens.generationRules', { accountId: account.id }).then(
      (answer) => {
        if (!current || answer.rolling) return;
        setRules(answer);
        setPreset((p) => allowedPreset(p, answer, openedAt));
        setCustomDay((d) => (answer.maxDate !== null && d > answer.maxDate ? answer.maxDate : d));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [account.id, openedAt]);

  function expirationDay(now: number): string | null {
    if (cloud || preset === 'never') return null;
    if (preset === 'custom') return customDay;
    return utcDayPlus(now, Number(preset));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) return setError('A token name is required.');
    if (project && !projectKey.trim()) return setError('A project analysis token needs a project key.');
    if (!cloud && preset === 'custom' && !customDay) return setError('Choose an expiration date.');
    setBusy(true);
    setError(null);
    try {
      const generated = await generateToken({
        accountId: account.id,
        name: trimmed,
        type: userOnly ? 'USER_TOKEN' : type,
        ...(project ? { projectKey: projectKey.trim() } : {}),
        expirationDate: expirationDay(Date.now()),
        ...(forUser !== undefined ? { login: forUser } : {}),
      });
      onGenerated(generated);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  }

  // A generate cannot be taken back: while one runs, nothing may close the dialog.
  const cancel = () => {
    if (!busy) onCancel();
  };

  const presetDay = expirationDay(openedAt);

  return (
    <Modal title="Generate token" onEscape={cancel}>
      <p className="modal-lead">
        On <strong>{account.label}</strong> for {forUser ?? account.login}
      </p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <Field id={`${id}-name`} label="Name">
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            required
            autoComplete="off"
            spellCheck={false}
          />
        </Field>

        <Field id={`${id}-type`} label="Type" hint={typeNote}>
          <select
            id={`${id}-type`}
            value={userOnly ? 'USER_TOKEN' : type}
            onChange={(e) => setType(e.target.value as TokenType)}
            disabled={userOnly}
            aria-describedby={typeNote ? `${id}-type-hint` : undefined}
          >
            {(userOnly ? TYPES.slice(0, 1) : TYPES).map((t) => (
              <option key={t} value={t}>
                {TOKEN_TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </Field>

        {project && (
          <Field id={`${id}-project`} label="Project key" hint="Type part of its name or key to search.">
            <ProjectPicker
              id={`${id}-project`}
              accountId={account.id}
              value={projectKey}
              onChange={setProjectKey}
              describedBy={`${id}-project-hint`}
            />
          </Field>
        )}

        {cloud ? (
          <div className="field">
            <span className="field-label">Expiration</span>
            <p className="field-note">{CLOUD_EXPIRY_NOTE}</p>
          </div>
        ) : (
          <>
            <Field
              id={`${id}-expiry`}
              label="Expiration"
              hint={
                preset === 'never'
                  ? 'The token works until someone revokes it.'
                  : preset === 'custom'
                    ? 'The token stops working at the start of that day (UTC).'
                    : `Expires on ${presetDay} (UTC).`
              }
            >
              <select
                id={`${id}-expiry`}
                value={preset}
                onChange={(e) => setPreset(e.target.value as Preset)}
                aria-describedby={`${id}-expiry-hint`}
              >
                {PRESETS.map((p) => {
                  const refusal = presetRefusal(p.value, rules, openedAt);
                  // "No expiration" is not offered at all where the server refuses it.
                  if (p.value === 'never' && refusal) return null;
                  return (
                    <option key={p.value} value={p.value} disabled={refusal !== null}>
                      {refusal ? `${p.label} (${refusal})` : p.label}
                    </option>
                  );
                })}
              </select>
            </Field>
            {preset === 'custom' && (
              <Field id={`${id}-day`} label="Expiration date">
                <input
                  id={`${id}-day`}
                  type="date"
                  value={customDay}
                  min={rules?.minDate ?? utcDayPlus(openedAt, 1)}
                  max={rules?.maxDate ?? undefined}
                  onChange={(e) => setCustomDay(e.target.value)}
                  required
                />
              </Field>
            )}
            {rules?.maxDate && (
              <p className="rules-note" role="note">
                Your administrator limits tokens to {rules.maxLifetime ?? 'a maximum lifetime'} (until{' '}
                {rules.maxDate}).
              </p>
            )}
          </>
        )}

        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel="Generate"
          busyLabel="Generating…"
        />
      </form>
    </Modal>
  );
}
