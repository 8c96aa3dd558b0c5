import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { isReadOnlyError } from "@/server/db-pool";
import { AppError, type FieldErrors } from "./errors";

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  // Collected in a Map, so a field named "__proto__" or "constructor" is just a field (a plain object's lookup
  // would find Object.prototype's member). The result is a plain object (React cannot send a null-prototype one
  // across the Server Action boundary); Object.fromEntries defines own data properties, so even "__proto__"
  // becomes an ordinary key and never a prototype.
  const fieldErrors = new Map<string, string[]>();
  const add = (key: string, message: string) => {
    const messages = fieldErrors.get(key);
    if (messages) messages.push(message);
    else fieldErrors.set(key, [message]);
  };
  for (const issue of error.issues) {
    const at = issue.path.map(String);
    // An unknown field is reported under its own name, like any other failing field.
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...at, key].join("."), "Unknown field.");
      continue;
    }
    add(at.length ? at.join(".") : "_", issue.message);
  }
  return Object.fromEntries(fieldErrors);
}

function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  const text = error instanceof Error ? `${error.name} ${error.message} ${String((error as { code?: unknown }).code ?? "")}` : "";
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|DatabaseNotReachable|P1001|P1017|57P01|57P03/i.test(
    text,
  );
}

/**
 * The one translator from anything thrown to an AppError. Unknown errors are logged here (name and message
 * only: request bodies and headers never reach the log) and become a 500 without detail.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // The fair share of heavy reads refused it (fair-share.ts: by name, since it may come from another bundle's copy).
  if (error instanceof Error && error.name === "HeavyReadRefused") {
    return new AppError("rate_limited", error.message, {
      retryAfterSeconds: (error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1,
    });
  }
  if (error instanceof z.ZodError) {
    return new AppError("unprocessable_entity", "The request has invalid fields.", { fieldErrors: fieldErrorsOf(error) });
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") {
    return new AppError("not_found", "Resource not found.");
  }
  // PostgreSQL cannot store NUL in text (22021); the statement failed, so nothing was written.
  if (error instanceof Error && /invalid byte sequence for encoding "UTF8": 0x00/.test(error.message)) {
    return new AppError("unprocessable_entity", "Text cannot contain the NUL character (\\u0000).");
  }
  // A read-only database (failover, maintenance: SQLSTATE 25006) refused the write, so nothing was written;
  // reads go on. Its connection pools notice and probe for the end of it (src/server/db-pool.ts).
  if (isReadOnlyError(error)) {
    console.error("[heyoo] write refused, database is read-only:", error instanceof Error ? error.message.split("\n").at(-1) : "");
    return new AppError(
      "service_unavailable",
      "Changes cannot be saved right now: the database is read-only for maintenance. Try again shortly.",
      {
        retryAfterSeconds: 5,
      },
    );
  }
  if (isDatabaseUnavailable(error)) {
    console.error("[heyoo] database unavailable:", error instanceof Error ? error.message : String(error));
    return new AppError("service_unavailable", "The service is temporarily unavailable. Try again shortly.", {
      retryAfterSeconds: 5,
    });
  }
  console.error("[heyoo] unexpected error:", error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error));
  return new AppError("internal_error", "Something went wrong on our side.");
}
