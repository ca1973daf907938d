import { hash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';

/**
 * A stable digest of a write request. A retry carries the same digest and gets the first result back;
 * a different request that reuses the same client id does not, and is refused.
 */
export function requestFingerprint(request: unknown): string {
  return hash('sha256', stringify(request) ?? '', 'hex');
}
