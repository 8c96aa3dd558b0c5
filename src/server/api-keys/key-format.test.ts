import { describe, expect, it } from "vitest";
import { crc32 } from "node:zlib";
import { API_KEY_LENGTH, displayForm, generateApiKey, hashApiKey, isWellFormedApiKey } from "./key-format";

describe("API key format", () => {
  it("is hey_ + 36 base62 characters, valid by its own checksum, hashed with SHA-256", () => {
    const { key, hashedKey, partialKey } = generateApiKey();
    expect(key).toMatch(/^hey_[0-9A-Za-z]{36}$/);
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(hashedKey).toBe(hashApiKey(key));
    expect(hashedKey).toMatch(/^[0-9a-f]{64}$/);
    expect(partialKey).toBe(`hey_…${key.slice(-4)}`);
    expect(displayForm(key)).toBe(partialKey);
  });

  it("carries at least 160 bits of randomness: 30 base62 characters, no repeats over many keys", () => {
    expect(30 * Math.log2(62)).toBeGreaterThanOrEqual(160);
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey().key));
    expect(keys.size).toBe(2000);
  });

  it("uses the whole alphabet evenly enough (no modulo bias towards the first characters)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      for (const char of generateApiKey().key.slice(4, 34)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (2000 * 30) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.25);
  });

  it("ends in the CRC-32 of its random part in base62, so scanners can check it offline", () => {
    // 0x836bd70f is the CRC-32 of this random part (as binascii.crc32 computes it too).
    const random = "123456789012345678901234567890";
    expect(crc32(random)).toBe(0x836bd70f);
    expect(isWellFormedApiKey(`hey_${random}2PDSiF`)).toBe(true);
    expect(isWellFormedApiKey(`hey_${random}2PDSiG`)).toBe(false);
    const { key } = generateApiKey();
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it("rejects any single-character change, wrong prefixes, case changes and whitespace", () => {
    const { key } = generateApiKey();
    for (let i = 4; i < key.length; i++) {
      const replacement = key[i] === "a" ? "b" : "a";
      expect(isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1)), `position ${i}`).toBe(false);
    }
    for (const bad of [key.replace("hey_", "hei_"), key.toUpperCase(), ` ${key}`, `${key} `, `${key}x`, key.slice(0, -1), "", "hey_"]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });
});
