/**
 * The CLI a server hands out: `GET /cli/modu-arena-cli-<version>.tgz` and `GET /cli/latest.json`. Shared by
 * the server (routes, dashboard), the web pages (the install line) and the CLI (`update`, `status`).
 */

/** What `GET /cli/latest.json` answers: the version on offer, its tarball's URL and npm `integrity` (sha512). */
export interface CliLatest {
  version: string;
  tarball: string;
  integrity: string;
}

export function getCliTarballName(version: string): string {
  return `modu-arena-cli-${version}.tgz`;
}

export function getCliTarballUrl(serverUrl: string, version: string): string {
  return `${serverUrl.replace(/\/+$/, "")}/cli/${getCliTarballName(version)}`;
}

/** The one line that installs this server's CLI and connects it: npx fetches the tarball from the server itself. */
export function formatInstallCommand(serverUrl: string, version: string, apiKey: string): string {
  const server = serverUrl.replace(/\/+$/, "");
  return `npx -y ${getCliTarballUrl(server, version)} install --api-key ${apiKey} --server ${server}`;
}

const VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

export function isCliVersion(value: string): boolean {
  return VERSION_PATTERN.test(value);
}

/** Semantic-version order (a pre-release sorts before its release); NaN when either is no version. */
export function compareCliVersions(a: string, b: string): number {
  const left = VERSION_PATTERN.exec(a);
  const right = VERSION_PATTERN.exec(b);
  if (!left || !right) return Number.NaN;
  for (let index = 1; index <= 3; index++) {
    const difference = Number(left[index]) - Number(right[index]);
    if (difference !== 0) return Math.sign(difference);
  }
  if (left[4] === right[4]) return 0;
  if (left[4] === undefined) return 1;
  if (right[4] === undefined) return -1;
  return left[4] < right[4] ? -1 : 1;
}
