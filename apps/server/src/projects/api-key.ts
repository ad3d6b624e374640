import { randomAlphanumeric } from '../lib/random.js';

/** 64 characters of [A-Za-z0-9]: the form hosts' integrations expect. */
export const API_KEY_LENGTH = 64;

export function newApiKey(): string {
  return randomAlphanumeric(API_KEY_LENGTH);
}

export const DEFAULT_ROTATION_GRACE_HOURS = 24;

/** The keys that verify a callback now: the current one, and the previous one during its grace period. */
export function verifyingKeys(
  project: { api_key: string; previous_api_key: string | null; previous_key_expires_at: number | null },
  now: number,
): string[] {
  const keys = [project.api_key];
  if (project.previous_api_key && project.previous_key_expires_at && project.previous_key_expires_at > now) {
    keys.push(project.previous_api_key);
  }
  return keys;
}
