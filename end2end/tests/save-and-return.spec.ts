import { expect, test } from "@playwright/test";
import { SurveyPages } from "./survey-page";

// A resident starts at the library, saves, and finishes at home; the library computer keeps nothing.

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

test("a resident saves at the library and finishes on another device", async ({ page, browser }, info) => {
  const library = new SurveyPages(page);
  await library.open();
  await library.start();
  await library.answer("Have you used any of the council's online services in the last 12 months?", ["No"]);
  await library.answer("Why have you not used the council's online services?", ["I am worried about scams or my details being stolen"]);
  await library.answer("When did you last use the internet?", ["I have never used the internet"]);
  await library.answer("How do you go online?", ["I do not go online"]);
  await library.expectQuestion("How confident do you feel using the internet?");
  await page.getByRole("button", { name: "Save and come back later" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your answers are saved");
  await library.checked("saved, with the return code");
  await expect(page.getByText(/It works until \d{1,2} \w+ 20\d\d/)).toBeVisible();
  const code = (await page.locator(".reference").textContent()) ?? "";
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  await page.screenshot({ path: info.outputPath("return-code.png"), fullPage: true });

  // The next person at the library computer starts afresh.
  await library.open();
  await expect(page.getByRole("button", { name: "Start now" })).toBeVisible();
  await expect(page.getByText("Continue where you left off")).toHaveCount(0);

  // At home: a new browser, the code typed as it was written down.
  const home = await browser.newContext({ ...info.project.use });
  const again = new SurveyPages(await home.newPage());
  await again.open();
  await again.page.getByRole("link", { name: "Continue with your return code" }).click();
  await expect(again.page.getByRole("heading", { level: 1 })).toHaveText("Continue with your return code");
  await again.checked("return code form");
  await again.page.getByLabel("Your return code").fill("kdp7");
  await again.continue();
  await expect(again.page.locator(".error-summary")).toContainText("8 letters and numbers");
  await again.checked("return code with an error");
  await again.page.getByLabel("Your return code").fill(code.toLowerCase().replace("-", " "));
  await again.continue();

  await again.expectQuestion("How confident do you feel using the internet?");
  await expect(again.page.getByText("Welcome back")).toBeVisible();
  await again.checked("welcome back");
  await again.page.screenshot({ path: info.outputPath("welcome-back.png"), fullPage: true });
  await again.answer("How confident do you feel using the internet?", ["Not at all confident"]);
  for (let i = 0; i < 6; i++) await again.continue();
  await expect(again.page.getByText("I am worried about scams or my details being stolen")).toBeVisible();
  await again.send();
  const reference = await again.reference();

  // Coming back to the confirmation shows no reference, and no help chosen from the answers.
  await again.page.goto("/s/digital-inclusion/done");
  await expect(again.page.getByRole("heading", { level: 1 })).toHaveText("These answers have been sent");
  await expect(again.page.getByText(reference)).toHaveCount(0);
  await again.checked("confirmation seen again");
  await home.close();
});
