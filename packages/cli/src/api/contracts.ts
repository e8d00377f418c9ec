/**
 * The API contracts (zod schemas from `@modu-arena/core`), loaded when a command first needs them: zod and
 * the schemas cost ~90 ms of start-up on a slow machine, which `stats`, `--help` and a dry run never need.
 * Every module on a command's static import path uses the zod-free subpaths of core instead.
 */
export type Contracts = typeof import("@modu-arena/core");

export function loadContracts(): Promise<Contracts> {
  return import("@modu-arena/core");
}
