// `npm run docs:config`: writes docs/configuration.md from lib/env.ts, the one place settings are
// declared: each variable's /** description */, the // comment that opens its group, and its default
// and accepted values from the zod schema itself. CI runs it and fails when the page in git differs,
// so the page cannot drift from the code.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { z } from "zod";
import { EnvSchema } from "@/lib/env";

const root = path.resolve(import.meta.dirname, "..");
const ENV_FILE = path.join(root, "lib/env.ts");
const PAGE = path.join(root, "docs/configuration.md");

interface Setting {
  name: string;
  description: string;
}
interface Group {
  intro: string;
  settings: Setting[];
}

/** The object literal passed to z.object(...) in `export const EnvSchema = ...`. */
function schemaLiteral(source: ts.SourceFile): ts.ObjectLiteralExpression {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === "EnvSchema" && node.initializer && ts.isCallExpression(node.initializer)) {
      const arg = node.initializer.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) found = arg;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new Error("lib/env.ts: no `EnvSchema = z.object({...})` found");
  return found;
}

function groups(): Group[] {
  const text = fs.readFileSync(ENV_FILE, "utf8");
  const source = ts.createSourceFile(ENV_FILE, text, ts.ScriptTarget.Latest, true);
  const result: Group[] = [{ intro: "", settings: [] }];
  const missing: string[] = [];
  for (const property of schemaLiteral(source).properties) {
    const name = property.name?.getText(source) ?? "";
    let description = "";
    for (const range of ts.getLeadingCommentRanges(text, property.getFullStart()) ?? []) {
      const comment = text.slice(range.pos, range.end);
      if (comment.startsWith("/**")) {
        description = comment
          .replace(/^\/\*\*\s*|\s*\*\/$/g, "")
          .split("\n")
          .map((line) => line.replace(/^\s*\*\s?/, "").trim())
          .join(" ")
          .trim();
      } else if (comment.startsWith("//")) {
        const line = comment.replace(/^\/\/\s?/, "").trim();
        const last = result[result.length - 1];
        // Consecutive // lines form one paragraph; a // comment after settings opens a new group.
        if (last.settings.length === 0) last.intro = `${last.intro} ${line}`.trim();
        else result.push({ intro: line, settings: [] });
      }
    }
    if (!description) missing.push(name);
    result[result.length - 1].settings.push({ name, description });
  }
  if (missing.length) throw new Error(`lib/env.ts: give these settings a /** description */: ${missing.join(", ")}`);
  return result.filter((g) => g.settings.length > 0);
}

interface JsonProperty {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  format?: string;
  pattern?: string;
  anyOf?: JsonProperty[];
}

const code = (value: unknown) => `\`${String(value)}\``;

function accepted(p: JsonProperty): string {
  if (p.anyOf) return p.anyOf.map(accepted).filter(Boolean).join(" or ");
  if (p.enum) return p.enum.filter((v) => v !== "").map(code).join(", ");
  if (p.type === "number" || p.type === "integer") {
    const kind = p.type === "integer" ? "integer" : "number";
    const low = p.exclusiveMinimum !== undefined ? `> ${p.exclusiveMinimum}` : p.minimum !== undefined ? `${p.minimum}` : "";
    if (p.exclusiveMinimum !== undefined) return `${kind} ${low}${p.maximum !== undefined ? `, ≤ ${p.maximum}` : ""}`;
    return low && p.maximum !== undefined ? `${kind} ${low}–${p.maximum}` : kind;
  }
  if (p.format === "uri") return "URL";
  if (p.format === "email") return "email address";
  if (p.pattern?.startsWith("^s3:")) return "`s3://bucket[/prefix]`";
  if (p.minLength && p.minLength > 1) return `at least ${p.minLength} characters`;
  return "text";
}

/** "Storage: PostgreSQL when ..." -> a heading "Storage" and the rest as its paragraph. */
function heading(intro: string): string[] {
  if (!intro) return ["## General", ""];
  const colon = /^([^:(.]{1,40}):\s*(.*)$/.exec(intro);
  if (colon) return [`## ${colon[1]}`, "", ...(colon[2] ? [colon[2][0].toUpperCase() + colon[2].slice(1), ""] : [])];
  const title = /^([^:(.]{1,40})[(.]/.exec(intro)?.[1]?.trim();
  return title ? [`## ${title}`, "", intro, ""] : [`## ${intro}`, ""];
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

function render(): string {
  const schema = z.toJSONSchema(EnvSchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, JsonProperty> };
  const out = [
    "# Configuration",
    "",
    "<!-- Generated from lib/env.ts by `npm run docs:config`: edit the descriptions there, then regenerate. CI fails when this page differs. -->",
    "",
    "All settings are environment variables, validated when a process starts by `lib/env.ts` (the only",
    "reader of `process.env`): a value that does not fit stops the start with a message naming it. Next.js",
    "also reads a `.env` file. Defaults are what an unset variable means.",
  ];
  for (const group of groups()) {
    out.push("", ...heading(group.intro));
    out.push("| Variable | Default | Accepted | Meaning |", "| --- | --- | --- | --- |");
    for (const { name, description } of group.settings) {
      const p = schema.properties[name] ?? {};
      const fallback = p.default === undefined ? "unset" : code(p.default);
      out.push(`| \`${name}\` | ${fallback} | ${cell(accepted(p))} | ${cell(description)} |`);
    }
  }
  return `${out.join("\n")}\n`;
}

fs.mkdirSync(path.dirname(PAGE), { recursive: true });
fs.writeFileSync(PAGE, render());
console.log(`wrote ${path.relative(root, PAGE)}`);
