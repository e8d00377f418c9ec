import type { Command } from "commander";
import { toCliError } from "../api/client";
import { DEFAULT_SERVER_URL, parseServerUrl, resolveServerUrl } from "../state/config";
import type { CommandDeps } from "./deps";
import { install } from "./install";
import { ask, readPassword } from "./prompt";

interface AccountOptions {
  server?: string;
  tools?: string;
  backfill: boolean;
  json?: boolean;
  passwordStdin?: boolean;
}

interface RegisterOptions extends AccountOptions {
  email?: string;
  code?: string;
  username?: string;
}

function serverOf(deps: CommandDeps, options: AccountOptions): string {
  const server = options.server ? { serverUrl: parseServerUrl(options.server, "--server") } : undefined;
  return resolveServerUrl(deps.runtime.env, server);
}

/** Email → code → username + password; the issued key is then installed like `install --api-key`. */
async function register(deps: CommandDeps, options: RegisterOptions): Promise<void> {
  const { runtime, output } = deps;
  // The account client (zod schemas) is loaded only by the commands that use it.
  const { acknowledgedSchema, postAccountJson, registeredSchema, signupTokenSchema } = await import(
    "../api/account-client"
  );
  const api = { serverUrl: serverOf(deps, options), fetch: runtime.fetch };
  const email = options.email ?? (await ask(runtime, "Email: ", "pass --email"));
  let code = options.code;
  if (!code) {
    await postAccountJson(api, "/api/auth/send-code", { email }, acknowledgedSchema).catch((error: unknown) => {
      throw toCliError(error);
    });
    output.log(`A 6-digit code was sent to ${email}.`);
    code = await ask(runtime, "Code: ", `run again with --email ${email} --code <code>`);
  }
  const { signupToken } = await postAccountJson(api, "/api/auth/verify-code", { email, code }, signupTokenSchema).catch(
    (error: unknown) => {
      throw toCliError(error);
    },
  );
  const username = options.username ?? (await ask(runtime, "Username: ", "pass --username"));
  const password = await readPassword(runtime, options.passwordStdin === true);
  const account = await postAccountJson(
    api,
    "/api/auth/register",
    { signupToken, username, password },
    registeredSchema,
  ).catch((error: unknown) => {
    throw toCliError(error);
  });
  output.log(`Registered ${account.user.username}.`);
  await install(deps, {
    apiKey: account.apiKey,
    server: api.serverUrl,
    tools: options.tools,
    backfill: options.backfill,
    json: options.json,
  });
}

/** Password login; a new key is issued for this machine (the account has one key, so older ones stop working). */
async function login(deps: CommandDeps, options: AccountOptions & { login?: string }): Promise<void> {
  const { runtime, output } = deps;
  const { issuedKeySchema, loggedInSchema, postAccountJson } = await import("../api/account-client");
  const api = { serverUrl: serverOf(deps, options), fetch: runtime.fetch };
  const name = options.login ?? (await ask(runtime, "Username or email: ", "pass --login"));
  const password = await readPassword(runtime, options.passwordStdin === true);
  const session = await postAccountJson(api, "/api/auth/login", { login: name, password }, loggedInSchema).catch(
    (error: unknown) => {
      throw toCliError(error);
    },
  );
  const { apiKey } = await postAccountJson(
    { ...api, bearer: session.token },
    "/api/me/api-key",
    {},
    issuedKeySchema,
  ).catch((error: unknown) => {
    throw toCliError(error);
  });
  output.log(`Signed in as ${session.user.username}; issued a new API key (machines using the old one need it too).`);
  await install(deps, {
    apiKey,
    server: api.serverUrl,
    tools: options.tools,
    backfill: options.backfill,
    json: options.json,
  });
}

function addSharedOptions(command: Command): Command {
  return command
    .option("--server <url>", `server URL (default ${DEFAULT_SERVER_URL}; MODU_ARENA_API_URL overrides)`)
    .option("--password-stdin", "read the password from standard input (else MODU_ARENA_PASSWORD, else a prompt)")
    .option("--tools <list>", "comma-separated tools to track (default: every tool found)")
    .option("--no-backfill", "do not upload the existing history now")
    .option("--json", "print the install result as JSON");
}

export function registerRegisterCommand(program: Command, deps: CommandDeps): void {
  addSharedOptions(
    program
      .command("register")
      .description("create an account (email code, username, password), then install with its new key")
      .option("--email <email>", "your email address")
      .option("--code <code>", "the 6-digit code from the email (skips sending a new one)")
      .option("--username <name>", "the username shown on the leaderboard"),
  ).action((options: RegisterOptions) => register(deps, options));
}

export function registerLoginCommand(program: Command, deps: CommandDeps): void {
  addSharedOptions(
    program
      .command("login")
      .description("sign in with your password and install with a newly issued key")
      .option("--login <name>", "username or email"),
  ).action((options: AccountOptions & { login?: string }) => login(deps, options));
}
