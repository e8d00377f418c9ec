export * from "./api-key";
export * from "./cli-release";
export * from "./contracts/index";
export * from "./score";
export * from "./signing";
export * from "./streak";
export * from "./style";
export * from "./tools";
