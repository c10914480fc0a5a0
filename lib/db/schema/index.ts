// The database schema, one file per domain; drizzle-kit reads this folder.
export * from "./core";
export * from "./pacs";
export * from "./sessions";
export * from "./studies";
export * from "./validation";
export * from "./limits";
export * from "./queue";
export * from "./lifecycle";
export * from "./anatomy";
