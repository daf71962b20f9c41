import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { expectNoAxeViolations } from "./survey-page";
import { chooseRadio, hydrated, openSession, press, signIn, tabTo } from "./staff-helpers";

// Outreach with no connection: the officer opens the page online, the device then keeps working
// offline (a service worker serves the page, IndexedDB keeps the entries), and the entries are
// sent when the connection returns. Keyboard alone, as on every staff page.


const ENGLISH = { first: /Have you used/, no: "No", why: /Why have you not used/ };
const WELSH = { first: /Ydych chi wedi defnyddio/, no: "Nac ydw", why: /Pam nad ydych chi wedi defnyddio/ };

/** One entry: "No" to the first question, an answer to the second, every other question left. */
async function enterOne(page: Page, why: string, fixFirst = false, words = ENGLISH) {
  await press(page, "Start a new entry");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(words.first);
  if (fixFirst) {
    // Continue with the required first question unanswered: the same message the server gives.
    await press(page, "Continue");
    await expect(page.getByRole("alert")).toContainText("There is a problem");
    await expectNoAxeViolations(page, "outreach question with an error");
  }
  await chooseRadio(page, page.getByRole("group", { name: words.first }), words.no);
  await press(page, "Continue");
  const reasons = page.getByRole("group", { name: words.why });
  await expect(reasons).toBeVisible();
  await tabTo(page, reasons.getByLabel(why));
  await page.keyboard.press("Space");
  await press(page, "Continue");
  for (let i = 0; i < 12; i++) {
    if ((await page.getByRole("heading", { level: 1 }).textContent()) === "Check the answers") break;
    await press(page, "Continue");
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check the answers");
  await expect(page.getByText(why)).toBeVisible();
  await press(page, "Save this entry");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Outreach entries");
}

/** The entries kept on the device, as IndexedDB has them. */
type Kept = { id: string; officer: string; entry: { id: string; officer_id: number; location_id: number; taken_at: number; answers: [string, string][] } };

async function keptEntries(page: Page): Promise<Kept[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("inclusion-survey-outreach");
        open.onsuccess = () => {
          const all = open.result.transaction("entries").objectStore("entries").getAll();
          all.onsuccess = () => resolve(all.result);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

/** Writes entries into the device's store, as someone with the tablet could. */
async function putKept(page: Page, entries: Kept[]) {
  await page.evaluate(
    (entries) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("inclusion-survey-outreach");
        open.onsuccess = () => {
          const tx = open.result.transaction("entries", "readwrite");
          for (const kept of entries) tx.objectStore("entries").put(kept);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    entries,
  );
}

test("an officer takes three surveys offline and they are sent when the connection returns", async ({ page, context }, info) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, "offline entry runs on the device");
  await signIn(page);
  await tabTo(page, page.getByRole("link", { name: "Outreach with no connection" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Outreach with no connection");
  await expectNoAxeViolations(page, "outreach set-up");
  await chooseRadio(page, page.getByRole("group", { name: "Where are you?" }), "Library outreach");
  await press(page, "Start the outreach session");
  await hydrated(page);
  await expect(page.getByRole("status")).toContainText("0 entries are waiting to be sent");
  // The service worker is in charge once it is ready; the next load is kept for offline use.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await hydrated(page);
  await expectNoAxeViolations(page, "outreach online");

  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("status")).toContainText("No connection");
  await expectNoAxeViolations(page, "outreach offline");

  await enterOne(page, "The internet or mobile data costs too much", true);
  await enterOne(page, "I do not have the internet");
  // The third in Welsh: the questions change language, the officer's own words do not.
  await tabTo(page, page.getByLabel("Language of the next entry"));
  await page.keyboard.type("C");
  await expect(page.getByLabel("Language of the next entry")).toHaveValue("1");
  await enterOne(page, "Rwy'n poeni am sgamiau neu am fy manylion yn cael eu dwyn", false, WELSH);
  await expect(page.getByRole("status")).toContainText("3 entries are waiting to be sent");
  await page.screenshot({ path: info.outputPath("outreach-offline.png"), fullPage: true });

  // Closed and opened again with no connection: the entries are still there.
  const url = page.url();
  await page.close();
  const again = await context.newPage();
  await again.goto(url);
  await hydrated(again);
  await expect(again.getByRole("status")).toContainText("3 entries are waiting to be sent");

  // The connection returns: they are sent without being asked.
  await context.setOffline(false);
  await expect(again.getByRole("status")).toContainText("0 entries are waiting to be sent", { timeout: 15_000 });
  await expect(again.getByRole("status")).toContainText("Last sent:");

  // The results count them as outreach, at the library, taken by this officer.
  await again.goto("/staff/assist");
  await expect(again.getByRole("heading", { level: 1 })).toHaveText("Take a survey with a resident");
  const location = await again.getByLabel("Library outreach").getAttribute("value");
  await again.goto(`/staff/surveys/digital-inclusion?channel=outreach&location=${location}`);
  await expect(again.getByText("3 people answered")).toBeVisible();
  await again.goto(`/staff/surveys/digital-inclusion?channel=outreach&language=cy`);
  await expect(again.getByText("1 person answered")).toBeVisible();
});

test("an entry the service refuses stays on the device with the reason until it is discarded", async ({ page, context }) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, "offline entry runs on the device");
  await openSession(page);
  await context.setOffline(true);
  await enterOne(page, "I do not have the internet");
  await enterOne(page, "The internet or mobile data costs too much");
  // Someone changes a kept entry on the device: an answer the survey does not have.
  const [oldest] = (await keptEntries(page)).sort((a, b) => a.entry.taken_at - b.entry.taken_at);
  oldest.entry.answers[0][1] = "sometimes";
  await putKept(page, [oldest]);
  await page.reload();
  await hydrated(page);
  await context.setOffline(false);
  await expect(page.getByRole("heading", { name: "Entries the service could not accept" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Question 1: Select one of the answers shown")).toBeVisible();
  await expect(page.getByRole("status")).toContainText("0 entries are waiting to be sent");
  await expectNoAxeViolations(page, "outreach with a refused entry");

  // Still there after a reload: nothing disappears without the officer saying so.
  await page.reload();
  await hydrated(page);
  await expect(page.getByText("Question 1: Select one of the answers shown")).toBeVisible();
  page.once("dialog", (dialog) => dialog.accept());
  await press(page, "Discard this entry");
  await expect(page.getByRole("heading", { name: "Entries the service could not accept" })).toHaveCount(0);
  // Removing what waits on a lost or shared tablet: see the shared tablet test below.
});

test("an entry refused for its place is sent again once the officer changes the place", async ({ page, context }) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, "offline entry runs on the device");
  await openSession(page);
  await context.setOffline(true);
  await enterOne(page, "I do not have the internet");
  // The place the entry was taken at is not one the council has (a wrong session, say).
  const [kept] = await keptEntries(page);
  kept.entry.location_id = 987654;
  await putKept(page, [kept]);
  await page.reload();
  await hydrated(page);
  await context.setOffline(false);
  await expect(page.getByText("Its location is not one of the council's locations.")).toBeVisible({ timeout: 15_000 });
  await expectNoAxeViolations(page, "outreach with an entry refused for its place");
  const place = page.getByLabel("Where it was taken");
  await tabTo(page, place);
  await page.keyboard.type("Library outreach");
  await expect(place.locator("option:checked")).toHaveText("Library outreach");
  await press(page, "Send with this place");
  await expect(page.getByRole("heading", { name: "Entries the service could not accept" })).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole("status")).toContainText("0 entries are waiting to be sent");
  expect(await keptEntries(page)).toEqual([]);
});

test("on a shared tablet each officer removes only their own entries, and signing out leaves nothing of theirs", async ({ page, context }) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, "offline entry runs on the device");
  await openSession(page);
  await context.setOffline(true);
  await enterOne(page, "I do not have the internet");
  // Another officer's entry left waiting on the tablet: a copy of this one, as theirs.
  const [mine] = await keptEntries(page);
  const id = randomUUID();
  await putKept(page, [{ ...mine, id, officer: "Sam Officer", entry: { ...mine.entry, id, officer_id: mine.entry.officer_id + 1000 } }]);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("status")).toContainText("1 entry is waiting to be sent");
  await expect(page.getByText("1 entry taken by Sam Officer waits on this device until they sign in here.")).toBeVisible();

  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    dialog.accept();
  });
  await press(page, "Remove your unsent entries from this device");
  await expect(page.getByText("1 unsent entry removed from this device.")).toBeVisible();
  expect(asked).toContain("Remove your 1 unsent entry from this device?");
  await expect(page.getByText("1 entry taken by Sam Officer waits on this device")).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove your unsent entries from this device" })).toHaveCount(0);
  expect((await keptEntries(page)).map((k) => k.officer)).toEqual(["Sam Officer"]);

  // Signing out forgets the kept page (the officer's name and form token): offline, the outreach
  // page is no longer there for the next person. Sam's entry still waits.
  await context.setOffline(false);
  expect(await page.evaluate(() => caches.open("inclusion-survey-outreach-v1").then((c) => c.match("/staff/outreach?kept")).then(Boolean))).toBe(true);
  await press(page, "Sign out");
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Outreach entries");
  expect(await page.evaluate(() => caches.open("inclusion-survey-outreach-v1").then((c) => c.match("/staff/outreach?kept")).then(Boolean))).toBe(false);
  expect((await keptEntries(page)).map((k) => k.officer)).toEqual(["Sam Officer"]);
  await context.setOffline(true);
  await expect(page.goto("/staff/outreach")).rejects.toThrow();
  await context.setOffline(false);
});

