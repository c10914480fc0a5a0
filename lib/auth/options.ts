import "server-only";
import { eq, sql } from "drizzle-orm";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { verifyPassword } from "./passwords";
import { authSecret } from "./secret";

const CredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(512),
});

function headersOf(req: { headers?: Record<string, unknown> } | undefined): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req?.headers ?? {})) if (typeof v === "string") h.set(k, v);
  return h;
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
  pages: { signIn: "/sign-in" },
  useSecureCookies: env.SECURE_COOKIES || undefined,
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const headers = headersOf(req as { headers?: Record<string, unknown> });
        const parsed = CredentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const [user] = await db.select().from(users).where(eq(users.email, parsed.data.email)).limit(1);
        const ok = user && !user.disabled && (await verifyPassword(user.passwordHash, parsed.data.password));
        if (!ok) {
          await recordAudit({
            actor: null,
            action: "auth.sign_in_failed",
            targetType: "user",
            targetId: user?.id,
            details: { reason: user?.disabled ? "disabled" : "bad_credentials" },
            headers,
          });
          return null;
        }
        await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, user.id));
        await recordAudit({
          actor: { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role },
          action: "auth.sign_in",
          targetType: "user",
          targetId: user.id,
          headers,
        });
        return { id: user.id, email: user.email, name: user.name, role: user.role, sv: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as unknown as { id: string; role: string; sv: number };
        token.uid = u.id;
        token.role = u.role;
        token.sv = u.sv;
      }
      return token;
    },
    async session({ session, token }) {
      return {
        ...session,
        user: { ...session.user, id: token.uid as string, role: token.role as string },
      };
    },
  },
};
