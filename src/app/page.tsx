import { redirect } from "next/navigation";
import { getSessionUser } from "@/server/auth/session";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";

export default async function Home() {
  const session = await getSessionUser();
  if (!session) redirect("/sign-in");
  const [first] = await listWorkspacesForUser(session.user.id);
  redirect(first ? `/${first.slug}` : "/new");
}
