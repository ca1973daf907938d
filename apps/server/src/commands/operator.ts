import { hostname, userInfo } from 'node:os';

/** Who runs a CLI command, as the audit log records them: the OS account and machine. */
export function operator(): string {
  return `${userInfo().username}@${hostname()} (matchloop CLI)`;
}
