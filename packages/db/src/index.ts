export * from "./client";
export * from "./prepared";
export * from "./rows";
export * from "./schema/index";
