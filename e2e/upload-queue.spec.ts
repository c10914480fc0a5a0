// The upload page and the worklist follow each file live: queued with its place in line, then done.
// The spec starts a server of its own without its in-process worker (WORKERS_IN_WEB=false, the setting
// of a deployment whose analysing is done by `npm run worker` processes), so the files wait in the queue
// for as long as the spec looks at them; then it restarts that server with its worker, which takes up
// what was queued before the restart, and the pages, never reloaded, show each file done.
import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { UploadPage } from "./pages/upload-page";
import { WorklistPage } from "./pages/worklist-page";
import { signIn } from "./support/auth";
import { OwnServer } from "./support/own-server";
import { separateStudyFiles } from "./support/studies";

const ORDER = ["waiting", "uploading", "queued", "analysing", "done"];

test("uploads wait in the queue with their place in line, then go through analysing to done, live", { tag: "@postgres" }, async ({ browser }) => {
  test.setTimeout(300_000);
  const own = await OwnServer.create();
  try {
    await own.start({ WORKERS_IN_WEB: "false" });
    const ctx = await browser.newContext({ baseURL: own.baseURL });
    const page = await ctx.newPage();
    await signIn(page, own.users.radiologist);
    const upload = new UploadPage(page);
    await upload.goto();
    // Every state each file shows, in order, however briefly (analysing may last a fraction of a second).
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { uploadStates: typeof seen }).uploadStates = seen;
      const note = (el: Element) => {
        const name = el.getAttribute("data-file-name")!;
        const state = el.getAttribute("data-state")!;
        const states = (seen[name] ??= []);
        if (states.at(-1) !== state) states.push(state);
      };
      new MutationObserver((changes) => {
        for (const c of changes) {
          const nodes = c.type === "attributes" ? [c.target as Element] : [...c.addedNodes].filter((n): n is Element => n instanceof Element);
          for (const n of nodes) for (const el of [n, ...n.querySelectorAll("[data-testid=upload-item]")]) if (el.matches("[data-testid=upload-item]")) note(el);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
    });

    const files = await separateStudyFiles(`queue-${crypto.randomBytes(3).toString("hex")}`);
    await upload.upload(files);
    // No worker: each file is accepted and waits, and the page says where: 1st, 2nd and 3rd in line.
    for (const f of files) await expect(upload.item(f.name)).toHaveAttribute("data-state", "queued");
    const places = () => Promise.all(files.map((f) => upload.item(f.name).getByTestId("upload-queued").textContent())).then((t) => t.sort());
    await expect.poll(places).toEqual(["Queued · 1st in line", "Queued · 2nd in line", "Queued · 3rd in line"]);

    // The worklist, in a second tab, says the same.
    const listPage = await ctx.newPage();
    const worklist = new WorklistPage(listPage);
    await worklist.goto();
    const listed = () => listPage.getByTestId("worklist-queued").allTextContents().then((t) => t.sort());
    await expect.poll(listed).toEqual(["Queued · 1st in line", "Queued · 2nd in line", "Queued · 3rd in line"]);
    await expect(worklist.rows).toHaveCount(3);

    // A worker comes (the same server restarted with its own): nothing queued was lost, and both pages,
    // following the files without a reload, show each one finished.
    await own.stop();
    await own.start({ WORKERS_IN_WEB: "true" });
    for (const f of files) expect(await upload.settled(f.name)).toBe("done");
    for (const f of files) await expect(upload.item(f.name).getByTestId("upload-result-link")).toBeVisible();
    await expect(listPage.getByTestId("worklist-queued")).toHaveCount(0, { timeout: 30_000 });
    await expect(worklist.rows).toHaveCount(3);

    const states = await page.evaluate(() => (window as unknown as { uploadStates: Record<string, string[]> }).uploadStates);
    for (const f of files) {
      const seen = states[f.name] ?? [];
      expect(seen, `states of ${f.name}`).toContain("queued");
      expect(seen.at(-1), `states of ${f.name}`).toBe("done");
      // Only ever forwards: queued -> (analysing) -> done, never back to an earlier state.
      const ranks = seen.map((s) => ORDER.indexOf(s));
      expect(ranks, `states of ${f.name}: ${seen.join(" -> ")}`).toEqual([...ranks].sort((a, b) => a - b));
      expect(ranks).not.toContain(-1);
    }
    await ctx.close();
  } finally {
    await own.dispose();
  }
});
