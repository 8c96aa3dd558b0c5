import type { Metadata } from "next";
import { Badge, Card } from "@/components/ui";
import { pagePrincipal, readForPage } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { listPeopleOperation, listPendingInvitesOperation } from "@/server/people/operations";
import { InvitePanel } from "./invite-panel";
import { MemberActions } from "./member-actions";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const canManage = can(principal, "people.write");
  const [{ members, seats }, invites] = await Promise.all([
    readForPage(listPeopleOperation, principal),
    readForPage(listPendingInvitesOperation, principal),
  ]);
  const owners = members.filter((member) => member.role === "owner" && !member.user.isMachine).length;

  return (
    <>
      <Card
        title="People"
        description={
          <span data-testid="seat-count">
            {seats} {seats === 1 ? "seat" : "seats"} used. Machine users do not take a seat.
          </span>
        }
      >
        <ul className="divide-y divide-neutral-100">
          {members.map((member) => (
            <li
              key={member.id}
              className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4"
              data-testid="person"
            >
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 font-medium break-words">
                  {member.user.name}
                  {member.user.id === principal.user.id ? <Badge>You</Badge> : null}
                  {member.user.isMachine ? <Badge tone="blue">Machine</Badge> : null}
                </p>
                <p className="truncate text-sm text-neutral-500">
                  {member.user.isMachine ? "Machine user · acts through its API key" : member.user.email}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-3">
                {member.user.isMachine || canManage ? null : (
                  <Badge tone={member.role === "owner" ? "amber" : "neutral"}>{member.role === "owner" ? "Owner" : "Member"}</Badge>
                )}
                <MemberActions
                  slug={principal.workspace.slug}
                  canManage={canManage}
                  member={{
                    membershipId: member.id,
                    name: member.user.name,
                    role: member.role,
                    isMachine: member.user.isMachine,
                    isYou: member.user.id === principal.user.id,
                    recentlyUsedKeys: member.recentlyUsedKeys,
                    soleOwner: member.role === "owner" && !member.user.isMachine && owners === 1,
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      </Card>
      <InvitePanel slug={principal.workspace.slug} canInvite={canManage} invites={invites} />
    </>
  );
}
