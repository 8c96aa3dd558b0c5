import * as analytics from "@/server/analytics/operations";
import * as apiKeys from "@/server/api-keys/operations";
import * as auditLog from "@/server/audit/operations";
import * as campaigns from "@/server/campaigns/operations";
import * as domains from "@/server/domains/operations";
import * as tags from "@/server/tags/operations";
import * as workspaces from "@/server/workspaces/operations";
import type { ApiOperation, Operation } from "./operation";

/**
 * Every /api/v1 operation: each resource's operations module exports only operations. The OpenAPI document is
 * built from this list, and a test fails when a route handler exists that is not listed, or the reverse.
 */
export const OPERATIONS: readonly ApiOperation[] = [apiKeys, workspaces, campaigns, tags, analytics, domains, auditLog]
  .flatMap((module) => Object.values(module) as Operation[])
  // A module may also declare operations that only pages use: they have no method and no path.
  .filter((operation): operation is ApiOperation => "method" in operation);
