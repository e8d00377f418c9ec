import { DatabaseInUseError, users } from "@modu-arena/db";
import { eq, sql } from "drizzle-orm";
import { buildConfig } from "../config/config";
import { parseEnv } from "../config/env";
import { createAppContext } from "../create-context";
import { ServiceError } from "../errors";
import { createLogger } from "../infra/logger";
import { rotateApiKey } from "../services/api-keys/rotate-api-key";
import { calculateRankings } from "../services/rankings/calculate-rankings";
import { createUser } from "../services/users/create-user";
import { seedDemoData } from "./seed-demo";

const USAGE = `Usage: npm run admin -- <command>

  create-user USERNAME [--email E]   create a user and print its API key
  rotate-key USERNAME                issue a new API key (the old one stops working)
  create-users N [--prefix P]        create N users, one "username apiKey" line each (load tests)
  seed [--users N]                   add demo users with 90 days of sessions
  calculate-rankings                 recompute the rankings now`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** Operator commands against the configured database (DATABASE_URL, or the embedded one in DATA_DIR). */
async function main(args: string[]): Promise<void> {
  const [command, first] = args;
  if (!command || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = buildConfig(parseEnv(process.env));
  const running = await createAppContext(config, { log: createLogger("warn") }).catch((error: unknown) => {
    if (error instanceof DatabaseInUseError)
      fail(`${error.message}\n(a running server's users can sign up in the browser, or with \`modu-arena register\`)`);
    throw error;
  });
  const { ctx } = running;
  try {
    switch (command) {
      case "create-user": {
        if (!first) fail("create-user needs a USERNAME");
        const user = await createUser(ctx, { username: first, email: option(args, "--email") });
        process.stdout.write(`${user.apiKey}\n`);
        break;
      }
      case "rotate-key": {
        if (!first) fail("rotate-key needs a USERNAME");
        const [user] = await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(eq(sql`lower(${users.username})`, first.toLowerCase()));
        if (!user) fail(`no user named ${first}`);
        process.stdout.write(`${(await rotateApiKey(ctx, user.id)).apiKey}\n`);
        break;
      }
      case "create-users": {
        const total = Number(first);
        if (!Number.isInteger(total) || total < 1 || total > 100_000) fail("create-users needs N between 1 and 100000");
        const prefix = option(args, "--prefix") ?? `load-${Date.now().toString(36)}`;
        for (let index = 1; index <= total; index++) {
          const user = await createUser(ctx, { username: `${prefix}-${index}` });
          process.stdout.write(`${user.username} ${user.apiKey}\n`);
        }
        break;
      }
      case "seed": {
        const seeded = await seedDemoData(ctx, Number(option(args, "--users") ?? 220));
        process.stdout.write(`seeded ${seeded.users} users and ${seeded.sessions} sessions\n`);
        break;
      }
      case "calculate-rankings":
        process.stdout.write(`${JSON.stringify(await calculateRankings(ctx))}\n`);
        break;
      default:
        fail(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof ServiceError)
      fail(`${error.message}${error.fields ? ` ${JSON.stringify(error.fields)}` : ""}`);
    throw error;
  } finally {
    await running.close();
  }
}

await main(process.argv.slice(2));
