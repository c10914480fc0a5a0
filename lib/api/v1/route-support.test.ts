import { describe, expect, it } from "vitest";
import { z } from "zod";
import { v1Json } from "./route-support";

describe("v1Json", () => {
  const Items = z.object({ items: z.array(z.string()) });

  it("sends a small answer with no-transform, so it is not compressed per response, and a long list without", async () => {
    const small = v1Json(Items, { items: ["a"] }, 201);
    expect(small.status).toBe(201);
    expect(small.headers.get("content-type")).toBe("application/json");
    expect(small.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await small.json()).toEqual({ items: ["a"] });

    const long = v1Json(Items, { items: Array.from({ length: 2000 }, (_, i) => `item-${i}-${"x".repeat(20)}`) });
    expect(long.headers.get("cache-control")).toBe("no-store");
  });

  it("answers exactly the schema's fields", async () => {
    const res = v1Json(z.object({ id: z.string() }), { id: "x", secret: "dropped" } as never);
    expect(await res.json()).toEqual({ id: "x" });
  });
});
