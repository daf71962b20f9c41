import { expect, test, type APIResponse } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import vnu from "vnu-jar";
import { signIn } from "./staff-helpers";

// Every page as served is valid HTML5 to the W3C's own checker (the Nu Html Checker, run from its
// npm package on the machine's Java): the bytes the server sent, not the browser's DOM.

test("every page the app serves is valid HTML", async ({ page }, info) => {
  test.skip(info.project.name !== "phone-js-off", "the server sends the same HTML whatever the browser runs");
  // Each page's HTML as the server sent it, fetched with the browser's cookies.
  const documents = new Map<string, string>();
  const keep = async (what: string, response: APIResponse) => {
    expect(response.headers()["content-type"] ?? `none: ${response.status()} ${response.url()}`, what).toContain("text/html");
    documents.set(`${what} (${response.status()})`, await response.text());
  };
  const get = (path: string) => page.request.get(path, { maxRedirects: 0 });
  const here = async (what: string) => keep(what, await get(page.url()));

  // A resident: start, a mistake, save for later, a wrong code, come back, send; the pages around.
  const survey = "/s/digital-inclusion";
  await keep("start page", await get(survey));
  await page.goto(survey);
  await page.getByRole("button", { name: "Start now" }).click();
  await page.waitForURL(/\/q\/used_online$/);
  await here("first question");
  await keep("question with an error", await page.request.post(`${survey}/q/used_online`, { form: {}, maxRedirects: 0 }));
  await page.getByLabel("No", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/\/q\/why_not_online$/);
  await here("multiple choice question");
  // Saving answers with the page itself, not a redirect: post it as the browser would.
  const saved = await page.request.post(`${survey}/q/why_not_online`, { form: { answer: "no_internet", save: "later" }, maxRedirects: 0 });
  await keep("saved, with the return code", saved);
  const code = /class="reference">([^<]+)</.exec(await saved.text())![1];
  await keep("return code form", await get(`${survey}/return`));
  await keep("return code with an error", await page.request.post(`${survey}/return`, { form: { code: "OOOO-0000" }, maxRedirects: 0 }));
  await page.goto(`${survey}/return`);
  await page.getByLabel("Your return code").fill(code);
  await page.getByRole("button", { name: /Continue/ }).click();
  await expect(page.getByText("Welcome back")).toBeVisible();
  await here("welcome back");
  while (!(await page.getByRole("button", { name: "Send answers" }).isVisible())) {
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForLoadState();
  }
  await here("check answers");
  expect((await page.request.post(`${survey}/submit`, { form: {}, maxRedirects: 0 })).status()).toBe(303);
  await keep("confirmation", await get(`${survey}/done`));
  for (const path of [`${survey}/done`, `${survey}/privacy`, `${survey}/remove`, "/no-such-page"]) {
    await keep(path, await get(path));
  }

  // Staff: sign-in, every page in the menu, the survey's pages and fast entry.
  await keep("sign in", await get("/staff/login"));
  await signIn(page);
  for (const path of [
    "/staff",
    "/staff/assist",
    "/staff/outreach",
    // The one page with an island: its hydration markers are written as valid empty comments.
    "/staff/outreach?survey=digital-inclusion&location=1",
    "/staff/users",
    "/staff/lists",
    "/staff/audit",
    "/staff/surveys",
    "/staff/surveys/digital-inclusion",
    "/staff/surveys/digital-inclusion?compare=used_online&by=age_band",
    "/staff/surveys/digital-inclusion?publishable=1",
    "/staff/surveys/digital-inclusion/text/comments",
    "/staff/surveys/digital-inclusion/map",
    "/staff/surveys/digital-inclusion/map?show=used_online.no&publishable=1",
    "/staff/national-figures",
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
    await keep(path, await get(path));
  }
  await page.goto("/staff/assist?survey=digital-inclusion&channel=paper&version=1");
  await page.getByLabel("Library outreach").check();
  await page.getByRole("button", { name: "Type up a paper form" }).click();
  await page.waitForURL(/\/fast$/);
  await here("fast entry");

  const dir = info.outputPath("pages");
  mkdirSync(dir, { recursive: true });
  const names = new Map<string, string>();
  let i = 0;
  for (const [what, html] of documents) {
    const file = join(dir, `page-${String(++i).padStart(3, "0")}.html`);
    writeFileSync(file, html);
    names.set(basename(file), what);
  }
  expect(documents.size, "pages checked").toBeGreaterThan(30);
  const run = spawnSync("java", ["-jar", String(vnu), "--format", "json", "--errors-only", dir], { encoding: "utf8" });
  expect(run.error, "java runs the checker").toBeUndefined();
  const messages: { type: string; url: string; message: string; lastLine?: number; extract?: string }[] = JSON.parse(run.stderr || run.stdout).messages;
  const problems = messages.map((m) => `${names.get(basename(m.url)) ?? m.url}, line ${m.lastLine}: ${m.message} ${m.extract ?? ""}`);
  expect(problems).toEqual([]);
});
