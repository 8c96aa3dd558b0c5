import { AppError } from "@/server/http/errors";
import { isUniqueViolation } from "@/server/prisma-errors";

/** The (workspaceId, hostname) unique index is the one judge of duplicates, also under concurrent requests. */
export function rethrowHostnameTaken(error: unknown, hostname: string): never {
  if (isUniqueViolation(error, "hostname")) {
    throw new AppError("conflict", `The domain "${hostname}" is already in this workspace.`, {
      fieldErrors: { hostname: ["This domain is already in this workspace."] },
    });
  }
  throw error;
}
