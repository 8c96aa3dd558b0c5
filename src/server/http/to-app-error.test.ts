import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf, toAppError } from "./to-app-error";

function errorOf(schema: z.ZodType, input: unknown): z.ZodError {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to fail");
  return parsed.error;
}

describe("fieldErrorsOf", () => {
  it("is a plain object, so a Server Action can send it to the browser", () => {
    const errors = fieldErrorsOf(errorOf(z.strictObject({ slug: z.string().regex(/^[a-z]+$/, "Bad slug.") }), { slug: "Bad Slug!!" }));
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    expect(errors).toEqual({ slug: ["Bad slug."] });
    // What React's serialiser requires of an object: a plain one survives a structured clone unchanged.
    expect(structuredClone(errors)).toEqual(errors);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "prototype"])(
    "reports an unknown field named %s as an own key and pollutes no prototype",
    (name) => {
      const input = JSON.parse(`{"name":"x",${JSON.stringify(name)}:{"polluted":true}}`) as unknown;
      const errors = fieldErrorsOf(errorOf(z.strictObject({ name: z.string() }), input));
      expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
      expect(Object.keys(errors)).toEqual([name]);
      expect(Object.getOwnPropertyDescriptor(errors, name)?.value).toEqual(["Unknown field."]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(JSON.parse(JSON.stringify(errors))).toEqual(JSON.parse(`{${JSON.stringify(name)}:["Unknown field."]}`));
    },
  );

  it("collects several messages for one field and names nested fields by their path", () => {
    const schema = z.strictObject({
      name: z
        .string()
        .min(3, "Too short.")
        .regex(/^[a-z]+$/, "Letters only."),
      a: z.strictObject({ b: z.number() }),
    });
    const errors = fieldErrorsOf(errorOf(schema, { name: "1", a: { b: "x" } }));
    expect(errors.name).toEqual(["Too short.", "Letters only."]);
    expect(Object.keys(errors)).toEqual(["name", "a.b"]);
  });

  it("is what toAppError puts on a 422", () => {
    const error = toAppError(errorOf(z.strictObject({ name: z.string().min(1, "Enter a name.") }), { name: "" }));
    expect(error.status).toBe(422);
    expect(error.details.fieldErrors).toEqual({ name: ["Enter a name."] });
  });
});
