/**
 * The "Add delivery target" form as plain data: what the user typed, and the target it names
 * (the core checks it again, with the contract's schema, and then against the service).
 */
import type { DeliveryTarget } from '@contract';

export type TargetScope = 'repository' | 'environment' | 'organization' | 'project' | 'group';

export interface TargetForm {
  readonly kind: 'github' | 'gitlab';
  readonly apiUrl: string;
  readonly scope: TargetScope;
  /** GitHub: "owner/repo" (repository, environment) or the organization; GitLab: the full path or id. */
  readonly where: string;
  readonly environment: string;
  /** The secret's or the variable's name. */
  readonly name: string;
  readonly masked: boolean;
  readonly protected: boolean;
}

export const SERVICE_DEFAULTS = {
  github: { apiUrl: 'https://api.github.com', scope: 'repository' },
  gitlab: { apiUrl: 'https://gitlab.com', scope: 'project' },
} as const;

export const SCOPES: Readonly<Record<TargetForm['kind'], readonly { value: TargetScope; label: string }[]>> =
  {
    github: [
      { value: 'repository', label: 'Repository secret' },
      { value: 'environment', label: 'Environment secret' },
      { value: 'organization', label: 'Organization secret' },
    ],
    gitlab: [
      { value: 'project', label: 'Project variable' },
      { value: 'group', label: 'Group variable' },
    ],
  };

export function emptyForm(kind: TargetForm['kind'] = 'github'): TargetForm {
  return {
    kind,
    ...SERVICE_DEFAULTS[kind],
    where: '',
    environment: '',
    name: 'SONAR_TOKEN',
    masked: true,
    protected: false,
  };
}

/** The target the form names; the core validates it (and says what is wrong, field by field). */
export function targetOf(form: TargetForm): DeliveryTarget {
  const apiUrl = form.apiUrl.trim();
  if (form.kind === 'gitlab') {
    return {
      kind: 'gitlab',
      apiUrl,
      scope: form.scope === 'group' ? 'group' : 'project',
      path: form.where.trim(),
      key: form.name.trim(),
      masked: form.masked,
      protected: form.protected,
    };
  }
  const scope = form.scope === 'environment' || form.scope === 'organization' ? form.scope : 'repository';
  if (scope === 'organization') {
    return {
      kind: 'github',
      apiUrl,
      scope,
      owner: form.where.trim(),
      visibility: 'private',
      name: form.name.trim(),
    };
  }
  const [owner = '', ...rest] = form.where.trim().split('/');
  return {
    kind: 'github',
    apiUrl,
    scope,
    owner,
    repo: rest.join('/'),
    ...(scope === 'environment' ? { environment: form.environment.trim() } : {}),
    name: form.name.trim(),
  };
}

/** What the "where" field asks for, by service and scope. */
export function whereLabel(form: Pick<TargetForm, 'kind' | 'scope'>): { label: string; placeholder: string } {
  if (form.kind === 'gitlab') {
    return form.scope === 'group'
      ? { label: 'Group (full path or id)', placeholder: 'acme/platform' }
      : { label: 'Project (full path or id)', placeholder: 'acme/platform/web' };
  }
  return form.scope === 'organization'
    ? { label: 'Organization', placeholder: 'acme' }
    : { label: 'Repository (owner/name)', placeholder: 'acme/web' };
}
