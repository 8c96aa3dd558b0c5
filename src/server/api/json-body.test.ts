import { describe, expect, it } from "vitest";
import { z } from "zod";
import { assertJsonBodyMatches, isJsonBody, jsonBody, jsonBodyText } from "./json-body";

const schema = z.object({
  id: z.string(),
  tags: z.array(z.object({ name: z.string() })),
  sentAt: z.string().nullable(),
});

describe("JSON bodies", () => {
  it("carry their text, and only they are JSON bodies", () => {
    const body = jsonBody<{ id: string }>('{"id":"a"}');
    expect(isJsonBody(body)).toBe(true);
    expect(jsonBodyText(body)).toBe('{"id":"a"}');
    for (const other of [null, undefined, '{"id":"a"}', { id: "a" }, [], { text: '{"id":"a"}' }]) expect(isJsonBody(other)).toBe(false);
  });

  it("pass the check when the schema would keep them exactly as they are", () => {
    expect(() => assertJsonBodyMatches("op", schema, jsonBody('{"id":"a","tags":[{"name":"x"}],"sentAt":null}'))).not.toThrow();
    // The order of keys is not the schema's business.
    expect(() => assertJsonBodyMatches("op", schema, jsonBody('{"sentAt":"2026","tags":[],"id":"a"}'))).not.toThrow();
  });

  it.each([
    ["text that is not JSON", '{"id":"a",', /op answered text that is not JSON/],
    ["a field of the wrong type", '{"id":1,"tags":[],"sentAt":null}', /op answered outside its response schema/],
    ["a missing field", '{"id":"a","tags":[]}', /op answered outside its response schema/],
    [
      "a field the schema does not name, which production would leak",
      '{"id":"a","tags":[],"sentAt":null,"workspaceId":"w"}',
      /does not name/,
    ],
    ["a nested field the schema does not name", '{"id":"a","tags":[{"name":"x","secret":1}],"sentAt":null}', /does not name/],
  ])("fail the check on %s", (_, text, message) => {
    expect(() => assertJsonBodyMatches("op", schema, jsonBody(text))).toThrow(message);
  });

  it("fail the check on a value the schema would change (a default it would fill in)", () => {
    const withDefault = z.object({ id: z.string(), kind: z.string().default("all") });
    expect(() => assertJsonBodyMatches("op", withDefault, jsonBody('{"id":"a"}'))).toThrow(/values it would change/);
  });
});
