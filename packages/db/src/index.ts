export * from "./client";
export * from "./rows";
export * from "./schema/index";
