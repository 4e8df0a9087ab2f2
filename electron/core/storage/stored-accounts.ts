/**
 * The data file says where credentials are sent, and anyone who can write it could point an
 * account elsewhere. So every stored account is checked again when the file is read: a Cloud
 * account must name its region's host, a Server's URL must be one the vault itself would have
 * stored (normalized, https or consented http), its CA must parse. One that fails is set aside.
 */
import { VaultError } from '@core/errors';
import { CLOUD_HOSTS, isCloud, normalizeServerUrl, type CloudHosts } from '@core/sonarqube/regions';
import { pemCertificates } from '@core/sonarqube/tls-fetch';
import type { AccountCheck } from './metadata-store';

const ACCOUNT_ID = /^[a-z0-9-]{8,64}$/;

export function accountCheck(cloudHosts: CloudHosts = CLOUD_HOSTS): AccountCheck {
  return (account) => {
    if (!ACCOUNT_ID.test(account.id)) return 'its id is not one the vault makes.';
    if (isCloud(account.kind)) {
      if (account.baseUrl !== cloudHosts[account.kind]) {
        return `its address ${account.baseUrl} is not its SonarQube Cloud region's (${cloudHosts[account.kind]}).`;
      }
      return account.caCertificatePem || account.insecureHttp ? 'it has Server-only options.' : null;
    }
    try {
      const normalized = normalizeServerUrl(account.baseUrl, { allowInsecureHttp: account.insecureHttp });
      if (normalized !== account.baseUrl) return `its address ${account.baseUrl} is not a normalized URL.`;
    } catch (error) {
      return error instanceof VaultError ? error.message : 'its address does not parse.';
    }
    try {
      if (account.caCertificatePem) pemCertificates(account.caCertificatePem);
    } catch {
      return 'its CA certificate does not parse.';
    }
    return null;
  };
}
