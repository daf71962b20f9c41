import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

// A page printed to PDF in Chromium and read back with pdftotext, as a resident reads the paper.

/** Text as read out of a PDF: ligatures and curly apostrophes as typed, one space between words. */
export function plain(text: string): string {
  return text.normalize("NFKC").replace(/[’‘]/g, "'").replace(/\s+/g, " ").trim();
}

export async function printedText(page: Page, name: string): Promise<string> {
  const path = test.info().outputPath(`${name}.pdf`);
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  return plain(execFileSync("pdftotext", [path, "-"], { encoding: "utf8" }));
}

/** Every piece of `expected` appears in `text`, in order. */
export function expectInOrder(text: string, expected: string[]) {
  let at = 0;
  for (const piece of expected) {
    const found = text.indexOf(plain(piece), at);
    expect(found, `“${piece}” after position ${at} of the printed form`).toBeGreaterThanOrEqual(0);
    at = found + plain(piece).length;
  }
}

