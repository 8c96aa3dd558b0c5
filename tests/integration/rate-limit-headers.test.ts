import { describe, expect, it } from "vitest";
import { OPERATIONS } from "@/server/api/registry";
import { mintKey } from "../support/api";
import { lazy, neverExistingId, scopesWithout, tenant } from "../support/helpers";
import { keyPool, ownPath, pathOf, pathParams, seedResources, send, validBody, type Answer } from "../support/operation-calls";

// Every answer to an identified caller carries its rate-limit state, refused ones too: they use up the limit
// like the others, so a client must be able to see what it has left (contract item 3 of issue 9).

const world = lazy(async () => {
  const team = await tenant();
  return { team, resources: await seedResources(team.owner), key: keyPool(team.owner) };
});

function expectRateLimitHeaders(answer: Answer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("ratelimit-policy")).toMatch(/^"default";q=\d+;w=\d+$/);
  expect(answer.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
}

describe("refused answers carry RateLimit and RateLimit-Policy", () => {
  const guarded = OPERATIONS.filter((operation) => operation.permission !== null);

  it.each(guarded)("403 from $method $path", async (operation) => {
    const { team, resources } = await world();
    const { key } = await mintKey(team.owner, { kind: "restricted", permissions: scopesWithout(operation.permission!) });
    expectRateLimitHeaders(
      await send(key, operation.method, ownPath(operation, resources), { body: validBody(operation, resources) }),
      403,
    );
  });

  it.each(OPERATIONS.filter((operation) => pathParams(operation).length))("404 from $method $path", async (operation) => {
    const { resources, key } = await world();
    const path = pathOf(operation, Object.fromEntries(pathParams(operation).map((param) => [param, neverExistingId()])));
    expectRateLimitHeaders(await send(await key(), operation.method, path, { body: validBody(operation, resources) }), 404);
  });

  it.each(OPERATIONS.filter((operation) => operation.body))("415 and 422 from $method $path", async (operation) => {
    const { resources, key } = await world();
    const path = ownPath(operation, resources);
    expectRateLimitHeaders(await send(await key(), operation.method, path, { body: "{}", headers: { "content-type": "text/plain" } }), 415);
    expectRateLimitHeaders(await send(await key(), operation.method, path, { body: { unknownField: 1 } }), 422);
  });

  it.each(OPERATIONS.filter((operation) => operation.method === "GET"))(
    "422 for an unknown query parameter from $method $path",
    async (operation) => {
      const { resources, key } = await world();
      expectRateLimitHeaders(
        await send(await key(), operation.method, ownPath(operation, resources), { query: { unknownParameter: "1" } }),
        422,
      );
    },
  );
});
