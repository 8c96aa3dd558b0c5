import { beforeAll, describe, expect, it } from "vitest";
import type { HeyooClient, paths } from "@/client";
import type { Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { ERRORS, type ErrorCode } from "@/server/http/errors";
import { mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { inProcessFetch } from "../support/routes";
import { createAccount, createTeam, principalOf, unique } from "../support/factories";

// Two tenants for the whole file: A and B. Every test mints its own keys (the API rate limit is per key) and
// its own campaigns; tests that count rows across a whole list get a workspace of their own.
type Team = Awaited<ReturnType<typeof createTeam>>;
const fetchInProcess = inProcessFetch();
let a: Team;
let b: Team;

beforeAll(async () => {
  a = await createTeam();
  b = await createTeam();
});

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

async function clientFor(principal: Principal, key: Record<string, unknown> = {}): Promise<HeyooClient> {
  return apiClient((await mintKey(principal, key)).key);
}

/** A workspace nobody else writes to, for tests that look at whole lists. */
async function soloWorkspace() {
  const { user, workspace } = await createAccount();
  const owner = await principalOf(user.id, workspace.id);
  return { workspace, owner, heyoo: await clientFor(owner) };
}

/** Tags belong to the tags resource; the campaign tests only need rows. */
async function createTag(workspaceId: string, name = unique("tag")) {
  return db.tag.create({ data: { workspaceId, name, color: "#4f46e5" }, select: { id: true, name: true, color: true } });
}

/** Sends what the typed client would refuse to compile: unknown fields, wrong types. */
const loose = (value: unknown) => value as never;

type CreateCampaignBody = paths["/api/v1/campaigns"]["post"]["requestBody"]["content"]["application/json"];

async function createCampaign(heyoo: HeyooClient, body: Partial<CreateCampaignBody> = {}) {
  const { data, error, response } = await heyoo.POST("/api/v1/campaigns", {
    body: { name: unique("Campaign"), subject: "Hello", ...body },
  });
  expect(response.status, JSON.stringify(error)).toBe(201);
  return data!;
}

/** The typed client, sending no Authorization header at all. */
function anonymousClient(): HeyooClient {
  const heyoo = apiClient("none");
  heyoo.use({
    onRequest: ({ request }) => {
      request.headers.delete("authorization");
      return request;
    },
  });
  return heyoo;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  missing_api_key: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unprocessable_entity: "Invalid request",
};

/** The exact problem+json body the API answers (the requestId differs per request). */
function problem(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: `/docs/api#error-${code}`,
    title: TITLES[code],
    status: ERRORS[code].status,
    code,
    detail,
    ...extra,
    requestId: expect.any(String),
  };
}

const withoutRequestId = (body: unknown) => ({ ...(body as object), requestId: undefined });

const campaignNotFound = problem("not_found", "Campaign not found.");
const tagNotFound = problem("not_found", "Tag not found.");

// Every endpoint, with the permission it needs; ids default to ones that never existed.
interface Ids {
  id: string;
  tagId: string;
}
const NEVER: Ids = { id: "c_never_existed", tagId: "t_never_existed" };
const ENDPOINTS: {
  name: string;
  permission: Permission;
  call: (heyoo: HeyooClient, ids: Ids) => Promise<{ response: Response; error?: unknown }>;
}[] = [
  { name: "GET /campaigns", permission: "campaigns.read", call: (heyoo) => heyoo.GET("/api/v1/campaigns") },
  {
    name: "POST /campaigns",
    permission: "campaigns.write",
    call: (heyoo, ids) => heyoo.POST("/api/v1/campaigns", { body: { name: "x", subject: "y", tagIds: [ids.tagId] } }),
  },
  {
    name: "GET /campaigns/{id}",
    permission: "campaigns.read",
    call: (heyoo, { id }) => heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id } } }),
  },
  {
    name: "PATCH /campaigns/{id}",
    permission: "campaigns.write",
    call: (heyoo, { id }) => heyoo.PATCH("/api/v1/campaigns/{id}", { params: { path: { id } }, body: { name: "stolen" } }),
  },
  {
    name: "DELETE /campaigns/{id}",
    permission: "campaigns.write",
    call: (heyoo, { id }) => heyoo.DELETE("/api/v1/campaigns/{id}", { params: { path: { id } } }),
  },
  {
    name: "PUT /campaigns/{id}/tags/{tagId}",
    permission: "campaigns.write",
    call: (heyoo, path) => heyoo.PUT("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path } }),
  },
  {
    name: "DELETE /campaigns/{id}/tags/{tagId}",
    permission: "campaigns.write",
    call: (heyoo, path) => heyoo.DELETE("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path } }),
  },
  {
    name: "POST /campaigns/{id}/events",
    permission: "campaigns.write",
    call: (heyoo, { id }) =>
      heyoo.POST("/api/v1/campaigns/{id}/events", {
        params: { path: { id } },
        body: { events: [{ type: "opened", occurredAt: new Date().toISOString() }] },
      }),
  },
];

describe("campaigns: create, read, update, delete", () => {
  it("creates a draft with tags, reads it, changes it and deletes it", async () => {
    const heyoo = await clientFor(a.owner);
    const [news, alpha] = [await createTag(a.workspace.id, unique("news")), await createTag(a.workspace.id, unique("alpha"))];
    const created = await heyoo.POST("/api/v1/campaigns", {
      body: { name: "  November newsletter ", subject: "What's new", tagIds: [news.id, alpha.id, news.id] },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toEqual({
      id: expect.any(String),
      name: "November newsletter",
      subject: "What's new",
      status: "draft",
      scheduledAt: null,
      sentAt: null,
      // A set, ordered by name.
      tags: [alpha, news],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.data!.id;

    const read = await heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id } } });
    expect(read.data).toEqual(created.data);

    const changed = await heyoo.PATCH("/api/v1/campaigns/{id}", {
      params: { path: { id } },
      body: { name: "December newsletter", tagIds: [news.id] },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data).toMatchObject({
      name: "December newsletter",
      subject: "What's new",
      tags: [news],
      createdAt: created.data!.createdAt,
    });
    expect(Date.parse(changed.data!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.data!.updatedAt));

    const cleared = await heyoo.PATCH("/api/v1/campaigns/{id}", { params: { path: { id } }, body: { tagIds: [] } });
    expect(cleared.data?.tags).toEqual([]);

    const deleted = await heyoo.DELETE("/api/v1/campaigns/{id}", { params: { path: { id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toEqual(campaignNotFound);
    expect((await heyoo.DELETE("/api/v1/campaigns/{id}", { params: { path: { id } } })).error).toEqual(campaignNotFound);
  });

  it("creates a campaign scheduled or already sent; the server sets sentAt", async () => {
    const heyoo = await clientFor(a.owner);
    const scheduledAt = inHours(24);
    const scheduled = await createCampaign(heyoo, { status: "scheduled", scheduledAt });
    expect(scheduled).toMatchObject({ status: "scheduled", scheduledAt: new Date(scheduledAt).toISOString(), sentAt: null });
    const before = Date.now();
    const sent = await createCampaign(heyoo, { status: "sent" });
    expect(sent).toMatchObject({ status: "sent", scheduledAt: null });
    expect(Date.parse(sent.sentAt!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it.each([
    ["an unknown field", { workspaceId: "x" }, "workspaceId"],
    ["a server-set field", { sentAt: new Date().toISOString() }, "sentAt"],
    ["a name too long", { name: "n".repeat(121) }, "name"],
    ["a blank name", { name: "   " }, "name"],
    ["a subject too long", { subject: "s".repeat(201) }, "subject"],
    ["an unknown status", { status: "archived" }, "status"],
    ["a date that is not one", { status: "scheduled", scheduledAt: "next tuesday" }, "scheduledAt"],
    ["a schedule in the past", { status: "scheduled", scheduledAt: inHours(-1) }, "scheduledAt"],
    ["scheduled without a time", { status: "scheduled" }, "scheduledAt"],
    ["a draft with a time", { scheduledAt: inHours(2) }, "scheduledAt"],
    ["too many tags", { tagIds: Array.from({ length: 101 }, (_, i) => `t${i}`) }, "tagIds"],
    ["a tag id that cannot be one", { tagIds: ["not an id!"] }, "tagIds.0"],
  ])("refuses %s with 422 naming the field; nothing is created", async (_, extra, field) => {
    const heyoo = await clientFor(a.owner);
    const before = await db.campaign.count({ where: { workspaceId: a.workspace.id } });
    const { response, error } = await heyoo.POST("/api/v1/campaigns", { body: loose({ name: "x", subject: "y", ...extra }) });
    expect(response.status).toBe(422);
    expect(error).toEqual(problem("unprocessable_entity", expect.any(String), { errors: { [field]: [expect.any(String)] } }));
    expect(await db.campaign.count({ where: { workspaceId: a.workspace.id } })).toBe(before);
  });

  it("answers 422 with the messages a form can show", async () => {
    const heyoo = await clientFor(a.owner);
    const { error } = await heyoo.POST("/api/v1/campaigns", { body: loose({ name: "n".repeat(121), subject: "", status: "archived" }) });
    expect(error).toEqual(
      problem("unprocessable_entity", "The request has invalid fields.", {
        errors: { name: ["Use at most 120 characters."], subject: ["Enter a subject."], status: ["Use one of: draft, scheduled, sent."] },
      }),
    );
    const { id } = await createCampaign(heyoo);
    for (const body of [{}, { id: "x" }, { status: "gone" }, { scheduledAt: "soon" }]) {
      const patched = await heyoo.PATCH("/api/v1/campaigns/{id}", { params: { path: { id } }, body: loose(body) });
      expect(patched.response.status, JSON.stringify(body)).toBe(422);
    }
  });

  it("refuses bodies over the size limit with 413, before reading them whole", async () => {
    const heyoo = await clientFor(a.owner);
    const { response, error } = await heyoo.POST("/api/v1/campaigns", { body: { name: "n".repeat(70_000), subject: "x" } });
    expect(response.status).toBe(413);
    expect(error).toEqual(problem("payload_too_large", "The body is larger than 65536 bytes."));
  });
});

describe("status transitions", () => {
  const setups = {
    draft: {},
    scheduled: { status: "scheduled", scheduledAt: inHours(24) },
    sent: { status: "sent" },
  } as const;
  const later = inHours(48);

  it.each([
    ["draft", { status: "scheduled", scheduledAt: later }, 200, { status: "scheduled", scheduledAt: later, sentAt: null }],
    ["draft", { status: "sent" }, 200, { status: "sent", scheduledAt: null, sentAt: "now" }],
    ["draft", { status: "draft", name: "Renamed" }, 200, { status: "draft", name: "Renamed" }],
    ["draft", { status: "scheduled" }, 422, { scheduledAt: ["A scheduled campaign needs a schedule time."] }],
    ["draft", { status: "scheduled", scheduledAt: inHours(-1) }, 422, { scheduledAt: ["Choose a time in the future."] }],
    [
      "draft",
      { scheduledAt: later },
      422,
      { scheduledAt: ['Only a scheduled campaign has a schedule time: send "status": "scheduled" with it.'] },
    ],
    ["draft", { status: "sent", scheduledAt: later }, 422, { scheduledAt: ["Leave scheduledAt out when sending a campaign."] }],
    ["scheduled", { status: "draft" }, 200, { status: "draft", scheduledAt: null, sentAt: null }],
    ["scheduled", { scheduledAt: later }, 200, { status: "scheduled", scheduledAt: later }],
    ["scheduled", { status: "sent" }, 200, { status: "sent", scheduledAt: setups.scheduled.scheduledAt, sentAt: "now" }],
    ["scheduled", { scheduledAt: null }, 422, { scheduledAt: ["A scheduled campaign needs a schedule time."] }],
    ["scheduled", { scheduledAt: inHours(-1) }, 422, { scheduledAt: ["Choose a time in the future."] }],
    ["sent", { status: "draft" }, 409, "This campaign has been sent: its status can no longer change."],
    ["sent", { status: "scheduled", scheduledAt: later }, 409, "This campaign has been sent: its status can no longer change."],
    ["sent", { scheduledAt: later }, 409, "This campaign has been sent: its schedule can no longer change."],
    ["sent", { status: "sent", name: "Renamed after sending" }, 200, { status: "sent", name: "Renamed after sending" }],
  ] as const)("%s + %j → %i", async (from, change, status, expected) => {
    const heyoo = await clientFor(a.owner);
    const campaign = await createCampaign(heyoo, setups[from]);
    const { response, data, error } = await heyoo.PATCH("/api/v1/campaigns/{id}", { params: { path: { id: campaign.id } }, body: change });
    expect(response.status, JSON.stringify(error)).toBe(status);
    if (status === 200) {
      const { sentAt, scheduledAt, ...rest } = expected as Record<string, string | null | undefined>;
      expect(data).toMatchObject(rest);
      if (scheduledAt !== undefined) expect(data?.scheduledAt).toBe(scheduledAt && new Date(scheduledAt).toISOString());
      if (sentAt === "now") expect(Date.now() - Date.parse(data!.sentAt!)).toBeLessThan(10_000);
      else if (sentAt !== undefined) expect(data?.sentAt).toBe(sentAt);
    } else if (status === 409) {
      expect(error).toEqual(problem("conflict", expected as string));
    } else {
      expect(error).toEqual(problem("unprocessable_entity", Object.values(expected)[0]![0]!, { errors: expected }));
    }
    if (status !== 200) {
      // A refused change changes nothing.
      const after = await heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id: campaign.id } } });
      expect(after.data).toEqual(campaign);
    }
  });

  it("sending twice at the same time sends once: both answer as if one came after the other", async () => {
    const heyoo = await clientFor(a.owner);
    const { id } = await createCampaign(heyoo, setups.scheduled);
    const results = await Promise.all(
      [1, 2].map(() => heyoo.PATCH("/api/v1/campaigns/{id}", { params: { path: { id } }, body: { status: "sent" } })),
    );
    expect(results.map((result) => result.response.status)).toEqual([200, 200]);
    // The second send is the no-op it would be if it came later: sentAt is the first one's.
    const stored = await heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id } } });
    expect(results.map((result) => result.data?.sentAt)).toEqual([stored.data?.sentAt, stored.data?.sentAt]);
  });
});

describe("tags on campaigns", () => {
  it("PUT attaches (idempotently), DELETE detaches; a tag not attached is a 404", async () => {
    const heyoo = await clientFor(a.owner);
    const tag = await createTag(a.workspace.id);
    const campaign = await createCampaign(heyoo);
    const path = { id: campaign.id, tagId: tag.id };

    for (let round = 0; round < 2; round++) {
      const attached = await heyoo.PUT("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path } });
      expect(attached.response.status).toBe(200);
      expect(attached.data).toEqual({ ...campaign, tags: [tag], updatedAt: expect.any(String) });
    }
    expect(await db.campaignTag.count({ where: { campaignId: campaign.id } })).toBe(1);

    const detached = await heyoo.DELETE("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path } });
    expect(detached.response.status).toBe(204);
    expect((await heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id: campaign.id } } })).data?.tags).toEqual([]);

    const again = await heyoo.DELETE("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path } });
    expect(again.response.status).toBe(404);
    expect(again.error).toEqual(problem("not_found", "This tag is not attached to the campaign."));
    const unknownTag = await heyoo.PUT("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path: { ...path, tagId: NEVER.tagId } } });
    expect(unknownTag.error).toEqual(tagNotFound);
    const unknownCampaign = await heyoo.PUT("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path: { ...path, id: NEVER.id } } });
    expect(unknownCampaign.error).toEqual(campaignNotFound);
  });

  it("an unknown tag among tagIds refuses the whole change", async () => {
    const heyoo = await clientFor(a.owner);
    const tag = await createTag(a.workspace.id);
    const campaign = await createCampaign(heyoo, { tagIds: [tag.id] });
    const other = await createTag(a.workspace.id);
    const { error } = await heyoo.PATCH("/api/v1/campaigns/{id}", {
      params: { path: { id: campaign.id } },
      body: { name: "Renamed", tagIds: [other.id, NEVER.tagId] },
    });
    expect(error).toEqual(tagNotFound);
    expect((await heyoo.GET("/api/v1/campaigns/{id}", { params: { path: { id: campaign.id } } })).data).toEqual(campaign);
  });
});

describe("campaign events", () => {
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

  it("records a batch for a scheduled or sent campaign in the caller's workspace", async () => {
    const heyoo = await clientFor(a.owner);
    for (const setup of [{ status: "scheduled", scheduledAt: inHours(1) }, { status: "sent" }] as const) {
      const { id } = await createCampaign(heyoo, setup);
      const events = [
        { type: "sent", occurredAt: at(30) },
        { type: "opened", occurredAt: at(20) },
        { type: "clicked", occurredAt: new Date(Date.now() + 60_000).toISOString() },
      ] as const;
      const { response, data } = await heyoo.POST("/api/v1/campaigns/{id}/events", {
        params: { path: { id } },
        body: { events: [...events] },
      });
      expect(response.status).toBe(201);
      expect(data).toEqual({ recorded: 3 });
      const rows = await db.campaignEvent.findMany({ where: { campaignId: id }, orderBy: { occurredAt: "asc" } });
      expect(rows.map((row) => [row.workspaceId, row.type, row.occurredAt.toISOString()])).toEqual(
        events.map((event) => [a.workspace.id, event.type, event.occurredAt]),
      );
    }
  });

  it("takes 1000 events in one request; 1001 is a 422 and a body over 256 KiB a 413", async () => {
    const heyoo = await clientFor(a.owner);
    const { id } = await createCampaign(heyoo, { status: "sent" });
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "opened" as const, occurredAt: at(i % 600) }));

    const full = await heyoo.POST("/api/v1/campaigns/{id}/events", { params: { path: { id } }, body: { events: batch(1000) } });
    expect(full.data).toEqual({ recorded: 1000 });

    const tooMany = await heyoo.POST("/api/v1/campaigns/{id}/events", { params: { path: { id } }, body: { events: batch(1001) } });
    expect(tooMany.error).toEqual(
      problem("unprocessable_entity", "The request has invalid fields.", { errors: { events: ["Send at most 1000 events per request."] } }),
    );

    const tooLarge = await heyoo.POST("/api/v1/campaigns/{id}/events", { params: { path: { id } }, body: { events: batch(5000) } });
    expect(tooLarge.response.status).toBe(413);
    expect(tooLarge.error).toEqual(problem("payload_too_large", "The body is larger than 262144 bytes."));
    expect(await db.campaignEvent.count({ where: { campaignId: id } })).toBe(1000);
  });

  it.each([
    [
      "an event more than 5 minutes ahead",
      { occurredAt: new Date(Date.now() + HOUR).toISOString() },
      "events.3.occurredAt",
      "Use a time no more than 5 minutes in the future.",
    ],
    [
      "an event older than two years",
      { occurredAt: new Date(Date.now() - 2 * 366 * 24 * HOUR).toISOString() },
      "events.3.occurredAt",
      "Use a time within the last two years.",
    ],
    ["a date that is not one", { occurredAt: "2026-13-45" }, "events.3.occurredAt", expect.any(String)],
    ["an unknown type", { type: "bounced" }, "events.3.type", "Use one of: sent, opened, clicked."],
    ["an unknown field", { campaignId: "x" }, "events.3.campaignId", "Unknown field."],
  ])("refuses the whole batch for %s, naming its index", async (_, broken, field, message) => {
    const heyoo = await clientFor(a.owner);
    const { id } = await createCampaign(heyoo, { status: "sent" });
    const events = Array.from({ length: 5 }, () => ({ type: "opened", occurredAt: at(1) }));
    events[3] = { ...events[3]!, ...broken };
    const { response, error } = await heyoo.POST("/api/v1/campaigns/{id}/events", { params: { path: { id } }, body: loose({ events }) });
    expect(response.status).toBe(422);
    expect(error).toEqual(problem("unprocessable_entity", "The request has invalid fields.", { errors: { [field]: [message] } }));
    expect(await db.campaignEvent.count({ where: { campaignId: id } })).toBe(0);
  });

  it("refuses an empty batch (422) and any event for a draft (409)", async () => {
    const heyoo = await clientFor(a.owner);
    const draft = await createCampaign(heyoo);
    const empty = await heyoo.POST("/api/v1/campaigns/{id}/events", { params: { path: { id: draft.id } }, body: { events: [] } });
    expect(empty.error).toEqual(
      problem("unprocessable_entity", "The request has invalid fields.", { errors: { events: ["Send at least one event."] } }),
    );
    const refused = await heyoo.POST("/api/v1/campaigns/{id}/events", {
      params: { path: { id: draft.id } },
      body: { events: [{ type: "opened", occurredAt: at(1) }] },
    });
    expect(refused.response.status).toBe(409);
    expect(refused.error).toEqual(
      problem("conflict", "This campaign is a draft: it has not been scheduled or sent, so it has no events to record."),
    );
    expect(await db.campaignEvent.count({ where: { campaignId: draft.id } })).toBe(0);
  });
});

