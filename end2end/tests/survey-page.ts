import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/** The resident survey, as a person uses it: by what they can see and read. */
export class SurveyPages {
  constructor(readonly page: Page, readonly slug = "digital-inclusion") {}

  async open() {
    await this.page.goto(`/s/${this.slug}`);
    await this.checked("start page");
  }

  async start() {
    await this.page.getByRole("button", { name: "Start now" }).click();
  }

  async expectQuestion(text: string) {
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(text);
  }

  /** Ticks or selects each answer by its label, then continues. */
  async answer(question: string, labels: string[]) {
    await this.expectQuestion(question);
    await this.checked(question);
    for (const label of labels) {
      await this.page.getByLabel(label, { exact: true }).check();
    }
    await this.continue();
  }

  async write(question: string, text: string) {
    await this.page.getByLabel(question).fill(text);
    await this.continue();
  }

  async continue() {
    await this.page.getByRole("button", { name: "Continue" }).click();
  }

  async send() {
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Check your answers before sending them");
    await this.checked("check answers");
    await this.page.getByRole("button", { name: "Send answers" }).click();
  }

  async reference(): Promise<string> {
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Thank you, your answers have been sent");
    await this.checked("confirmation");
    const reference = (await this.page.locator(".reference").textContent()) ?? "";
    expect(reference).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    return reference;
  }

  /** Every page: title, one h1, no script shipped, no sideways scrolling on a phone, and axe. */
  async checked(what: string) {
    const page = this.page;
    await expect(page.locator("h1"), what).toHaveCount(1);
    await expect(page, what).toHaveTitle(/Example Borough Council$/);
    await expect(page.locator("script"), `${what}: resident pages ship no JavaScript`).toHaveCount(0);
    await expectNoAxeViolations(page, what);
  }
}

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * axe needs JavaScript. With JavaScript off, the same page (same URL and cookies) is opened in a
 * second, JavaScript-enabled context and checked there; pages are plain GETs, so it is the same page.
 */
export async function expectNoAxeViolations(page: Page, what: string) {
  const jsOn = test.info().project.use.javaScriptEnabled !== false;
  let target = page;
  let cleanup = async () => {};
  if (!jsOn) {
    const browser = page.context().browser()!;
    const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined, javaScriptEnabled: true });
    await context.addCookies(await page.context().cookies());
    target = await context.newPage();
    await target.goto(page.url());
    cleanup = () => context.close();
  }
  const results = await new AxeBuilder({ page: target }).withTags(WCAG).analyze();
  const overflow = await target.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  await cleanup();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), what).toEqual([]);
  expect(overflow, `${what}: no horizontal scrolling`).toBe(false);
}
