import { performance } from "node:perf_hooks";

export interface Answer {
  method: string;
  path: string;
  /** 0 when no HTTP answer came (connection error or our own timeout). */
  status: number;
  /** Milliseconds from sending to the whole body read. */
  ms: number;
  /** performance.now() when the request was sent and when it was answered. */
  sentAt: number;
  doneAt: number;
  contentType: string;
  retryAfter: string | null;
  rateLimit: string | null;
  json: Record<string, unknown> | null;
  /** Why no answer came: "timeout" or the network error's message. */
  failure?: string;
}

/**
 * One API call to 127.0.0.1 with a bearer key. Never throws: a request that gets no answer within
 * `timeoutMs` is an Answer with status 0 and failure "timeout", so that callers can count it.
 */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<Answer> {
  if (!baseUrl.startsWith("http://127.0.0.1:")) throw new Error(`hard tests only talk to 127.0.0.1, not ${baseUrl}`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const sentAt = performance.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    const doneAt = performance.now();
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      json = { unparsable: text.slice(0, 200) };
    }
    return {
      method,
      path,
      status: response.status,
      ms: doneAt - sentAt,
      sentAt,
      doneAt,
      contentType: response.headers.get("content-type") ?? "",
      retryAfter: response.headers.get("retry-after"),
      rateLimit: response.headers.get("ratelimit"),
      json,
    };
  } catch (error) {
    const doneAt = performance.now();
    const name = error instanceof Error ? error.name : "";
    return {
      method,
      path,
      status: 0,
      ms: doneAt - sentAt,
      sentAt,
      doneAt,
      contentType: "",
      retryAfter: null,
      rateLimit: null,
      json: null,
      failure:
        name === "TimeoutError" || name === "AbortError"
          ? "timeout"
          : `${name}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`,
    };
  }
}

/** Counts of answers by "METHOD path-template status", for the report and the assertions. */
export class Tally {
  readonly counts = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  total = 0;

  add(label: string, status: number | string): void {
    this.total += 1;
    const key = `${label} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (typeof status === "number") this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  count(predicate: (status: number) => boolean): number {
    let sum = 0;
    for (const [status, n] of this.byStatus) if (predicate(status)) sum += n;
    return sum;
  }

  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key}: ${n}`)
      .join("\n");
  }
}

export function isProblem(answer: Answer, status: number, code?: string): boolean {
  return (
    answer.status === status &&
    answer.contentType.startsWith("application/problem+json") &&
    answer.json?.status === status &&
    (code === undefined || answer.json?.code === code)
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
