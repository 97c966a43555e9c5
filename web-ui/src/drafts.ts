/**
 * Unsaved input kept in sessionStorage (this tab only), so a form survives a reload
 * and, above all, an expired session: the person signs in again and finds it as left.
 * Never used for passwords or tokens. Cleared on an explicit sign-out.
 */
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

const PREFIX = 'helpdesk.draft.';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage disabled
  }
}

export function readDraft<T>(key: string): T | null {
  try {
    const raw = storage()?.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function writeDraft<T>(key: string, value: T | null): void {
  try {
    if (value === null) storage()?.removeItem(PREFIX + key);
    else storage()?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // full or disabled: the draft is only a convenience
  }
}

export function clearDrafts(): void {
  const store = storage();
  if (!store) return;
  for (let i = store.length - 1; i >= 0; i--) {
    const key = store.key(i);
    if (key?.startsWith(PREFIX)) store.removeItem(key);
  }
}

/**
 * useState whose value is kept as a draft under `key` while it differs from `empty`
 * (compared as JSON); it starts from the saved draft when there is one.
 */
export function useDraft<T extends object>(key: string, empty: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => ({ ...empty, ...(readDraft<Partial<T>>(key) ?? {}) }));
  const emptyJson = JSON.stringify(empty);
  useEffect(() => {
    writeDraft(key, JSON.stringify(value) === emptyJson ? null : value);
  }, [key, value, emptyJson]);
  return [value, setValue];
}
