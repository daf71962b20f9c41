import { expect, test, type Page } from "@playwright/test";
import { publishAndOpen, signIn } from "./staff-helpers";
import { expectNoAxeViolations } from "./survey-page";

// Residents choose their language with links at the top of every page, with JavaScript off; the
// whole survey follows, down to the confirmation. At 320 px, nothing scrolls sideways.

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
});

/** One page in `lang`: its `<html lang dir>`, one h1, no script, axe at zero, no sideways scroll. */
async function checked(page: Page, lang: string, dir: string, what: string) {
  await expect(page.locator("html"), what).toHaveAttribute("lang", lang);
  await expect(page.locator("html"), what).toHaveAttribute("dir", dir);
  await expect(page.locator("h1"), what).toHaveCount(1);
  await expect(page.locator("script"), what).toHaveCount(0);
  await expectNoAxeViolations(page, what);
}

async function choose(page: Page, question: string, labels: string[], button: string) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(question);
  for (const label of labels) await page.getByLabel(label, { exact: true }).check();
  await page.getByRole("button", { name: button, exact: true }).click();
}

test("a resident takes the whole survey in Welsh", async ({ page }, info) => {
  await page.goto("/s/digital-inclusion");
  // Each language is offered in its own words.
  await page.getByRole("link", { name: "Cymraeg" }).click();
  await checked(page, "cy", "ltr", "start page in Welsh");
  await expect(page.getByRole("link", { name: "Cymraeg" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("link", { name: "English" })).toHaveAttribute("hreflang", "en");
  await page.screenshot({ path: info.outputPath("welsh-start-320.png"), fullPage: true });
  await page.getByRole("button", { name: "Dechrau nawr" }).click();

  // Sent without an answer: the error in Welsh.
  await page.getByRole("button", { name: "Parhau", exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Mae problem wedi codi" })).toBeVisible();
  await checked(page, "cy", "ltr", "error in Welsh");
  await choose(page, "Ydych chi wedi defnyddio unrhyw un o wasanaethau ar-lein y cyngor yn ystod y 12 mis diwethaf?", ["Nac ydw"], "Parhau");
  await checked(page, "cy", "ltr", "checkboxes in Welsh");
  await choose(page, "Pam nad ydych chi wedi defnyddio gwasanaethau ar-lein y cyngor?", ["Rwy'n poeni am sgamiau neu am fy manylion yn cael eu dwyn"], "Parhau");
  await choose(page, "Pryd wnaethoch chi ddefnyddio'r rhyngrwyd ddiwethaf?", ["Mwy na 3 mis yn ôl"], "Parhau");
  await choose(page, "Sut ydych chi'n mynd ar-lein?", ["Dydw i ddim yn mynd ar-lein"], "Parhau");
  await choose(page, "Pa mor hyderus ydych chi'n teimlo wrth ddefnyddio'r rhyngrwyd?", ["Ychydig yn hyderus"], "Parhau");
  await checked(page, "cy", "ltr", "Foundation tasks in Welsh");
  await choose(page, "Pa rai o'r rhain allwch chi eu gwneud ar eich pen eich hun?", ["Cysylltu â rhwydwaith wifi", "Newid cyfrinair pan ofynnir i mi"], "Parhau");
  await choose(page, "Pa help hoffech chi ei gael?", ["Dysgu sut i gadw'n ddiogel ar-lein"], "Parhau");
  await choose(page, "Faint yw eich oed chi?", ["Mae'n well gennyf beidio â dweud"], "Parhau");
  await choose(page, "Ym mha ardal ydych chi'n byw?", ["Yarm"], "Parhau");
  await choose(page, "Oes gennych chi anabledd neu gyflwr iechyd hirdymor?", ["Nac oes"], "Parhau");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Oes unrhyw beth arall rydych chi eisiau ei ddweud wrthym?");
  await page.getByRole("button", { name: "Parhau", exact: true }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gwiriwch eich atebion cyn eu hanfon");
  await checked(page, "cy", "ltr", "check answers in Welsh");
  await expect(page.getByText("Rwy'n poeni am sgamiau neu am fy manylion yn cael eu dwyn")).toBeVisible();
  await page.screenshot({ path: info.outputPath("welsh-check-320.png"), fullPage: true });
  await page.getByRole("button", { name: "Anfon atebion" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Diolch, mae eich atebion wedi'u hanfon");
  await checked(page, "cy", "ltr", "confirmation in Welsh");
  await expect(page.getByRole("heading", { name: "Help yn agos atoch chi" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("welsh-done-320.png"), fullPage: true });
});

test("a resident reads the survey in Easy Read", async ({ page }, info) => {
  await page.goto("/s/digital-inclusion");
  const plain = await page.locator(".body").first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize)).catch(() => null);
  await page.getByRole("link", { name: "Easy Read" }).click();
  await checked(page, "en-x-easyread", "ltr", "Easy Read start");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Using the council's websites");
  if (plain !== null) {
    const larger = await page.locator(".body").first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
    expect(larger, "larger type").toBeGreaterThan(plain);
  }
  await page.getByRole("button", { name: "Start now" }).click();
  await choose(page, "Have you used the council's website in the last year?", ["No"], "Continue");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Why have you not used the council's website?");
  await checked(page, "en-x-easyread", "ltr", "Easy Read question");
  // Each answer with a picture beside its words.
  await expect(page.locator("label", { hasText: "The internet costs too much" }).locator("img")).toHaveAttribute("src", "/pictures/cost.svg");
  await page.screenshot({ path: info.outputPath("easy-read-320.png"), fullPage: true });
});

test("a survey in a right-to-left language mirrors and fits at 320 px", async ({ page }, info) => {
  const slug = `ur-${info.project.name}`;
  const definition = `
id = "${slug}"
title = "After your library session"
minutes = 1

[[questions]]
id = "helped"
type = "single"
text = "Did today's session help?"
hint = "Choose one answer."
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No", barriers = ["skills"] }]

[signposting]
general = "Sessions run every Tuesday at the central library."

[translations.ur]
title = "لائبریری سیشن کے بعد"
[translations.ur.signposting]
general = "سیشن ہر منگل کو مرکزی لائبریری میں ہوتے ہیں۔"
[translations.ur.questions.helped]
text = "کیا آج کے سیشن سے آپ کو مدد ملی؟"
hint = "ایک جواب چنیں۔"
options = { yes = "ہاں", no = "نہیں" }
`;
  const { writeFileSync } = await import("node:fs");
  const file = info.outputPath(`${slug}.toml`);
  writeFileSync(file, definition);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await page.goto("/staff/surveys");
  await page.getByLabel("Definition file").setInputFiles(file);
  await page.getByRole("button", { name: "Check and add" }).click();
  await expect(page.getByRole("status")).toContainText("Survey added");
  // The translation side by side with the survey's own words, typed right to left.
  await page.goto(`/staff/surveys/${slug}/draft/languages/ur`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Translate into اردو");
  await expect(page.getByLabel("Question 1 (helped): question, in اردو")).toHaveAttribute("dir", "rtl");
  await expectNoAxeViolations(page, "translate side by side");
  await page.screenshot({ path: info.outputPath("translate-laptop.png"), fullPage: true });
  await publishAndOpen(page, slug);
  await page.getByRole("button", { name: "Sign out" }).click();

  await page.setViewportSize({ width: 320, height: 640 });
  // A poster's link starts the survey in Urdu.
  await page.goto(`/s/${slug}?lang=ur`);
  await checked(page, "ur", "rtl", "start page in Urdu");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("لائبریری سیشن کے بعد");
  await page.screenshot({ path: info.outputPath("urdu-start-320.png"), fullPage: true });
  await page.getByRole("button", { name: "Start now" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("کیا آج کے سیشن سے آپ کو مدد ملی؟");
  await checked(page, "ur", "rtl", "question in Urdu");
  // Mirrored: the back link and the radios sit at the right.
  const box = await page.getByLabel("ہاں", { exact: true }).boundingBox();
  expect(box && box.x > 160, "the radio is on the right").toBe(true);
  await page.screenshot({ path: info.outputPath("urdu-question-320.png"), fullPage: true });
  await page.getByLabel("ہاں", { exact: true }).check();
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await checked(page, "ur", "rtl", "check answers in Urdu");
  await page.getByRole("button", { name: "Send answers" }).click();
  await checked(page, "ur", "rtl", "confirmation in Urdu");
  await expect(page.getByText("سیشن ہر منگل کو مرکزی لائبریری میں ہوتے ہیں۔")).toBeVisible();
  await page.screenshot({ path: info.outputPath("urdu-done-320.png"), fullPage: true });
});
