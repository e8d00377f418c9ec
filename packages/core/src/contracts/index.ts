export * from "./errors";
export * from "./evaluation";
export * from "./limits";
export * from "./public";
export * from "./session";
export * from "./v1";
