import { describe, expect, it } from "vitest";
import { clientIpFrom } from "./client-ip";

const headers = (values: Record<string, string>) => new Headers(values);

describe("clientIpFrom", () => {
  it("takes the address the nearest proxy appended, not what the client wrote in front of it", () => {
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientIpFrom(headers({ "x-forwarded-for": "203.0.113.7" }), 1)).toBe("203.0.113.7");
  });

  it("counts back one entry per trusted proxy", () => {
    // client-forged, the client as the load balancer saw it, the load balancer as nginx saw it
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }), 2)).toBe("203.0.113.7");
  });

  it("keeps the first entry when there are fewer entries than trusted proxies", () => {
    expect(clientIpFrom(headers({ "x-forwarded-for": "203.0.113.7" }), 3)).toBe("203.0.113.7");
  });

  it("ignores empty entries and whitespace, then falls back to X-Real-IP, then to one shared bucket", () => {
    expect(clientIpFrom(headers({ "x-forwarded-for": " 203.0.113.7 , " }), 1)).toBe("203.0.113.7");
    expect(clientIpFrom(headers({ "x-forwarded-for": " , ", "x-real-ip": "198.51.100.1" }), 1)).toBe("198.51.100.1");
    expect(clientIpFrom(headers({}), 1)).toBe("unknown");
  });
});
