// Issue 9, contract items 2 and 6 against the production server, with raw HTTP requests (fetch and
// http.request would resolve dot segments themselves before sending):
// - A dot segment in an /api/v1 path, raw or percent-encoded in any case, is a problem+json 404 before any
//   routing: DELETE /api/v1/campaigns/%2e%2e/tags/{tagId} no longer deletes the tag, and no id answers 308.
// - A method a route does not answer is a problem+json 405 with Allow, TRACE included.
// - Every problem type resolves on the server: /docs/api has an anchor per error code.
// - The very first request a starting server accepts is guarded too (register() runs before it listens).
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { SERVER_JS, skipReason } from "./support/prereqs";
import { freePort, startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const skip = skipReason("raw-paths.test.ts");

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request with the target exactly as written, on its own connection. */
function raw(baseUrl: string, method: string, target: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer to ${method} ${target}`)));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const answerHeaders: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(":");
        answerHeaders[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      let body = rest.join("\r\n\r\n");
      if (answerHeaders["transfer-encoding"] === "chunked") body = unchunk(body);
      resolve({ status: Number(statusLine.split(" ")[1]), headers: answerHeaders, body });
    });
    const lines = [
      `${method} ${target} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      "Connection: close",
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

function unchunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const end = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, end), 16);
    if (!size) return out;
    out += rest.slice(end + 2, end + 2 + size);
    rest = rest.slice(end + 2 + size + 2);
  }
}

const DOT_SEGMENTS = ["%2e%2e", "%2E%2E", "%2e%2E", ".%2e", "%2e.", ".%2E", "..", "%2e", "%2E", "."];

