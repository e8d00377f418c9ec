import createMiddleware from "next-intl/middleware";
import { routing } from "./i18n/routing";

export default createMiddleware(routing);

export const config = {
  // Pages only: /api/* never reaches Next (server.ts sends it to Hono), static files skip the locale logic.
  matcher: ["/((?!api|_next|_vercel|.*\\..*).*)"],
};
