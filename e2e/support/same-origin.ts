// A browser names the page behind every state-changing request in `Origin`, and the app refuses those
// that do not come from its own pages. Playwright's request contexts (page.request included) send no
// Origin, so calls that stand in for the app's own pages add it here.
import { e2eEnv } from "./e2e-env";

export function fromAppPage(): { origin: string } {
  return { origin: e2eEnv().baseURL };
}
