import { AppError } from "./errors";

export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body's bytes without parsing them, refusing other content types (415) and bodies over `maxBytes`
 * (413): for a caller that must check the exact bytes first, e.g. against a signature.
 */
export async function readJsonBytes(request: Request, maxBytes = MAX_JSON_BYTES): Promise<Buffer> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** The JSON value of a body's bytes (read as UTF-8); malformed JSON is a 400. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
}

/** Reads a JSON body, refusing other content types, bodies over `maxBytes` (413) and malformed JSON (400). */
export async function readJson(request: Request, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  return parseJson(await readJsonBytes(request, maxBytes));
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes.`);
}
