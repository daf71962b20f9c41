import { type Browser, expect, test, type TestInfo } from "@playwright/test";
import { expectNoAxeViolations, SurveyPages } from "./survey-page";
import { chooseRadio, publishAndOpen, signIn, tabTo } from "./staff-helpers";

// Staff pages are used with the keyboard alone: these journeys never click.

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

test("an officer types up a paper form with the keyboard alone", async ({ page }, info) => {
  
  await signIn(page);
  await tabTo(page, page.getByRole("link", { name: "Take a survey with a resident" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Take a survey with a resident");
  await expectNoAxeViolations(page, "assist set-up");
  await chooseRadio(page, page.getByRole("group", { name: "How are you taking it?" }), "From a paper form");
  await chooseRadio(page, page.getByRole("group", { name: "Where are you?" }), "Library outreach");
  await tabTo(page, page.getByRole("button", { name: "Type up a paper form" }));
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Type up a paper form");
  await expectNoAxeViolations(page, "fast entry");
  await chooseRadio(page, page.getByRole("group", { name: /^1\. Have you used/ }), "No");
  const why = page.getByRole("group", { name: /^4\. Why have you not used/ });
  await tabTo(page, why.getByLabel("I do not have the internet"));
  await page.keyboard.press("Space");
  await tabTo(page, why.getByLabel("The internet or mobile data costs too much"));
  await page.keyboard.press("Space");
  await chooseRadio(page, page.getByRole("group", { name: /^7\. How confident/ }), "A little confident");
  await tabTo(page, page.getByLabel("13. Is there anything else you want to tell us?"));
  await page.keyboard.type("Typed up from the paper form at the library.");
  await tabTo(page, page.getByRole("button", { name: "Check answers" }));
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before sending them");
  await expect(page.getByText("The internet or mobile data costs too much")).toBeVisible();
  await expectNoAxeViolations(page, "check answers (officer)");
  await tabTo(page, page.getByRole("button", { name: "Send answers" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you, your answers have been sent");
  const reference = (await page.locator(".reference").textContent()) ?? "";

  await tabTo(page, page.getByRole("link", { name: "Record the help you gave" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Help given for ${reference}`);
  await expectNoAxeViolations(page, "help given");
  await tabTo(page, page.getByLabel("Booked a digital skills session"));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Save help given" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("cell", { name: reference, exact: true })).toBeVisible();
  await page.screenshot({ path: info.outputPath("assist.png"), fullPage: true });
});

test("staff pages pass axe with JavaScript off and on", async ({ page }, info) => {
  await signIn(page);
  for (const [path, heading] of [
    ["/staff/assist", "Take a survey with a resident"],
    ["/staff/users", "Staff accounts"],
    ["/staff/lists", "Locations and help"],
    ["/staff/audit", "Audit log"],
    ["/staff/users/1/password", "New password for Dee Officer"],
    ["/staff/surveys/digital-inclusion", "Using the council's online services"],
    ["/staff/surveys/digital-inclusion?publishable=1&channel=paper", "Using the council's online services"],
    ["/staff/surveys/digital-inclusion?compare=used_online&by=age_band", "Using the council's online services"],
    ["/staff/surveys/digital-inclusion/text/comments", "Is there anything else you want to tell us?"],
    ["/staff/findings", "Survey findings"],
    ["/staff/action-plan", "Action plan"],
    ["/staff/contacts", "Residents to contact"],
    ["/staff/responses?reference=ZZZZ2222", "Find a response"],
    ["/staff/surveys/digital-inclusion/privacy", "Privacy and retention"],
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectNoAxeViolations(page, path);
  }
  // An admin form with errors.
  await page.goto("/staff/users");
  await page.getByRole("button", { name: "Add account" }).click();
  await expect(page).toHaveTitle(/^Error: Staff accounts/);
  await expect(page.locator(".error-summary")).toContainText("Enter a name");
  await page.screenshot({ path: info.outputPath("users-error.png"), fullPage: true });
  // The JS-off copy of this page for axe is the GET version; the error version is checked when JS is on.
  if (info.project.use.javaScriptEnabled !== false) await expectNoAxeViolations(page, "users with errors");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
});

test("staff download responses as CSV and import them again", async ({ page }) => {
  await signIn(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download every response (CSV)" }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^digital-inclusion-responses-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const text = readFileSync(path, "utf8");
  expect(text.startsWith("\uFEFFreference,submitted_at,survey_version,channel,location,officer,language,used_online")).toBe(true);
  const rows = text.trim().split("\n").length - 1;

  await page.goto("/staff");
  await page.getByRole("link", { name: "Import responses typed up elsewhere" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import responses");
  await expectNoAxeViolations(page, "import");
  await page.getByLabel("CSV file").setInputFiles(path);
  await page.getByRole("button", { name: "Check and import" }).click();
  // Every row in the file is already here: importing it again changes nothing.
  await expect(page.getByRole("status")).toContainText(`Imported 0 responses. ${rows} were already here`);
});

test("an analyst's finding from the dashboard backs an action, graded progress reaches the printed report", async ({ page }, info) => {
  const project = info.project.name;
  await signIn(page);

  // A finding from the results page, with the filters in force.
  await page.goto("/staff/surveys/digital-inclusion");
  const question = page.locator("section.result").filter({ has: page.getByRole("heading", { name: /^Have you used/ }) });
  await question.getByText("Save a figure from this question as a finding").click();
  await question.getByLabel("Answer", { exact: true }).selectOption({ label: "No" });
  const wording = `Residents who have not used online services (${project})`;
  await question.getByLabel("Wording (optional)").fill(wording);
  await question.getByLabel("The plan's target for this figure, in percent (optional)").fill("20");
  await question.getByLabel("By when (optional)").fill("March 2028");
  await question.getByRole("button", { name: "Save as a finding" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Survey findings");
  await expect(page.getByRole("status")).toContainText("Finding saved");
  await expect(page.getByRole("link", { name: wording })).toBeVisible();
  await expectNoAxeViolations(page, "findings");

  // A plan, a recommendation and an action linked to the finding.
  await page.goto("/staff/action-plan");
  await page.getByLabel("Title").fill(`Digital inclusion plan (${project})`);
  await page.getByLabel("Council year it starts").fill("2026");
  await page.getByRole("button", { name: "Start plan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Digital inclusion plan (${project}) 2026/27`);
  await page.getByLabel("Recommendation").fill("Reach residents who have never used the council's online services");
  await page.getByRole("button", { name: "Add recommendation" }).click();
  await page.getByRole("link", { name: "Add an action to recommendation 1" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add an action");
  await expectNoAxeViolations(page, "add an action");
  await page.getByLabel("Agreed action").fill("Free tablet loans from every library, with a first session booked");
  await page.getByLabel("Responsibility").fill("Libraries team");
  await page.getByLabel("Target date").fill("2027-03-31");
  await page.getByLabel("Success measure").fill("200 loans, and fewer residents saying they have no device");
  await page.getByLabel("access").check();
  await page.getByLabel(wording).check();
  await page.getByRole("button", { name: "Save action" }).click();
  await expect(page.getByRole("status")).toHaveText("Action saved.");
  await expect(page.getByRole("link", { name: wording })).toBeVisible();

  // Graded progress.
  await page.getByLabel("Evidence of progress").fill("Loans running at two of three libraries");
  await page.getByLabel("2 On-Track").check();
  await page.getByRole("button", { name: "Save progress" }).click();
  await expect(page.getByRole("status")).toHaveText("Progress saved.");
  await expect(page.getByRole("cell", { name: "Loans running at two of three libraries" })).toBeVisible();
  await expectNoAxeViolations(page, "action");

  // The committee report, printable on A4.
  await page.getByRole("link", { name: "Back" }).click();
  await page.getByRole("link", { name: "Progress report for committee" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Digital inclusion plan (${project}) 2026/27: progress report`);
  const report = page.getByRole("region", { name: "Progress against each action" });
  await expect(report.getByRole("cell", { name: "2 On-Track" })).toBeVisible();
  await expect(report.getByRole("cell", { name: "Libraries team" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Survey findings, with today's figures" })).toContainText(wording);
  await expect(page.getByRole("region", { name: "Survey findings, with today's figures" })).toContainText("20% by March 2028");
  await expectNoAxeViolations(page, "report");
  await page.screenshot({ path: info.outputPath("report.png"), fullPage: true });
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".header")).toBeHidden();
  await page.setViewportSize({ width: 1123, height: 794 });
  await page.screenshot({ path: info.outputPath("report-print.png"), fullPage: true });
  await page.pdf({ path: info.outputPath("report.pdf"), format: "A4", landscape: true });
});

test("an admin adds a survey from a file, previews it, publishes and opens it, then closes it", async ({ page }, info) => {
  const slug = `library-exit-${info.project.name}`;
  const definition = [
    `id = "${slug}"`,
    `title = "After your library session"`,
    "minutes = 1",
    "",
    "[[questions]]",
    'id = "helped"',
    'type = "single"',
    `text = "Did today's session help?"`,
    "required = true",
    'options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No", barriers = ["skills"] }]',
    "",
    "[signposting]",
    'general = "Sessions run every Tuesday at the central library."',
  ].join("\n");
  const { writeFileSync } = await import("node:fs");
  const file = info.outputPath(`${slug}.toml`);
  writeFileSync(file, definition);

  await signIn(page);
  await page.goto("/staff/surveys");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Surveys");
  await expectNoAxeViolations(page, "surveys");
  await page.getByLabel("Definition file").setInputFiles(file);
  await page.getByRole("button", { name: "Check and add" }).click();
  await expect(page.getByRole("status")).toContainText("Survey added");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("After your library session");
  await expectNoAxeViolations(page, "manage survey");

  // Preview the draft as residents will see it: nothing is stored.
  await page.getByRole("link", { name: "Preview the draft" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Did today's session help?");
  await expect(page.locator(".banner")).toContainText("nothing is saved");
  await expectNoAxeViolations(page, "preview");
  await page.goto(`/staff/surveys/${slug}/draft/questions/helped`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Question helped");
  await expectNoAxeViolations(page, "question editor");
  await page.goto(`/staff/surveys/${slug}/draft`);
  await expectNoAxeViolations(page, "draft editor");

  await publishAndOpen(page, slug);

  await page.goto(`/s/${slug}`);
  await page.getByRole("button", { name: "Start now" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Did today's session help?");

  await page.goto(`/staff/surveys/${slug}/manage`);
  await page.getByLabel("Closed: residents see a page saying so").check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.context().clearCookies();
  await page.goto(`/s/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This survey has closed");
  await expect(page.getByText("Sessions run every Tuesday at the central library.")).toBeVisible();
  await expectNoAxeViolations(page, "closed survey");
  await page.screenshot({ path: info.outputPath("closed.png"), fullPage: true });
});

test("the results say how sure each figure is and who is still missing", async ({ page }, info) => {
  await signIn(page);
  await page.goto("/staff/surveys/digital-inclusion/population");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Population");
  await expectNoAxeViolations(page, "population");
  const bands = ["16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"];
  const csv = "question,option,population\n" + bands.map((b, i) => `age_band,${b},${1000 + i * 500}`).join("\n") + "\n";
  await page.getByLabel("Population file").setInputFiles({ name: "ages.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByRole("status")).toContainText("The population figures are saved");
  await expectNoAxeViolations(page, "population saved");

  await page.goto("/staff/surveys/digital-inclusion");
  await expect(page.getByRole("heading", { name: "How sure these figures are" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "95% interval, quality" }).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Who is still missing" })).toBeVisible();
  await expectNoAxeViolations(page, "results with intervals and who is missing");
  const used = page.locator("section.result").first();
  await used.screenshot({ path: info.outputPath("result-375.png") });
  await page.getByRole("heading", { name: "Who is still missing" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("missing-375.png") });
  await page.setViewportSize({ width: 1280, height: 900 });
  await used.screenshot({ path: info.outputPath("result-laptop.png") });
});

/** A resident, in a browser of their own, who starts the survey and has not used the services. */
async function residentWhoHasNotUsedThem(browser: Browser, info: TestInfo): Promise<SurveyPages> {
  const resident = await (await browser.newContext({ ...info.project.use })).newPage();
  const survey = new SurveyPages(resident);
  await survey.open();
  await survey.start();
  await survey.answer("Have you used any of the council's online services in the last 12 months?", ["No"]);
  return survey;
}

test("the results are weighted to the borough, set against the country, and compared over time", async ({ page, browser }, info) => {
  // One resident answers the national questions and their age.
  const survey = await residentWhoHasNotUsedThem(browser, info);
  await survey.continue();
  await survey.answer("When did you last use the internet?", ["In the last 3 months"]);
  await survey.continue();
  await survey.continue();
  await survey.answer("Which of these can you do by yourself?", ["Connect to a wifi network", "Change a password when asked to"]);
  await survey.continue();
  await survey.answer("How old are you?", ["25 to 34"]);
  for (let i = 0; i < 3; i++) await survey.continue();
  await survey.send();
  await survey.reference();

  await signIn(page);
  await page.goto("/staff/surveys/digital-inclusion/population");
  const bands = ["16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"];
  const csv = "question,option,population\n" + bands.map((b, i) => `age_band,${b},${1000 + i * 500}`).join("\n") + "\n";
  await page.getByLabel("Population file").setInputFiles({ name: "ages.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await tabTo(page, page.getByRole("button", { name: "Check and save" }));
  await page.keyboard.press("Enter");
  // The keyboard lands on the answer chosen so far: from "No", one arrow up chooses "Yes".
  const weigh = page.getByRole("group", { name: "Weight the results to these figures?" });
  const yes = weigh.getByLabel("Yes: show weighted figures beside the unweighted ones");
  if (!(await yes.isChecked())) {
    await tabTo(page, weigh.getByLabel("No: show the answers as they came"));
    await page.keyboard.press("ArrowUp");
  }
  await expect(yes).toBeChecked();
  await page.getByLabel("Smallest weight, as a multiple of the average").fill("0.3");
  await page.getByLabel("Largest weight, as a multiple of the average").fill("3");
  await tabTo(page, page.getByRole("button", { name: "Save weighting" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("The weighting is saved");
  await expectNoAxeViolations(page, "weighting saved");

  await page.goto("/staff/surveys/digital-inclusion");
  await expect(page.getByRole("heading", { name: "Weighted to the borough" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Percent, weighted" }).first()).toBeVisible();
  const country = page.getByRole("heading", { name: "Compared with the country" });
  await expect(country).toBeVisible();
  await expect(page.getByRole("cell", { name: /Can do all 8 Foundation digital tasks/ })).toBeVisible();
  await expectNoAxeViolations(page, "weighted results against the country");
  await page.getByRole("heading", { name: "Weighted to the borough" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("weighted-375.png") });
  await country.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("country-375.png") });

  await tabTo(page, page.getByRole("link", { name: "Compare two periods or versions: change over time" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change over time");
  await page.getByLabel("Question or measure").selectOption("used_online");
  await page.getByLabel("Then: to").fill("2025-01-01");
  await page.getByLabel("Now: from").fill("2025-01-02");
  await tabTo(page, page.getByRole("button", { name: "Compare" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("table", { name: "Change over time" })).toBeVisible();
  await expectNoAxeViolations(page, "change over time");
  await page.screenshot({ path: info.outputPath("change-375.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/staff/surveys/digital-inclusion");
  await country.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("country-laptop.png") });
});

test("an admin puts the results on a ward map and keeps the national figures up to date", async ({ page, browser }, info) => {
  // A resident from Newtown, who skips what they like.
  const survey = await residentWhoHasNotUsedThem(browser, info);
  for (let i = 0; i < 7; i++) await survey.continue();
  await survey.answer("Which area do you live in?", ["Newtown"]);
  for (let i = 0; i < 2; i++) await survey.continue();
  await survey.send();
  await survey.reference();

  await signIn(page);
  await page.goto("/staff/surveys/digital-inclusion");
  await tabTo(page, page.getByRole("link", { name: "Map by area" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Map by area");
  await page.getByLabel("Ward boundaries file").setInputFiles("../tests/fixtures/wards.geojson");
  await tabTo(page, page.getByRole("button", { name: "Check and save" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("The ward boundaries are saved");
  const map = page.getByRole("img", { name: /^Map: / });
  await expect(map).toBeVisible();
  await expect(page.getByRole("table", { name: /^Figures: / })).toContainText("Newtown");
  await expectNoAxeViolations(page, "ward map");
  await expect(page.getByRole("row", { name: /Newtown/ })).not.toContainText("No answers");
  await page.locator(".map").screenshot({ path: info.outputPath("map-375.png") });

  // One answer's share by ward, as it would be published.
  await tabTo(page, page.getByLabel("Show on the map"));
  await page.getByLabel("Show on the map").selectOption("used_online.no");
  await tabTo(page, page.getByLabel(/For publishing/));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Show", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2 }).first()).toContainText("Have you used any of the council's online services");
  await expect(page.getByRole("columnheader", { name: "95% interval, quality" })).toBeVisible();
  await expectNoAxeViolations(page, "an answer by ward, publishable");
  await expect(page.getByRole("row", { name: /Newtown/ })).toContainText("Held back");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: info.outputPath("map-laptop.png"), fullPage: true });
  await page.setViewportSize({ width: 375, height: 740 });

  // A national measure by ward, for the staff (not for publishing).
  await tabTo(page, page.getByLabel("Show on the map"));
  await page.getByLabel("Show on the map").selectOption("measure.eds_foundation");
  await tabTo(page, page.getByLabel(/For publishing/));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Show", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2 }).first()).toContainText("Can do all 8 Foundation digital tasks by themselves (Essential Digital Skills framework, Foundation level, 2022)");
  await expectNoAxeViolations(page, "a national measure by ward");
  await page.screenshot({ path: info.outputPath("map-measure-375.png"), fullPage: true });

  await page.goto("/staff");
  await tabTo(page, page.getByRole("link", { name: "National figures" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("National figures");
  const csv = "measure,population,year,figure,base,source\neds_foundation,UK adults,2024,83,4010,https://example.org/eds\n";
  await page.getByLabel("National figures file").setInputFiles({ name: "national.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await tabTo(page, page.getByRole("button", { name: "Check and save" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("saved as a new version");
  await expect(page.getByText(/^In use: Version \d+, uploaded on/)).toBeVisible();
  await expectNoAxeViolations(page, "national figures");
  await page.screenshot({ path: info.outputPath("national-375.png"), fullPage: true });
});

test("an admin brings in a real XLSForm as a draft and reads what it did not keep", async ({ page }, info) => {
  // The ODK pizza tutorial, named for this run: a form without an id takes its file's name.
  const { copyFileSync } = await import("node:fs");
  const file = info.outputPath(`pizza-${info.project.name}.xlsx`);
  copyFileSync("../tests/fixtures/xlsforms/pizza_tutorial.xlsx", file);

  await signIn(page);
  await page.goto("/staff/surveys");
  await page.getByLabel("Definition file").setInputFiles(file);
  await tabTo(page, page.getByRole("button", { name: "Check and add" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Survey added");
  const notKept = page.locator(".inset", { hasText: "What the uploaded form had that the draft does not keep" });
  await expect(notKept).toContainText("locations are not asked here: the question location was left out");
  await expect(notKept).toContainText("its address here is pizza-" + info.project.name + ", made from its file's name");
  await expectNoAxeViolations(page, "a draft from an XLSForm, with what it did not keep");
  await notKept.screenshot({ path: info.outputPath("not-kept-375.png") });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: info.outputPath("not-kept-laptop.png"), fullPage: true });
});

test("an admin says which language a form's column names in a way the service cannot place", async ({ page }, info) => {
  // A real form in Tetun, headed `label::Tetun`: no ISO 639 name the service can look up.
  const { copyFileSync } = await import("node:fs");
  const file = info.outputPath(`tetun-${info.project.name}.xlsx`);
  copyFileSync("../tests/fixtures/xlsforms/tetun_unicode_relevant.xlsx", file);

  await signIn(page);
  await page.goto("/staff/surveys");
  await page.getByLabel("Definition file").setInputFiles(file);
  await tabTo(page, page.getByRole("button", { name: "Check and add" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Survey added");
  await expect(page.locator(".inset").first()).toContainText("the draft's page asks which language it is");
  await page.getByRole("link", { name: "Edit the draft" }).click();

  const box = page.getByLabel("Which language is “Tetun”?");
  await expect(box).toBeVisible();
  await expectNoAxeViolations(page, "a draft with a language to name");
  await page.screenshot({ path: info.outputPath("name-language-375.png"), fullPage: true });
  await tabTo(page, box);
  await page.keyboard.type("Tetunish");
  await page.keyboard.press("Enter");
  await expect(page.locator(".error-summary")).toContainText("Enter which language it is");
  await expectNoAxeViolations(page, "naming a language, refused");
  await tabTo(page, page.getByLabel("Which language is “Tetun”?"));
  await page.keyboard.type("tet");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Languages to name")).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "Tetun (tet)" })).toBeVisible();
});
