import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The server under test is the real binary (built by `cargo leptos build`) on a fresh SQLite file.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const bin = process.env.INCLUSION_SURVEY_BIN ?? "../target/debug/inclusion-survey";
const database = join(mkdtempSync(join(tmpdir(), "inclusion-survey-e2e-")), "e2e.sqlite3");

// A small phone: residents mostly come from council text messages on their phones.
const phone = {
  viewport: { width: 375, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "phone-js-off", use: { ...phone, javaScriptEnabled: false } },
    { name: "phone-js-on", use: { ...phone, javaScriptEnabled: true } },
  ],
  webServer: {
    // One staff account (admin and officer), made the way a council makes its first admin.
    command: `${bin} admin create --email e2e@council.gov.uk --name "Dee Officer" --role admin --role officer && exec ${bin}`,
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: `sqlite:${database}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? "../target/site",
      RUST_LOG: "warn",
      // Every test comes from one address, faster than any library full of residents; the limit
      // itself is tested in tests/save_and_return.rs.
      RESIDENT_WRITES_PER_MINUTE: "600",
      INCLUSION_SURVEY_PASSWORD: "correct horse battery staple",
    },
  },
});
