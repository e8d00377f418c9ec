/**
 * A key just issued at sign-up, kept in this tab's memory only (never storage) until the dashboard's install
 * line has shown it once; a reload or a second visit shows the placeholder again.
 */
let freshApiKey: string | undefined;

export function rememberFreshApiKey(apiKey: string): void {
  freshApiKey = apiKey;
}

export function takeFreshApiKey(): string | undefined {
  const apiKey = freshApiKey;
  freshApiKey = undefined;
  return apiKey;
}