describe("lists", () => {
  it("pages in a stable order while campaigns are created between page fetches: no duplicates, no skips", async () => {
    const { workspace, heyoo } = await soloWorkspace();
    const base = Date.now() - 10 * HOUR;
    // Three share one createdAt, so the id decides between them.
    const createdAts = [0, 1, 2, 2, 2, 3, 4, 5].map((minutes) => new Date(base + minutes * 60_000));
    await db.campaign.createMany({
      data: createdAts.map((createdAt, i) => ({
        workspaceId: workspace.id,
        name: `Seed ${i}`,
        subject: "s",
        createdAt,
        status: i % 2 ? "sent" : "draft",
      })),
    });

    for (const status of [undefined, "sent"] as const) {
      // What exists when the client starts paging, newest first; the id breaks ties.
      const existing = await db.campaign.findMany({ where: { workspaceId: workspace.id, status }, select: { id: true, createdAt: true } });
      const expected = existing
        .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : -1))
        .map((row) => row.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const { data, response } = await heyoo.GET("/api/v1/campaigns", { params: { query: { limit: 3, cursor, status } } });
        expect(response.status).toBe(200);
        expect(data!.data.length).toBeLessThanOrEqual(3);
        seen.push(...data!.data.map((campaign) => campaign.id));
        cursor = data!.nextCursor ?? undefined;
        pages++;
        // Someone creates campaigns while we page.
        await createCampaign(heyoo, { status: "sent" });
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 3));
    }
  });

  it("filters by status, tag and a case-insensitive name search (literal % and _), newest first", async () => {
    const { workspace, heyoo } = await soloWorkspace();
    const [promo, news] = [await createTag(workspace.id, "promo"), await createTag(workspace.id, "news")];
    const make = (name: string, body: Partial<CreateCampaignBody> = {}) => createCampaign(heyoo, { name, ...body });
    const springSale = await make("Spring Sale", { tagIds: [promo.id] });
    const springNews = await make("spring newsletter", { tagIds: [news.id], status: "scheduled", scheduledAt: inHours(5) });
    const fifty = await make("Summer: 50% off", { tagIds: [promo.id, news.id], status: "sent" });
    const club = await make("Summer 500 club");
    const under = await make("snake_case");

    const names = async (query: Record<string, unknown>) => {
      const { data, error } = await heyoo.GET("/api/v1/campaigns", { params: { query } });
      expect(error).toBeUndefined();
      return data!.data.map((campaign) => campaign.name);
    };
    expect(await names({})).toEqual([under, club, fifty, springNews, springSale].map((c) => c.name));
    expect(await names({ status: "draft" })).toEqual([under.name, club.name, springSale.name]);
    expect(await names({ status: "sent" })).toEqual([fifty.name]);
    expect(await names({ tagId: promo.id })).toEqual([fifty.name, springSale.name]);
    expect(await names({ tagId: news.id, status: "scheduled" })).toEqual([springNews.name]);
    expect(await names({ q: "SPRING" })).toEqual([springNews.name, springSale.name]);
    expect(await names({ q: "  spring sale " })).toEqual([springSale.name]);
    expect(await names({ q: "50%" })).toEqual([fifty.name]);
    expect(await names({ q: "e_c" })).toEqual([under.name]);
    expect(await names({ q: "s%r" })).toEqual([]);
    expect(await names({ q: "summer", tagId: promo.id })).toEqual([fifty.name]);
    expect(await names({ tagId: NEVER.tagId })).toEqual([]);
  });

  it("writes the list and a campaign exactly as JSON.stringify would: compact, the schema's key order, any text escaped", async () => {
    // PostgreSQL writes this JSON itself and the server sends it as it is (decision 018): the bytes on the wire.
    const { workspace, owner, heyoo } = await soloWorkspace();
    const { key } = await mintKey(owner);
    const text = async (path: string) => {
      const response = await fetchInProcess(`http://heyoo.test${path}`, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      return response.text();
    };
    const tag = await createTag(workspace.id, 'Tag "quoted" \\ ü');
    const odd = await createCampaign(heyoo, {
      name: 'He said "hi" \\ back\tslash — ünïcode 🚀 </script> \u2028',
      subject: "Line one\nline two\u0001",
      tagIds: [tag.id],
      status: "scheduled",
      scheduledAt: "2030-01-02T03:04:05.006Z",
    });
    const newer = await createCampaign(heyoo);
    expect(Object.keys(odd)).toEqual(["id", "name", "subject", "status", "scheduledAt", "sentAt", "tags", "createdAt", "updatedAt"]);
    expect(odd).toMatchObject({ subject: "Line one\nline two\u0001", scheduledAt: "2030-01-02T03:04:05.006Z", tags: [tag] });

    const first = await text("/api/v1/campaigns?limit=1");
    const { nextCursor } = JSON.parse(first) as { nextCursor: string };
    expect(first).toBe(JSON.stringify({ data: [newer], nextCursor }));
    expect(await text(`/api/v1/campaigns?limit=1&cursor=${nextCursor}`)).toBe(JSON.stringify({ data: [odd], nextCursor: null }));
    expect(await text(`/api/v1/campaigns/${odd.id}`)).toBe(JSON.stringify(odd));
    expect(await text(`/api/v1/campaigns?tagId=${tag.id}`)).toBe(JSON.stringify({ data: [odd], nextCursor: null }));
    expect(await text("/api/v1/campaigns?status=sent")).toBe('{"data":[],"nextCursor":null}');
  });

  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: 101 }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ status: "archived" }, "status"],
    [{ tagId: "not an id!" }, "tagId"],
    [{ q: "" }, "q"],
    [{ q: "q".repeat(121) }, "q"],
    [{ cursor: "not-a-cursor" }, "cursor"],
    [{ sort: "name" }, "sort"],
  ])("refuses the query %j with 422 naming %s", async (query, field) => {
    const heyoo = await clientFor(a.owner);
    const { response, error } = await heyoo.GET("/api/v1/campaigns", { params: { query: loose(query) } });
    expect(response.status).toBe(422);
    expect(error).toMatchObject({ status: 422, code: "unprocessable_entity", errors: { [field]: [expect.any(String)] } });
  });
});

