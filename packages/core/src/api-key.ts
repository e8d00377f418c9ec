/** API keys look like `modu_arena_<8 chars>_<32 chars>`; the first part is the displayable prefix. */
export const API_KEY_PATTERN = /^modu_arena_([A-Za-z0-9]{8})_([A-Za-z0-9]{32})$/;

export function isApiKeyFormat(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** `modu_arena_xxxxxxxx`, safe to show and store in clear. */
export function getApiKeyPrefix(apiKey: string): string | null {
  const match = API_KEY_PATTERN.exec(apiKey);
  return match ? `modu_arena_${match[1]}` : null;
}
