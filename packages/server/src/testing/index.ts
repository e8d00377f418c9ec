export * from "./start-api-server";
export * from "./test-context";
