import { InlineCode } from "./inline-code";

// Renders a JSON Schema (as found in the OpenAPI document) as nested property lists. Server component.

type Json = Record<string, unknown>;

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

export function typeLabel(s: Json): string {
  if (typeof s.$ref === "string") return refName(s.$ref);
  if (Array.isArray(s.oneOf)) return (s.oneOf as Json[]).map(typeLabel).join(" | ");
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(typeLabel).join(" | ");
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  const t = Array.isArray(s.type) ? (s.type as string[]).join(" | ") : (s.type as string | undefined);
  if (t === "array" && s.items) return `${typeLabel(s.items as Json)}[]`;
  if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object") {
    return `map of ${typeLabel(s.additionalProperties as Json)}`;
  }
  const fmt = typeof s.format === "string" ? ` (${s.format})` : "";
  return `${t ?? "any"}${fmt}`;
}

function constraints(s: Json): string {
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`≥ ${String(s.minimum)}`);
  if (s.maximum !== undefined) parts.push(`≤ ${String(s.maximum)}`);
  if (s.maxLength !== undefined) parts.push(`max ${String(s.maxLength)} chars`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(", ");
}

export function SchemaView({ schema, depth = 0 }: { schema: Json; depth?: number }) {
  const props = schema.properties as Record<string, Json> | undefined;
  const items = schema.items as Json | undefined;
  if (!props && items?.properties && depth < 4) return <SchemaView schema={items} depth={depth} />;
  if (!props) return <code className="text-xs text-sky-300">{typeLabel(schema)}</code>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return (
    <ul className={`space-y-1 text-xs ${depth ? "ml-4 border-l border-zinc-800 pl-3" : ""}`}>
      {Object.entries(props).map(([name, p]) => {
        const nested = Boolean(p.properties || (p.items as Json | undefined)?.properties) && depth < 4;
        return (
          <li key={name}>
            <code className="text-zinc-100">{name}</code>
            {!required.has(name) && <span className="text-zinc-500">?</span>} <code className="text-sky-300">{typeLabel(p)}</code>
            {constraints(p) && <span className="ml-1 text-zinc-500">{constraints(p)}</span>}
            {typeof p.description === "string" && (
              <span className="ml-2 text-zinc-400">
                <InlineCode text={p.description} />
              </span>
            )}
            {nested && <SchemaView schema={p} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}