test("with JavaScript off the outreach page says what to use instead", async ({ page }) => {
  test.skip(test.info().project.use.javaScriptEnabled !== false, "the no-script message");
  await signIn(page);
  await page.goto("/staff/outreach");
  await expect(page.getByText("It needs JavaScript")).toBeVisible();
  await page.getByLabel("Library outreach").check();
  await page.getByRole("button", { name: "Start the outreach session" }).click();
  await expect(page.getByRole("status")).toContainText("If this message stays, this browser has JavaScript turned off");
  await expect(page.getByRole("button", { name: "Start a new entry" })).toHaveCount(0);
  await expectNoAxeViolations(page, "outreach with JavaScript off");
});

/**
 * A question's form group as a reader meets it: each element with its classes, the attributes
 * that matter and its own text; the caption above the heading is left out (a section on the
 * resident's page, "Question 5 of 12" on the device).
 */
async function questionMarkup(page: Page): Promise<string[]> {
  return page
    .locator(".form-group")
    .first()
    .evaluate((group) => {
      const kept = ["type", "name", "value", "id", "for", "src", "alt", "aria-describedby"];
      const lines: string[] = [];
      const walk = (el: Element) => {
        if ([...el.classList].some((c) => c.startsWith("caption"))) return;
        const attributes = kept.filter((a) => el.hasAttribute(a)).map((a) => `${a}=${el.getAttribute(a)}`);
        const text = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => (n.textContent ?? "").trim())
          .join("");
        lines.push([`${el.tagName.toLowerCase()}.${[...el.classList].sort().join(".")}`, ...attributes, text].filter(Boolean).join(" "));
        for (const child of el.children) walk(child);
      };
      walk(group);
      return lines;
    });
}

