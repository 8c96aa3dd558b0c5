import type { TestProject } from "vitest/node";
import { createTestDatabase } from "../../scripts/db/test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    embedded: boolean;
  }
}

// One fresh database per run: on the server named by TEST_DATABASE_URL, else an in-memory embedded one.
export default async function setup(project: TestProject) {
  const database = await createTestDatabase();
  project.provide("databaseUrl", database.url);
  project.provide("embedded", !process.env.TEST_DATABASE_URL);
  return async () => {
    await database.drop();
  };
}
