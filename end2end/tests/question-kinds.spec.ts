import { expect, test } from "@playwright/test";
import { addSurvey, hydrated, openSession, press, signIn } from "./staff-helpers";
import { expectInOrder, printedText } from "./print";
import { expectNoAxeViolations } from "./survey-page";

/** A survey with a number, a note and a date, at the address `slug`. */
const kinds = (slug: string) => `
id = "${slug}"
title = "Your library visit"
minutes = 2

[[questions]]
id = "age"
type = "whole_number"
text = "How old are you?"
required = true
min = 16
max = 120

[[questions]]
id = "at_home"
type = "note"
text = "The next questions are about the internet at home."
hint = "There are two of them."

[[questions]]
id = "moved"
type = "date"
text = "When did you move to the borough?"
dates = "past"
`;

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

// A number, a note between questions and a date, answered on a phone with their messages: the
// same page with JavaScript off and on.
test("a resident answers a number, reads a note and gives a date, told what to fix", async ({ page }, info) => {
  const slug = `kinds-${info.project.name}`;
  const definition = kinds(slug);
  await addSurvey(page, slug, definition, info.outputPath(`${slug}.toml`));
  await page.getByRole("button", { name: "Sign out" }).click();

  await page.goto(`/s/${slug}`);
  await page.getByRole("button", { name: "Start now" }).click();
  const age = page.getByLabel("How old are you?");
  await expect(age).toHaveAttribute("inputmode", "numeric");
  await age.fill("two hundred");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-message")).toHaveText("Error: Enter a whole number, like 12");
  await expect(page.getByLabel("How old are you?")).toHaveValue("two hundred");
  await expectNoAxeViolations(page, "a number with its error");
  await page.screenshot({ path: info.outputPath("number-error-375.png"), fullPage: true });
  await page.getByLabel("How old are you?").fill("200");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-message")).toHaveText("Error: Enter a number from 16 to 120");
  await page.getByLabel("How old are you?").fill("42");
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The next questions are about the internet at home.");
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expectNoAxeViolations(page, "a note");
  await page.getByRole("button", { name: "Continue" }).click();

  const moved = page.getByRole("group", { name: "When did you move to the borough?" });
  await expect(moved).toBeVisible();
  await moved.getByLabel("Day").fill("31");
  await moved.getByLabel("Month").fill("2");
  await moved.getByLabel("Year").fill("2020");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-message")).toHaveText("Error: Enter a real date, like 27 3 2007");
  // What was typed stays in its boxes.
  await expect(page.getByLabel("Day")).toHaveValue("31");
  await expectNoAxeViolations(page, "a date with its error");
  await page.screenshot({ path: info.outputPath("date-error-375.png"), fullPage: true });
  await page.getByLabel("Day").fill("27");
  await page.getByLabel("Month").fill("Mar");
  await page.getByLabel("Year").fill("2007");
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before sending them");
  await expect(page.getByText("27/03/2007")).toBeVisible();
  await expect(page.getByText("The next questions are about")).toHaveCount(0);
  await expectNoAxeViolations(page, "check answers with a number and a date");
  await page.getByRole("button", { name: "Send answers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you, your answers have been sent");

  // The paper form: boxes for the digits and the date's parts, read back as printed.
  await signIn(page);
  await page.goto(`/staff/surveys/${slug}/versions/1/paper`);
  await expect(page.locator(".paper__digit")).toHaveCount(3 + 8);
  await expect(page.getByText("Write the day, month and year in the boxes.")).toBeVisible();
  await expectNoAxeViolations(page, "a paper form with a number and a date");
  expectInOrder(await printedText(page, "kinds-paper"), [
    "1. How old are you?",
    "Write a whole number in the boxes, one digit a box.",
    "The next questions are about the internet at home.",
    "3. When did you move to the borough?",
    "Write the day, month and year in the boxes.",
    "Day",
    "Month",
    "Year",
  ]);
});

// A postcode that fills the ward from the council's lookup: the resident sees the ward chosen and
// can change it; a postcode not in the list gets the list.
test("a resident's postcode chooses their ward, to check", async ({ page }, info) => {
  const slug = `postcode-${info.project.name}`;
  const definition = `
id = "${slug}"
title = "Where you live"
minutes = 1

[[questions]]
id = "postcode"
type = "postcode"
text = "What is your postcode?"
keep = "ward"
fills = "ward"

[[questions]]
id = "ward"
type = "single"
text = "Which ward do you live in?"
options = [{ id = "town_centre", label = "Stockton Town Centre" }, { id = "norton_north", label = "Norton North" }]
`;
  await addSurvey(page, slug, definition, info.outputPath(`${slug}.toml`));
  const lookup = info.outputPath("postcodes.csv");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(lookup, "postcode,ward\nTS18 1AU,Stockton Town Centre\n");
  await page.goto(`/staff/surveys/${slug}/postcodes`);
  await page.getByLabel("Postcode lookup file").setInputFiles(lookup);
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByRole("status")).toHaveText("The postcode lookup is saved.");
  await expect(page.getByText("1 postcodes, each with its ward.")).toBeVisible();
  await expectNoAxeViolations(page, "the postcode lookup");
  await page.getByRole("button", { name: "Sign out" }).click();

  await page.goto(`/s/${slug}`);
  await page.getByRole("button", { name: "Start now" }).click();
  await expect(page.getByText("We use your postcode only to find your ward. We do not keep it.")).toBeVisible();
  await page.getByLabel("What is your postcode?").fill("TS18");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-message")).toHaveText("Error: Enter a full postcode, like TS18 1AU");
  await expectNoAxeViolations(page, "a postcode with its error");
  await page.getByLabel("What is your postcode?").fill("ts18 1au");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("We chose your ward from your postcode.")).toBeVisible();
  await expect(page.getByLabel("Stockton Town Centre")).toBeChecked();
  await expectNoAxeViolations(page, "the ward chosen from a postcode");
  await page.screenshot({ path: info.outputPath("ward-from-postcode-375.png"), fullPage: true });
  // Back, and a postcode not in the list: the list to choose from.
  await page.goto(`/s/${slug}/q/postcode`);
  await page.getByLabel("What is your postcode?").fill("TS99 9ZZ");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("We could not find your postcode in our list for this area.")).toBeVisible();
  await page.getByLabel("Norton North").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before sending them");
  await expect(page.getByText("TS18")).toHaveCount(0);
});

