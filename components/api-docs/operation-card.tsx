import { InlineCode } from "./inline-code";
import { SchemaView, typeLabel } from "./schema-view";

type Json = Record<string, unknown>;

const methodStyle: Record<string, string> = {
  get: "bg-emerald-800 text-emerald-100",
  post: "bg-sky-800 text-sky-100",
};

export function OperationCard({ method, path, op }: { method: string; path: string; op: Json }) {
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const responses = op.responses as Record<string, Json>;
  return (
    <article id={String(op.operationId)} className="space-y-3 rounded-md bg-zinc-900/60 p-4 ring-1 ring-zinc-800" data-testid="api-operation">
      <header className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${methodStyle[method] ?? "bg-zinc-700"}`}>{method}</span>
        <code className="text-sm">{path}</code>
        <span className="text-sm text-zinc-300">{String(op.summary ?? "")}</span>
      </header>
      <p className="whitespace-pre-line text-sm text-zinc-300">
        <InlineCode text={String(op.description ?? "")} />
      </p>
      {params.length > 0 && (
        <div>
          <h4 className="mb-1 text-xs font-semibold uppercase text-zinc-400">Parameters</h4>
          <ul className="space-y-1 text-xs">
            {params.map((p) => (
              <li key={`${String(p.in)}:${String(p.name)}`}>
                <code className="text-zinc-100">{String(p.name)}</code> <span className="text-zinc-500">({String(p.in)}{p.required ? ", required" : ""})</span>{" "}
                <code className="text-sky-300">{typeLabel(p.schema as Json)}</code>
                {typeof p.description === "string" && (
                  <span className="ml-2 text-zinc-400">
                    <InlineCode text={p.description} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {body && (
        <div>
          <h4 className="mb-1 text-xs font-semibold uppercase text-zinc-400">Request body ({Object.keys(body).join(", ")})</h4>
          {Object.values(body).map((c, i) => (
            <SchemaView key={i} schema={c.schema as Json} />
          ))}
        </div>
      )}
      <div>
        <h4 className="mb-1 text-xs font-semibold uppercase text-zinc-400">Responses</h4>
        <ul className="space-y-1 text-xs">
          {Object.entries(responses).map(([status, r]) => {
            const content = r.content as Record<string, Json> | undefined;
            const [type, media] = content ? Object.entries(content)[0] : [];
            return (
              <li key={status}>
                <code className={Number(status) < 300 ? "text-emerald-300" : "text-amber-300"}>{status}</code> <span className="text-zinc-300">{String(r.description)}</span>
                {media && (
                  <span className="ml-2 text-zinc-500">
                    {type}: <code className="text-sky-300">{typeLabel(media.schema as Json)}</code>
                  </span>
                )}
                {r.headers ? <span className="ml-2 text-zinc-500">+ Retry-After</span> : null}
              </li>
            );
          })}
        </ul>
      </div>
    </article>
  );
}
