import { expect, test, type Page } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import vnu from "vnu-jar";
import { signIn } from "./staff-helpers";

// Every page as served is valid HTML5 to the W3C's own checker (the Nu Html Checker, run from its
// npm package on the machine's Java): the bytes the server sent, not the browser's DOM.

/** Keeps the HTML of every document the page loads, by address. */
function recordDocuments(page: Page): Map<string, Promise<string>> {
  const documents = new Map<string, Promise<string>>();
  page.on("response", (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (response.request().resourceType() === "document" && type.startsWith("text/html")) {
      documents.set(`${response.request().method()} ${response.url()} (${response.status()})`, response.text());
    }
  });
  return documents;
}

test("every page the app serves is valid HTML", async ({ page }, info) => {
  test.skip(info.project.name !== "phone-js-off", "the server sends the same HTML whatever the browser runs");
  const documents = recordDocuments(page);

  // A resident: start, answer, save for later, come back, send, remove; and the pages around it.
  await page.goto("/s/digital-inclusion");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("No", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Continue" }).click(); // nothing ticked: an error page
  await page.getByLabel("I do not have the internet").check();
  await page.getByRole("button", { name: "Save and come back later" }).click();
  const code = ((await page.locator(".reference").textContent()) ?? "").trim();
  await page.goto("/s/digital-inclusion/return");
  await page.getByLabel("Your return code").fill("OOOO-0000");
  await page.getByRole("button", { name: /Continue/ }).click();
  await page.getByLabel("Your return code").fill(code);
  await page.getByRole("button", { name: /Continue/ }).click();
  while (!(await page.getByRole("button", { name: "Send answers" }).isVisible())) {
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await page.getByRole("button", { name: "Send answers" }).click();
  for (const path of ["/s/digital-inclusion/done", "/s/digital-inclusion/privacy", "/s/digital-inclusion/remove", "/no-such-page"]) {
    await page.goto(path);
  }

  // Staff: every page in the menu, and the survey's pages.
  await signIn(page);
  for (const path of [
    "/staff/assist",
    "/staff/users",
    "/staff/lists",
    "/staff/audit",
    "/staff/surveys",
    "/staff/surveys/digital-inclusion",
    "/staff/surveys/digital-inclusion?compare=used_online&by=age_band",
    "/staff/surveys/digital-inclusion?publishable=1",
    "/staff/surveys/digital-inclusion/text/comments",
    "/staff/surveys/digital-inclusion/manage",
    "/staff/surveys/digital-inclusion/preview",
    "/staff/surveys/digital-inclusion/versions/1/paper",
    "/staff/surveys/digital-inclusion/versions/1/paper?edition=large",
    "/staff/surveys/digital-inclusion/privacy",
    "/staff/findings",
    "/staff/action-plan",
    "/staff/contacts",
    "/staff/responses",
  ]) {
    await page.goto(path);
  }

  const dir = info.outputPath("pages");
  mkdirSync(dir, { recursive: true });
  const names = new Map<string, string>();
  let i = 0;
  for (const [what, html] of documents) {
    const file = join(dir, `page-${String(++i).padStart(3, "0")}.html`);
    writeFileSync(file, await html);
    names.set(basename(file), what);
  }
  expect(documents.size, "pages checked").toBeGreaterThan(30);
  const run = spawnSync("java", ["-jar", String(vnu), "--format", "json", "--errors-only", dir], { encoding: "utf8" });
  expect(run.error, "java runs the checker").toBeUndefined();
  const messages: { type: string; url: string; message: string; lastLine?: number; extract?: string }[] = JSON.parse(run.stderr || run.stdout).messages;
  const problems = messages.map((m) => `${names.get(basename(m.url)) ?? m.url}, line ${m.lastLine}: ${m.message} ${m.extract ?? ""}`);
  expect(problems).toEqual([]);
});
