import type { Locator } from 'playwright-core';
import { eventually } from './fake-http-server';

/*
 * playwright-core has no test runner and so no auto-waiting `expect`; these wait (up to 5 s) for a
 * locator to reach the expected state, then assert with jest, so a failure shows what the page held.
 */
const WAIT_MS = 5000;
const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();
const texts = async (locator: Locator): Promise<string[]> => (await locator.allInnerTexts()).map(normalize);

/** Every match's text, in order, equals `expected` (one string: exactly one match). */
export async function hasText(locator: Locator, expected: string | string[]): Promise<void> {
  const want = Array.isArray(expected) ? expected : [expected];
  const got = await eventually(
    () => texts(locator),
    (t) => JSON.stringify(t) === JSON.stringify(want),
    WAIT_MS,
  ).catch(() => texts(locator));
  expect(got).toEqual(want);
}

/** The first match's text contains `part`. */
export async function containsText(locator: Locator, part: string): Promise<void> {
  const first = locator.first();
  const read = async (): Promise<string> => ((await first.count()) ? normalize(await first.innerText()) : '');
  const got = await eventually(read, (t) => t.includes(part), WAIT_MS).catch(read);
  expect(got).toContain(part);
}

export async function hasCount(locator: Locator, count: number): Promise<void> {
  const got = await eventually(
    () => locator.count(),
    (n) => n === count,
    WAIT_MS,
  ).catch(() => locator.count());
  expect(got).toBe(count);
}

export async function isVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: WAIT_MS });
}
