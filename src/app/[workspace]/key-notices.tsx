"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Fragment } from "react";
import { ClockProvider, RelativeTime } from "@/components/relative-time";
import { Notice } from "@/components/ui";
import type { z } from "zod";
import type { apiKeyNoticesOperation } from "@/server/api-keys/operations";

/** What apiKeyNoticesOperation answers (its response schema's type, not a copy). */
export type KeyNoticesData = z.output<NonNullable<(typeof apiKeyNoticesOperation)["response"]>>;

type NoticeKey = { name: string; partialKey: string };

const LINK = "font-medium underline underline-offset-2";

function KeyName({ apiKey }: { apiKey: NoticeKey }) {
  return (
    <>
      “<span className="font-medium">{apiKey.name}</span>” (<code className="font-mono text-xs">{apiKey.partialKey}</code>)
    </>
  );
}

/**
 * What an owner must act on, above every page of the workspace: keys found in public (revoked: roll or delete
 * them) and keys that stop working within a week. The link to the keys page is left out on that page itself.
 */
export function KeyNotices({ slug, notices, serverNow }: { slug: string; notices: KeyNoticesData; serverNow: string }) {
  const keysPath = `/${slug}/settings/api-keys`;
  const onKeysPage = usePathname() === keysPath;
  const link = (label: string) =>
    onKeysPage ? null : (
      <>
        {" "}
        <Link href={keysPath} className={LINK}>
          {label}
        </Link>
      </>
    );
  const { leaked, stopping } = notices;
  const soon = stopping.keys;

  return (
    <ClockProvider serverNow={serverNow}>
      <div data-testid="key-notices" className="mb-6 space-y-2">
        {leaked.keys.map((key) => (
          <Notice key={key.id}>
            Key <KeyName apiKey={key} /> was found in public and revoked — roll or delete it.
            {link("Go to API keys")}
          </Notice>
        ))}
        {leaked.total > leaked.keys.length ? (
          <Notice>
            {leaked.total - leaked.keys.length === 1
              ? "1 more key was found in public and revoked — roll or delete it."
              : `${leaked.total - leaked.keys.length} more keys were found in public and revoked — roll or delete them.`}
            {link("Go to API keys")}
          </Notice>
        ) : null}
        {soon.length ? (
          <Notice tone="warning">
            {soon.length === 1 ? null : `${stopping.total} keys stop working within 7 days: `}
            {soon.map((key, index) => (
              <Fragment key={key.id}>
                {index > 0 ? "; " : null}
                {key.reason === "roll" ? (
                  <>
                    {soon.length === 1 ? "The" : "the"} old key of <KeyName apiKey={key} /> stops <RelativeTime iso={key.stopsAt} />, when
                    its grace period ends
                  </>
                ) : (
                  <>
                    {soon.length === 1 ? "Key" : "key"} <KeyName apiKey={key} /> expires <RelativeTime iso={key.stopsAt} />
                  </>
                )}
              </Fragment>
            ))}
            .{stopping.total > soon.length ? ` And ${stopping.total - soon.length} more.` : null}
            {link("Review keys")}
          </Notice>
        ) : null}
      </div>
    </ClockProvider>
  );
}
