// Security suite: metrics labels. 200 anonymous requests to /api/stats/<random> used to add 3,400
// series to /api/metrics; labels now come from the route table only.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import * as statsRoute from "@/app/api/stats/[chart]/route";
import { metrics } from "@/lib/metrics";
import { call, createTestUser } from "@/test/support/principals";

async function seriesCount(): Promise<number> {
  const text = await metrics().registry.metrics();
  return text.split("\n").filter((line) => line.startsWith("cxr_http_")).length;
}

const randomChart = () => `x${crypto.randomBytes(5).toString("hex")}`;

describe("security: metrics labels", () => {
  it("adds no series for 200 made-up stats paths, anonymous or signed in", async () => {
    const staff = await createTestUser("radiologist");
    const get = (chart: string, cookie?: string) =>
      call(statsRoute.GET, `/api/stats/${chart}`, { params: { chart }, headers: cookie ? { cookie } : {} });
    // One of each answer first (401 anonymous, 404 unknown chart), so their series exist.
    expect((await get(randomChart())).status).toBe(401);
    expect((await get(randomChart(), staff.cookie)).status).toBe(404);
    const before = await seriesCount();
    for (let i = 0; i < 100; i++) {
      expect((await get(randomChart())).status).toBe(401);
      expect((await get(randomChart(), staff.cookie)).status).toBe(404);
    }
    expect(await seriesCount()).toBe(before);
    const text = await metrics().registry.metrics();
    expect(text).toMatch(/cxr_http_requests_total\{method="GET",route="\/api\/stats\/\[chart\]",status="401"\} 101/);
  });
});
