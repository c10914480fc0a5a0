import Link from "next/link";
import { ApiKeysPanel } from "@/components/admin/api-keys-panel";
import { listApiKeys } from "@/lib/api-keys/service";
import { scopeDescriptions } from "@/lib/api/v1/schemas";
import { requireUser } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { apiScopes } from "@/lib/auth/principal";
import { isStaff } from "@/lib/core/roles";
import { listUsers } from "@/lib/users/service";
import { ADMIN_ROLES } from "@/lib/core/roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "API keys · Administration" };

export default async function AdminApiKeysPage() {
  await requireUser(ADMIN_ROLES);
  const [keys, users] = await Promise.all([listApiKeys(), listUsers()]);
  const owners = users.filter((u) => isStaff(u) && !u.disabled).map((u) => ({ email: u.email, label: u.name ? `${u.name} (${u.email})` : u.email }));
  return (
    <section className="space-y-2" data-testid="admin-api-keys-page">
      <p className="text-xs text-zinc-400">
        Keys let other systems call the <Link href="/api-docs" className="underline">REST API</Link> with <code>Authorization: Bearer &lt;key&gt;</code>.
        A key acts for its owner (admins and radiologists only) within its scopes. Only a hash is stored: the key is shown once.
        Headless setups: <code>npm run apikey:create -- --email EMAIL --name NAME --scopes analyses:read,analyses:write</code>.
        Each key may make {env.RATE_LIMIT_PER_KEY === 0 ? "unlimited requests" : `${env.RATE_LIMIT_PER_KEY} requests per minute`} unless
        a limit of its own is set below (0: none); the count is shared by every instance of the server.
      </p>
      <ApiKeysPanel
        keys={keys}
        owners={owners}
        scopes={apiScopes.map((scope) => ({ scope, description: scopeDescriptions[scope] }))}
        defaultRateLimit={env.RATE_LIMIT_PER_KEY}
      />
    </section>
  );
}