// The same questions on the outreach device with no connection: its own messages by the same
// rules, and the entry the server takes when the connection returns.
test("an officer takes a number and a date on the device offline", async ({ page, context }, info) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, "offline entry runs on the device");
  // Named to sort after the built-in survey: staff pages list surveys by address, the first chosen.
  const slug = `outreach-kinds-${info.project.name}`;
  await addSurvey(page, slug, kinds(slug), info.outputPath(`${slug}.toml`));
  await openSession(page, slug, true);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);

  await press(page, "Start a new entry");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("How old are you?");
  await page.getByLabel("How old are you?").fill("200");
  await press(page, "Continue");
  await expect(page.getByRole("alert")).toContainText("Enter a number from 16 to 120");
  await expectNoAxeViolations(page, "a number with its error on the device");
  await page.getByLabel("How old are you?").fill("42");
  await press(page, "Continue");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The next questions are about the internet at home.");
  await press(page, "Continue");
  await page.getByLabel("Day").fill("27");
  await page.getByLabel("Month").fill("13");
  await page.getByLabel("Year").fill("2007");
  await press(page, "Continue");
  await expect(page.getByRole("alert")).toContainText("Enter a real date, like 27 3 2007");
  await page.getByLabel("Month").fill("3");
  await press(page, "Continue");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check the answers");
  await expect(page.getByText("27/03/2007")).toBeVisible();
  await expectNoAxeViolations(page, "check the answers on the device");
  await press(page, "Save this entry");
  await expect(page.getByRole("status")).toContainText(/1 entr(y is|ies are) waiting to be sent/);

  await context.setOffline(false);
  await expect(page.getByRole("status")).toContainText("0 entries are waiting to be sent", { timeout: 15_000 });
  await page.goto(`/staff/surveys/${slug}`);
  await expect(page.getByText("1 person answered")).toBeVisible();
  await expect(page.getByText("Median: 42 (too few answers for an interval)")).toBeVisible();
});
