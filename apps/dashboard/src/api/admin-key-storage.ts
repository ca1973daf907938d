/**
 * The admin key lives in sessionStorage: it survives reloads but not the browser session, and other tabs
 * and sites cannot read it. (An admin key reads everything Matchloop holds; it should not outlive the
 * operator's session at this screen.)
 */
const STORAGE_KEY = 'matchloop.dashboard.adminKey';

export function storedAdminKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeAdminKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetAdminKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
