import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui";
import { buttonClass } from "@/components/ui";
import { getSessionUser } from "@/server/auth/session";
import { describeInvite } from "@/server/people/invites";
import { inviteTokenSchema } from "@/server/people/schemas";
import { AcceptInviteButton } from "./accept-button";

export const metadata: Metadata = { title: "Invitation" };

const UNUSABLE = {
  expired: "This invite link has expired. Ask the person who sent it for a new one.",
  revoked: "This invite link was revoked. Ask the person who sent it for a new one.",
  used: "This invite link has already been used. Ask the person who sent it for a new one.",
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const parsed = inviteTokenSchema.safeParse(token);
  const invite = parsed.success ? await describeInvite(parsed.data) : null;
  const session = await getSessionUser();
  const here = `/invite/${encodeURIComponent(token)}`;

  let body: React.ReactNode;
  if (!invite) body = <p>This invite link is not valid. Check that you copied all of it.</p>;
  else if (invite.state !== "valid") body = <p>{UNUSABLE[invite.state]}</p>;
  else if (!session)
    body = (
      <div className="space-y-3">
        <p>
          You have been invited to join <strong>{invite.workspace.name}</strong> on Heyoo. Sign in or create an account to accept.
        </p>
        <div className="flex gap-2">
          <Link className={buttonClass("primary")} href={`/sign-in?next=${encodeURIComponent(here)}`}>
            Sign in
          </Link>
          <Link className={buttonClass("secondary")} href={`/sign-up?next=${encodeURIComponent(here)}`}>
            Create account
          </Link>
        </div>
      </div>
    );
  else
    body = (
      <div className="space-y-3">
        <p>
          You have been invited to join <strong>{invite.workspace.name}</strong> as a member. You are signed in as {session.user.email}.
        </p>
        <AcceptInviteButton token={parsed.data!} workspaceName={invite.workspace.name} />
      </div>
    );

  return (
    <main id="content" tabIndex={-1} className="mx-auto mt-16 max-w-lg px-4 outline-none">
      <h1 className="mb-4 text-2xl font-semibold">Invitation</h1>
      <Card>{body}</Card>
    </main>
  );
}
