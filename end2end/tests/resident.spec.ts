import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, SurveyPages } from "./survey-page";

// Every test runs twice: on a phone with JavaScript off and with it on (see playwright.config.ts).

test.beforeEach(async ({ page }) => {
  // With JavaScript on, nothing may break: any error in the page fails the test.
  page.on("pageerror", (error) => {
    throw error;
  });
});

test("a resident who has never used online services completes the survey", async ({ page }, info) => {
  const survey = new SurveyPages(page);
  await survey.open();
  await survey.start();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["No"]);
  await survey.answer("Why have you not used the council's online services?", [
    "I do not have the internet",
    "Family or friends do it for me",
  ]);
  await survey.answer("When did you last use the internet?", ["I have never used the internet"]);
  await survey.answer("How do you go online?", ["I do not go online"]);
  await survey.answer("How confident do you feel using the internet?", ["Not at all confident"]);
  await survey.expectQuestion("Which of these can you do by yourself?");
  await page.screenshot({ path: info.outputPath("foundation-tasks.png"), fullPage: true });
  await survey.answer("Which of these can you do by yourself?", ["None of these"]);
  await survey.answer("What help would you like?", ["Someone to help me in person or on the phone"]);
  await survey.answer("How old are you?", ["75 or over"]);
  await survey.answer("Which area do you live in?", ["Prefer not to say"]);
  await survey.answer("Do you have a disability or a long-term health condition?", ["Yes"]);
  await survey.expectQuestion("Is there anything else you want to tell us?");
  await survey.checked("free text question");
  await survey.write("Is there anything else you want to tell us?", "The library helps me — diolch!");
  await expect(page.getByText("The library helps me — diolch!")).toBeVisible();
  await page.screenshot({ path: info.outputPath("check-answers.png"), fullPage: true });
  await survey.send();
  await survey.reference();
  await expect(page.getByText("free computers and wifi")).toBeVisible();
  await page.screenshot({ path: info.outputPath("confirmation.png"), fullPage: true });
});

test("a resident asks to be contacted about help, only after agreeing to it", async ({ page }, info) => {
  const survey = new SurveyPages(page);
  await survey.open();
  await survey.start();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["No"]);
  for (let i = 0; i < 10; i++) await survey.continue();
  await survey.send();
  await survey.reference();

  await page.getByRole("link", { name: "Ask someone from the council to contact you about help" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Would you like someone to contact you about help?");
  await expect(page.getByLabel("Your name")).toHaveCount(0);
  await survey.checked("contact consent");
  await survey.continue();
  await expect(page.locator(".error-summary")).toContainText("Select yes if you agree to be contacted");
  await survey.checked("contact consent with an error");
  await page.getByLabel("Yes, I agree to be contacted").check();
  await survey.continue();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("How can we contact you?");
  await survey.checked("contact details");
  await page.getByLabel("Your name").fill("Jo Resident");
  await page.getByLabel("Phone number (optional)").fill("07700 900123");
  await page.getByRole("button", { name: "Send my details" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We will contact you");
  await survey.checked("contact thanks");
  await page.screenshot({ path: info.outputPath("contact-thanks.png"), fullPage: true });
});

test("a resident removes their answers with their reference", async ({ page }, info) => {
  const survey = new SurveyPages(page);
  await survey.open();
  await survey.start();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["Yes"]);
  for (let i = 0; i < 10; i++) await survey.continue();
  await survey.send();
  const reference = await survey.reference();
  await page.getByRole("link", { name: "Remove your answers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Remove your answers");
  await survey.checked("remove");
  await page.getByLabel("Your reference").fill(reference.toLowerCase());
  await page.getByRole("button", { name: "Remove my answers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your request has been dealt with");
  await survey.checked("removed");
  await page.screenshot({ path: info.outputPath("removed.png"), fullPage: true });
});

test("a resident who leaves out an answer is told what to fix, and can change answers", async ({ page }, info) => {
  const survey = new SurveyPages(page);
  await survey.open();
  await survey.start();
  await survey.continue();
  await expect(page).toHaveTitle(/^Error: Have you used/);
  const summary = page.locator(".error-summary");
  await expect(summary).toContainText("Select yes if you have used the council's online services");
  await expect(summary).toBeFocused();
  await expectNoAxeViolations(page, "question with an error");
  await page.screenshot({ path: info.outputPath("error.png"), fullPage: true });
  await summary.getByRole("link").click();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["Yes"]);
  await survey.answer("Would you be happy to use the council's online services again?", ["No"]);
  await survey.answer("Why would you not want to use them again?", ["It was too difficult", "Something else"]);
  for (let i = 0; i < 9; i++) await survey.continue();

  await expect(page.getByText("It was too difficult")).toBeVisible();
  await page.getByRole("link", { name: /Change your answer to: Have you used/ }).click();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["No"]);
  // The change opened a new question; after it, back to the check page.
  await survey.answer("Why have you not used the council's online services?", ["The internet or mobile data costs too much"]);
  await expect(page.getByText("It was too difficult")).toHaveCount(0);
  await survey.send();
  await survey.reference();
});

test("a resident who closes the browser carries on where they left off", async ({ page, context }) => {
  const survey = new SurveyPages(page);
  await survey.open();
  await survey.start();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["Yes"]);
  await survey.expectQuestion("Would you be happy to use the council's online services again?");
  await page.close();

  const again = new SurveyPages(await context.newPage());
  await again.open();
  await again.page.getByRole("button", { name: "Continue where you left off" }).click();
  await again.expectQuestion("Would you be happy to use the council's online services again?");
  await again.page.getByRole("link", { name: "Back" }).click();
  await expect(again.page.getByLabel("Yes", { exact: true })).toBeChecked();
});

test("unknown pages and the privacy notice are pages in the same style", async ({ page }) => {
  const response = await page.goto("/s/no-such-survey");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expectNoAxeViolations(page, "not found");
  await page.goto("/s/digital-inclusion");
  await page.getByRole("link", { name: "Read how we use your answers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("How we use your answers");
  await expectNoAxeViolations(page, "privacy notice");
});

test("pages reflow at 320 pixels wide", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const survey = new SurveyPages(page);
  await survey.open();
  await survey.start();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["No"]);
  await survey.expectQuestion("Why have you not used the council's online services?");
  await survey.checked("multiple choice at 320px");
});
