import { expect, type Locator, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./survey-page";

// Staff pages are used with the keyboard alone: these helpers never click.

/** Presses Tab until `target` has focus, as a keyboard user would. */
export async function tabTo(page: Page, target: Locator, limit = 80) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

/** Tab into a radio group, then arrow keys to the wanted answer. */
export async function chooseRadio(page: Page, group: Locator, label: string) {
  const radios = group.getByRole("radio");
  await tabTo(page, radios.first());
  const wanted = group.getByLabel(label, { exact: true });
  for (let i = 0; i < 40 && !(await wanted.isChecked()); i++) {
    if (i === 0) await page.keyboard.press("Space");
    else await page.keyboard.press("ArrowDown");
  }
  await expect(wanted).toBeChecked();
}

/** Signs in, adds the survey `definition` (TOML, saved as `file`), publishes and opens it. */
export async function addSurvey(page: Page, slug: string, definition: string, file: string) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(file, definition);
  await signIn(page);
  await page.goto("/staff/surveys");
  await page.getByLabel("Definition file").setInputFiles(file);
  await page.getByRole("button", { name: "Check and add" }).click();
  await expect(page.getByRole("status")).toContainText("Survey added");
  await publishAndOpen(page, slug);
}

/** On a survey's page: publishes its draft and opens it to residents. */
export async function publishAndOpen(page: Page, slug: string) {
  await page.goto(`/staff/surveys/${slug}/manage`);
  await page.getByRole("button", { name: "Publish the draft as a new version" }).click();
  await expect(page.getByRole("status")).toContainText("Published");
  await page.getByLabel("Open: residents can take it").check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
}

export async function signIn(page: Page) {
  await page.goto("/staff");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expectNoAxeViolations(page, "sign in");
  await tabTo(page, page.getByLabel("Email address"));
  await page.keyboard.type("e2e@council.gov.uk");
  await page.keyboard.press("Tab");
  await page.keyboard.type("correct horse battery staple");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff home");
  await expectNoAxeViolations(page, "staff home");
}

/** The page's island is running (the outreach device). */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
}

/** Tabs to the button `name` and presses Enter. */
export async function press(page: Page, name: string) {
  await tabTo(page, page.getByRole("button", { name, exact: true }));
  await page.keyboard.press("Enter");
}

/** Signed in (unless `signedIn`), on an outreach session's page for `survey` (else the one the
 *  page offers first) that the service worker controls and keeps. */
export async function openSession(page: Page, survey?: string, signedIn = false) {
  if (!signedIn) await signIn(page);
  await page.goto("/staff/outreach");
  if (survey) await page.getByLabel("Survey").selectOption(survey);
  await chooseRadio(page, page.getByRole("group", { name: "Where are you?" }), "Library outreach");
  await press(page, "Start the outreach session");
  await hydrated(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await hydrated(page);
}
