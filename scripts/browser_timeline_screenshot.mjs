// Screenshot of Neo4j Browser rendering a relationship timeline (docs/browser-timeline.png).
// Needs Debian chromium and `npm i playwright-core` in this folder or beside it (not a project dependency):
//   node scripts/browser_timeline_screenshot.mjs var/neo4j/password <(grep -v "^//" cypher/browser/relationship_timeline.cypher) docs/browser-timeline.png
import { chromium } from 'playwright-core';
import fs from 'fs';
const password = fs.readFileSync(process.argv[2], 'utf8').trim();
const query = fs.readFileSync(process.argv[3], 'utf8');
const out = process.argv[4];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
await page.goto("http://127.0.0.1:7474/browser/?dbms=neo4j://neo4j@127.0.0.1:7687&db=neo4j&preselectAuthMethod=NATIVE");
await page.waitForSelector('input[data-testid="password"]', { timeout: 60000 });
await page.fill('input[data-testid="password"]', password);
await page.click('button[data-testid="connect"]');
await page.waitForTimeout(4000);
async function run(cmd) {
  const editor = page.locator('.monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(cmd);
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(4000);
}
await run(":style node.Memory {caption: '{content}'; diameter: 75px; color: #C990C0;} node.Fact {caption: '{predicate}: {value} ({status})'; diameter: 65px; color: #F79767;} node.Entity {caption: '{name}'; diameter: 55px; color: #57C7E3;}");
await run(":clear");
await run(":param user_id => 'demo-alice'");
await run(query);
await page.waitForTimeout(4000);
await page.locator('[title="Fullscreen"], [aria-label="Fullscreen"]').first().click({ timeout: 3000 }).catch(() => {});
await page.waitForTimeout(3000);
for (let i = 0; i < 2; i++) { await page.locator('[aria-label="Zoom in"], [title="Zoom in"]').first().click({ timeout: 3000 }).catch(() => {}); await page.waitForTimeout(500); }
await page.waitForTimeout(1500);
await page.screenshot({ path: out });
await browser.close();
