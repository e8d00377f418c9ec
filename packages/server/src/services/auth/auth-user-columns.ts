import { users } from "@modu-arena/db";

/** The columns of an `AuthUser`, for the queries that answer with one. */
export const AUTH_USER_COLUMNS = {
  id: users.id,
  username: users.username,
  email: users.email,
  displayName: users.displayName,
  privacyMode: users.privacyMode,
};
