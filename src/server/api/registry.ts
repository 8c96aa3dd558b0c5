import * as apiKeys from "@/server/api-keys/operations";
import type { Operation } from "./operation";

/**
 * Every /api/v1 operation. The OpenAPI document is built from this list, and a test fails when a route
 * handler exists that is not listed here, or the other way round.
 */
export const OPERATIONS: readonly Operation[] = [
  apiKeys.getMe,
  apiKeys.listApiKeysOperation,
  apiKeys.createApiKeyOperation,
  apiKeys.getApiKeyOperation,
  apiKeys.updateApiKeyOperation,
  apiKeys.deleteApiKeyOperation,
];