describe("who may call", () => {
  it("every endpoint answers 401 without a key", async () => {
    const anonymous = anonymousClient();
    for (const endpoint of ENDPOINTS) {
      const { response, error } = await endpoint.call(anonymous, NEVER);
      expect(response.status, endpoint.name).toBe(401);
      expect(error).toEqual(problem("missing_api_key", "Missing API key. Send it as a header: `Authorization: Bearer hey_…`."));
    }
  });

  it("a key without campaigns permissions gets 403 naming the one needed; a read-only key can only read", async () => {
    const tagsOnly = await clientFor(a.owner, { kind: "restricted", permissions: ["tags.read"] });
    const readOnly = await clientFor(a.owner, { kind: "read_only" });
    const { id } = await createCampaign(await clientFor(a.owner));
    const tag = await createTag(a.workspace.id);
    const words = { "campaigns.read": "read campaigns", "campaigns.write": "create, change and delete campaigns" } as Record<
      Permission,
      string
    >;
    const forbidden = (permission: Permission) =>
      problem("forbidden", `This API key lacks the "${permission}" permission, which is needed to ${words[permission]}.`, {
        requiredPermission: permission,
      });

    for (const endpoint of ENDPOINTS) {
      const refused = await endpoint.call(tagsOnly, { id, tagId: tag.id });
      expect(refused.response.status, endpoint.name).toBe(403);
      expect(refused.error, endpoint.name).toEqual(forbidden(endpoint.permission));

      const asReader = await endpoint.call(readOnly, { id, tagId: tag.id });
      if (endpoint.permission === "campaigns.write") expect(asReader.error, endpoint.name).toEqual(forbidden("campaigns.write"));
      else expect(asReader.response.status, endpoint.name).toBe(200);
    }
    expect((await readOnly.GET("/api/v1/campaigns/{id}", { params: { path: { id } } })).data?.tags).toEqual([]);
  });
});

