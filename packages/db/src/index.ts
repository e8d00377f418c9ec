export * from "./client";
export { DatabaseInUseError } from "./data-dir-lock";
export * from "./prepared";
export * from "./rows";
export * from "./schema/index";