test("the device shows a question exactly as the resident's page does, in English and in Easy Read", async ({ page, context }) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, "the device runs with JavaScript");
  // The resident's page for "How do you go online?" (after No, then no internet at home, then
  // the internet use question left).
  const resident = await context.newPage();
  const residentMarkup: Record<string, string[]> = {};
  for (const language of ["English", "Easy Read"]) {
    // A new resident each time, not one with a survey under way.
    await context.clearCookies();
    await resident.goto("/s/digital-inclusion");
    if (language !== "English") await resident.getByRole("link", { name: language }).click();
    await resident.getByRole("button", { name: "Start now" }).click();
    await resident.locator("input[value=no]").check();
    await resident.getByRole("button", { name: "Continue" }).click();
    await resident.locator("input[value=no_internet]").check();
    await resident.getByRole("button", { name: "Continue" }).click();
    // Past "When did you last use the internet?", unanswered.
    await resident.getByRole("button", { name: "Continue" }).click();
    await expect(resident.locator("input[value=none]")).toHaveCount(1);
    residentMarkup[language] = await questionMarkup(resident);
  }
  await resident.close();
  expect(residentMarkup["English"].join("\n")).toContain("div.checkboxes__divider or");
  expect(residentMarkup["Easy Read"].join("\n")).toContain("img.choice__picture src=/pictures/");

  await openSession(page);
  for (const language of ["English", "Easy Read"]) {
    if (language !== "English") {
      await tabTo(page, page.getByLabel("Language of the next entry"));
      await page.keyboard.type("Easy");
      await expect(page.getByLabel("Language of the next entry").locator("option:checked")).toHaveText(language);
    }
    await press(page, "Start a new entry");
    await page.locator("input[value=no]").check();
    await press(page, "Continue");
    await page.locator("input[value=no_internet]").check();
    await press(page, "Continue");
    await press(page, "Continue");
    await expect(page.locator("input[value=none]")).toHaveCount(1);
    expect(await questionMarkup(page), language).toEqual(residentMarkup[language]);
    await expectNoAxeViolations(page, `outreach question in ${language}`);
    // Back to the start without saving.
    for (let i = 0; i < 4; i++) await press(page, "Back");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Outreach entries");
  }
});