describe("tenancy: another workspace's ids answer 404, exactly like ids that never existed", () => {
  async function snapshot(campaignId: string) {
    return db.campaign.findUniqueOrThrow({ where: { id: campaignId }, include: { tags: true, _count: { select: { events: true } } } });
  }

  it("a campaign id of A, in every route that takes one, with B's key", async () => {
    const aHeyoo = await clientFor(a.owner);
    const aTag = await createTag(a.workspace.id);
    const aCampaign = await createCampaign(aHeyoo, { status: "scheduled", scheduledAt: inHours(3), tagIds: [aTag.id] });
    const before = await snapshot(aCampaign.id);
    const bHeyoo = await clientFor(b.owner);
    const bTag = await createTag(b.workspace.id);

    for (const endpoint of ENDPOINTS.filter((endpoint) => endpoint.name.includes("{id}"))) {
      // Everything else in the request is valid for B, so only the campaign id can fail.
      const foreign = await endpoint.call(bHeyoo, { id: aCampaign.id, tagId: bTag.id });
      const missing = await endpoint.call(bHeyoo, { id: NEVER.id, tagId: bTag.id });
      expect(foreign.response.status, endpoint.name).toBe(404);
      expect(foreign.error, endpoint.name).toEqual(campaignNotFound);
      expect(withoutRequestId(foreign.error)).toEqual(withoutRequestId(missing.error));
    }
    expect(await snapshot(aCampaign.id)).toEqual(before);
    const bList = await bHeyoo.GET("/api/v1/campaigns", { params: { query: { limit: 100 } } });
    expect(JSON.stringify(bList.data)).not.toContain(aCampaign.id);
  });

  it("a tag id of A, in bodies and in paths, with B's key and B's campaign: nothing is attached or created", async () => {
    const aTag = await createTag(a.workspace.id);
    const bHeyoo = await clientFor(b.owner);
    const bTag = await createTag(b.workspace.id);
    const bCampaign = await createCampaign(bHeyoo, { tagIds: [bTag.id] });
    const before = await snapshot(bCampaign.id);
    const bCount = await db.campaign.count({ where: { workspaceId: b.workspace.id } });
    const id = bCampaign.id;

    const cases: [string, (tagId: string) => Promise<{ response: Response; error?: unknown }>, unknown][] = [
      [
        "POST /campaigns tagIds",
        (tagId) => bHeyoo.POST("/api/v1/campaigns", { body: { name: "x", subject: "y", tagIds: [bTag.id, tagId] } }),
        tagNotFound,
      ],
      [
        "PATCH /campaigns/{id} tagIds",
        (tagId) => bHeyoo.PATCH("/api/v1/campaigns/{id}", { params: { path: { id } }, body: { name: "z", tagIds: [tagId] } }),
        tagNotFound,
      ],
      [
        "PUT /campaigns/{id}/tags/{tagId}",
        (tagId) => bHeyoo.PUT("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path: { id, tagId } } }),
        tagNotFound,
      ],
      [
        "DELETE /campaigns/{id}/tags/{tagId}",
        (tagId) => bHeyoo.DELETE("/api/v1/campaigns/{id}/tags/{tagId}", { params: { path: { id, tagId } } }),
        problem("not_found", "This tag is not attached to the campaign."),
      ],
    ];
    for (const [name, send, expected] of cases) {
      const foreign = await send(aTag.id);
      const missing = await send(NEVER.tagId);
      expect(foreign.response.status, name).toBe(404);
      expect(foreign.error, name).toEqual(expected);
      expect(withoutRequestId(foreign.error)).toEqual(withoutRequestId(missing.error));
    }
    const filtered = await bHeyoo.GET("/api/v1/campaigns", { params: { query: { tagId: aTag.id } } });
    expect(filtered.data).toEqual({ data: [], nextCursor: null });

    expect(await snapshot(bCampaign.id)).toEqual(before);
    expect(await db.campaign.count({ where: { workspaceId: b.workspace.id } })).toBe(bCount);
    expect(await db.campaignTag.count({ where: { tagId: aTag.id } })).toBe(0);
  });
});
