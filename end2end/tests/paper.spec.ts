import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./survey-page";
import { chooseRadio, signIn, tabTo } from "./staff-helpers";
import { expectInOrder, printedText } from "./print";

// The paper form is printed from the survey's definition. These tests print it to PDF in Chromium
// and read the PDF back with pdftotext, as a resident would read the paper.

const SLUG = "digital-inclusion";
const PAPER = `/staff/surveys/${SLUG}/versions/1/paper`;

type Definition = {
  questions: { id: string; type: string; text: string; prefer_not_to_say?: boolean; show_if?: unknown; options?: { label: string }[] }[];
};

// Routing in the built-in survey, written out by hand from its rules: 2 is for Yes at 1, 3 for No
// or not sure at 2, 4 for No or not sure at 1.
const ROUTING: Record<string, { before?: string; after?: string }> = {
  used_online: { after: "If you ticked “No” or “I'm not sure”, go to question 4." },
  use_again: {
    before: "Only answer this if you ticked “Yes” at question 1. If not, go to question 4.",
    after: "If you ticked “Yes”, go to question 4.",
  },
  why_not_again: { before: "Only answer this if you ticked “No” or “I'm not sure” at question 2." },
  why_not_online: { before: "Only answer this if you ticked “No” or “I'm not sure” at question 1." },
};

async function numbers(page: Page): Promise<Record<string, string>> {
  return page.locator("[data-question]").evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute("data-question"), e.getAttribute("data-number")])));
}

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

test("the paper form prints every question, option and direction in order, and is typed up under the same numbers", async ({ page }, info) => {
  test.skip(info.project.name !== "phone-js-off", "printing is the same with JavaScript on; one run is enough");
  await signIn(page);
  await page.goto(`/staff/surveys/${SLUG}/manage`);
  await tabTo(page, page.getByRole("link", { name: "Paper form of version 1" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Print the paper form");
  await expectNoAxeViolations(page, "paper form");
  await page.screenshot({ path: info.outputPath("paper-375.png"), fullPage: false });

  const definition: Definition = await (await page.request.get(`/staff/surveys/${SLUG}/versions/1.json`)).json();
  const expected: string[] = [];
  definition.questions.forEach((q, i) => {
    expected.push(`${i + 1}. ${q.text}`);
    if (ROUTING[q.id]?.before) expected.push(ROUTING[q.id].before!);
    for (const o of q.options ?? []) expected.push(o.label);
    if (q.prefer_not_to_say) expected.push("Prefer not to say");
    if (ROUTING[q.id]?.after) expected.push(ROUTING[q.id].after!);
  });
  expected.push("This is the end of the form.", "Your answers and your privacy", "For office use");
  const printed = await printedText(page, "paper");
  expect(printed).not.toContain("Print the paper form");
  expectInOrder(printed, expected);
  // Every rule in the definition has its direction on paper.
  expect(printed.match(/Only answer this if/g)?.length).toBe(definition.questions.filter((q) => q.show_if).length);
  for (const text of ["You can answer online instead", `/s/${SLUG}`, "Date received", "Location"]) expect(printed).toContain(text);

  // The large-print edition: every piece of text on it prints at 16 point or more.
  await page.goto(`${PAPER}?edition=large`);
  await expectNoAxeViolations(page, "large print paper form");
  await page.emulateMedia({ media: "print" });
  const smallest = await page.locator(".paper").evaluate((paper) => {
    const sizes = [...paper.querySelectorAll("*")]
      .filter((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ""))
      .map((e) => parseFloat(getComputedStyle(e).fontSize));
    return Math.min(...sizes);
  });
  expect(smallest * 0.75, "smallest text, in points").toBeGreaterThanOrEqual(16);
  const large = await printedText(page, "paper-large");
  expectInOrder(large, definition.questions.map((q, i) => `${i + 1}. ${q.text}`));
  await page.emulateMedia({ media: "screen" });

  // "Type up a paper form" opens fast entry for paper, on the form's version, under its numbers.
  await page.goto(PAPER);
  const onPaper = await numbers(page);
  expect(Object.keys(onPaper)).toEqual(definition.questions.map((q) => q.id));
  await tabTo(page, page.getByRole("link", { name: "Type up a paper form" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Take a survey with a resident");
  await expect(page.getByLabel("From a paper form")).toBeChecked();
  await chooseRadio(page, page.getByRole("group", { name: "Where are you?" }), "Library outreach");
  await tabTo(page, page.getByRole("button", { name: "Type up a paper form" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Type up a paper form");
  await expect(page.getByText("(version 1)")).toBeVisible();
  expect(await numbers(page)).toEqual(onPaper);
});

test("the paper form at laptop width", async ({ page }, info) => {
  test.skip(info.project.name !== "phone-js-on", "one screenshot is enough");
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await page.goto(PAPER);
  await expectNoAxeViolations(page, "paper form, laptop");
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: info.outputPath("paper-print.png"), fullPage: false });
});
