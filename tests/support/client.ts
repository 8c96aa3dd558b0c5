import { createHeyooClient } from "@/client";
import { inProcessFetch } from "./routes";

const fetchInProcess = inProcessFetch();

/** The typed SDK, pointed at this process's route handlers. */
export function apiClient(apiKey: string) {
  return createHeyooClient({ baseUrl: "http://heyoo.test", apiKey, fetch: fetchInProcess });
}
