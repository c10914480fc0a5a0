import { InlineCode } from "@/components/api-docs/inline-code";
import { OperationCard } from "@/components/api-docs/operation-card";
import { SchemaView } from "@/components/api-docs/schema-view";
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "REST API" };

type Json = Record<string, unknown>;

// Rendered on the server from the same document /api/v1/openapi.json serves: no external assets.
export default async function ApiDocsPage() {
  await requireUser(STAFF_ROLES);
  const doc = buildOpenApiDocument();
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  return (
    <div className="min-h-[calc(100dvh-4rem)] space-y-6 bg-zinc-950 px-4 py-4 text-zinc-100 sm:px-6" data-testid="api-docs-page">
      <header className="space-y-2">
        <PageHeader
          title={
            <>
              {String(info.title)} <span className="text-sm font-normal text-zinc-400">v{String(info.version)}</span>
            </>
          }
          description={<InlineCode text={String(info.description)} />}
        />
        <p className="text-sm">
          Machine-readable: <a className="underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
        </p>
        <pre tabIndex={0} aria-label="Example requests" className="overflow-x-auto rounded bg-zinc-900 p-3 text-xs ring-1 ring-zinc-800">
          {`curl -sS -H "Authorization: Bearer $CXR_KEY" -H "Prefer: wait=60" -F file=@chest.png "\${CXR_URL:-http://localhost:3000}/api/v1/analyses"\ncurl -sS -H "Authorization: Bearer $CXR_KEY" "\${CXR_URL:-http://localhost:3000}/api/v1/analyses?limit=10&triageLevel=critical"`}
        </pre>
      </header>
      <section className="space-y-3">
        <h2 className="text-base font-semibold">Operations</h2>
        {Object.entries(paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => <OperationCard key={`${method} ${path}`} method={method} path={path} op={op} />),
        )}
      </section>
      <section className="space-y-3">
        <h2 className="text-base font-semibold">Schemas</h2>
        {Object.entries(schemas).map(([name, schema]) => (
          <article key={name} id={`schema-${name}`} className="rounded-md bg-zinc-900/60 p-4 ring-1 ring-zinc-800" data-testid="api-schema">
            <h3 className="mb-1 font-mono text-sm">{name}</h3>
            {typeof schema.description === "string" && (
              <p className="mb-2 text-xs text-zinc-400">
                <InlineCode text={schema.description} />
              </p>
            )}
            <SchemaView schema={schema} />
          </article>
        ))}
      </section>
    </div>
  );
}
