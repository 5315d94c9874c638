import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { chooseChromium } from '../e2e/browser';

/** Which browser the e2e tests run: the order and the fresh-machine fallback (the npm package's own Chromium). */
describe('chooseChromium', () => {
  const absent = path.join(__dirname, 'no-such-chromium');

  it('takes CHROMIUM_PATH first, and fails rather than falls back when it names nothing', async () => {
    await expect(chooseChromium({ CHROMIUM_PATH: absent }, __filename)).rejects.toThrow(`CHROMIUM_PATH=${absent}: no such file`);
    expect(await chooseChromium({ CHROMIUM_PATH: __filename }, absent)).toMatchObject({ executablePath: __filename });
  });

  it("takes the system's Chromium when there is one", async () => {
    expect(await chooseChromium({}, __filename)).toMatchObject({ executablePath: __filename, source: `the system's ${__filename}` });
  });

  it('unpacks the Chromium that npm ci installed when the system has none', async () => {
    const choice = await chooseChromium({}, absent);
    expect(choice.source).toContain('@sparticuz/chromium');
    expect(choice.executablePath).toMatch(/node_modules\/\.cache\/chromium\/sparticuz-[\d.]+\/chromium$/);
    accessSync(choice.executablePath, constants.X_OK);
  }, 120_000);
});