describe.skipIf(skip)("raw request targets against the production server", () => {
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let server: RunningServer;
  let key: string;
  let campaignId: string;
  let tagId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    server = await startServer({ name: "raw paths", databaseUrl: database.url });
    const team = await services.createTeam();
    key = (await services.mintKey(team.owner, { name: "raw paths" })).key;
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const tag = await fetch(`${server.baseUrl}/api/v1/tags`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Kept" }) });
    tagId = ((await tag.json()) as { id: string }).id;
    const campaign = await fetch(`${server.baseUrl}/api/v1/campaigns`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "Dots", subject: "Dots", tagIds: [tagId] }),
    });
    campaignId = ((await campaign.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await server?.stop();
    await services?.close();
    await database?.drop();
  });

  const auth = () => ({ authorization: `Bearer ${key}` });

  function expectNotFoundProblem(answer: RawAnswer, where: string) {
    expect(answer.status, `${where}: ${answer.status} ${answer.headers.location ?? ""}`).toBe(404);
    expect(answer.headers["content-type"], where).toBe("application/problem+json");
    expect(JSON.parse(answer.body), where).toMatchObject({ status: 404, code: "not_found", type: "/docs/api#error-not_found" });
  }

  it("the control: Next.js itself resolves an encoded dot segment in a page path", async () => {
    const page = await raw(server.baseUrl, "GET", "/docs/%2e%2e/docs/api");
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="error-not_found"');
  });

  it("DELETE /api/v1/campaigns/<dot segment>/tags/{tagId} is a 404 and the tag stays, attached", async () => {
    for (const dots of DOT_SEGMENTS) {
      expectNotFoundProblem(await raw(server.baseUrl, "DELETE", `/api/v1/campaigns/${dots}/tags/${tagId}`, auth()), dots);
      expectNotFoundProblem(await raw(server.baseUrl, "DELETE", `/api/v1/campaigns/${campaignId}/tags/${dots}/../${tagId}`, auth()), dots);
    }
    const campaign = await raw(server.baseUrl, "GET", `/api/v1/campaigns/${campaignId}`, auth());
    expect(campaign.status).toBe(200);
    expect((JSON.parse(campaign.body) as { tags: { id: string }[] }).tags.map((tag) => tag.id)).toEqual([tagId]);
    expect((await raw(server.baseUrl, "GET", `/api/v1/tags/${tagId}`, auth())).status).toBe(200);
  });

  it("a dot segment as any path parameter of any operation is a 404 problem, never a 308", async () => {
    const { OPERATIONS } = await import("@/server/api/registry");
    let checked = 0;
    for (const operation of OPERATIONS.filter((candidate) => candidate.path.includes("{"))) {
      const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
      for (const name of names) {
        for (const dots of ["%2e%2e", "%2E%2e", ".%2e", "%2e", "..", "."]) {
          const target = operation.path.replace(/\{([^}]+)\}/g, (_, param: string) => (param === name ? dots : campaignId));
          expectNotFoundProblem(await raw(server.baseUrl, operation.method, target, auth()), `${operation.method} ${target}`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16 * 6);
  });

  it("slashes and backslashes hidden in a segment, and dot segments outside /api that lead into it, are refused too", async () => {
    for (const target of [
      `/api/v1/campaigns/..%2ftags%2f${tagId}`,
      `/api/v1/campaigns/..%5Ctags`,
      `/api/v1/campaigns/..\\tags\\${tagId}`,
      `/docs/%2e%2e/api/v1/tags/${tagId}`,
    ]) {
      expectNotFoundProblem(await raw(server.baseUrl, "DELETE", target, auth()), target);
    }
    expect((await raw(server.baseUrl, "GET", `/api/v1/tags/${tagId}`, auth())).status).toBe(200);
  });

  it("a method a route does not answer is a problem+json 405 with Allow, an unknown method included", async () => {
    for (const [method, target, allow] of [
      ["PATCH", "/api/v1/tags", "GET, HEAD, OPTIONS, POST"],
      ["TRACE", "/api/v1/tags", "GET, HEAD, OPTIONS, POST"],
      ["POST", `/api/v1/tags/${tagId}`, "DELETE, GET, HEAD, OPTIONS, PATCH"],
      ["DELETE", "/api/v1/openapi.json", "GET, HEAD, OPTIONS"],
      ["GET", `/api/v1/campaigns/${campaignId}/events`, "OPTIONS, POST"],
    ] as const) {
      const answer = await raw(server.baseUrl, method, target, auth());
      expect(answer.status, `${method} ${target}`).toBe(405);
      expect(answer.headers.allow, `${method} ${target}`).toBe(allow);
      expect(answer.headers["content-type"]).toBe("application/problem+json");
      expect(JSON.parse(answer.body)).toMatchObject({
        status: 405,
        code: "method_not_allowed",
        type: "/docs/api#error-method_not_allowed",
      });
    }
  });

  it("the first request a starting server accepts is refused too, not only those after Next's own start-up", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER_JS], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        DATABASE_URL: database.url,
        EMBEDDED_DATABASE: "0",
        AUTH_SECRET: "hard-tests-secret-hard-tests-secret-hard",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      detached: true,
      stdio: "ignore",
    });
    try {
      // Connect the moment the port opens; without the guard installed first this one answered 308.
      let first: RawAnswer | null = null;
      for (const started = Date.now(); !first && Date.now() - started < 60_000;) {
        first = await raw(`http://127.0.0.1:${port}`, "GET", "/api/v1/campaigns/%2e%2e").catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          return null;
        });
      }
      expectNotFoundProblem(first!, "first request");
    } finally {
      process.kill(-child.pid!, "SIGTERM");
    }
  });

  it("every problem type resolves on this server: /docs/api has an anchor per error code", async () => {
    const { ERRORS } = await import("@/server/http/errors");
    const page = await fetch(`${server.baseUrl}/docs/api`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const code of Object.keys(ERRORS)) expect(html, code).toContain(`id="error-${code}"`);
    const problem = (await (await fetch(`${server.baseUrl}/api/v1/me`)).json()) as { type: string };
    const [path, anchor] = problem.type.split("#");
    expect(path).toBe("/docs/api");
    expect(html).toContain(`id="${anchor}"`);
  });
});
