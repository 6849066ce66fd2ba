#!/usr/bin/env node
// Loads the sample app's metrics page in real headless Chromium and checks what a person would
// see: every chart drawn with data, a screenshot that is not blank, and the numbers shown equal
// to what /actuator/securechannel reports. Run by DashboardPageBrowserTest; exits 0 when all
// checks pass and prints one JSON summary line either way.
//
//   node dashboard-check.js --url http://127.0.0.1:8080/ --screenshot ../../../target/dashboard.png
//
// Uses the system Chromium (Debian's package) through playwright-core; it never downloads a browser.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const LINE_CHARTS = ['chart-handshake', 'chart-seal', 'chart-open', 'chart-sessions'];
const ALL_CHARTS = [...LINE_CHARTS, 'chart-by-size', 'chart-inference'];
// A drawn chart has its series in colour; axes, grid and labels are grey, so coloured pixels mean data.
const MIN_COLOURED_PIXELS = 150;

function options(argv) {
  const result = { url: 'http://127.0.0.1:8080/', screenshot: 'dashboard.png', chromium: '/usr/bin/chromium', timeoutMs: 60000 };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'timeout-ms') result.timeoutMs = Number(argv[i + 1]);
    else if (key in result) result[key] = argv[i + 1];
    else throw new Error('unknown option ' + argv[i]);
  }
  if (!result.url.endsWith('/')) result.url += '/';
  return result;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(url + ' answered ' + response.status);
  return response.json();
}

function valueAt(report, dotted) {
  return dotted.split('.').reduce((node, key) => (node == null ? undefined : node[key]), report);
}

// Counts strongly coloured pixels in a PNG by decoding it in the page (the browser has a PNG decoder).
async function colouredPixels(page, png) {
  return page.evaluate(async base64 => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + base64;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const max = Math.max(pixels[i], pixels[i + 1], pixels[i + 2]);
      const min = Math.min(pixels[i], pixels[i + 1], pixels[i + 2]);
      if (max - min > 60) coloured++;
    }
    return { coloured, width: canvas.width, height: canvas.height };
  }, png.toString('base64'));
}

async function main() {
  const opts = options(process.argv);
  const failures = [];
  const summary = { url: opts.url, screenshot: path.resolve(opts.screenshot), charts: {}, numbers: {} };
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    timeout: opts.timeoutMs,
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', error => consoleErrors.push(String(error)));
    page.on('console', message => { if (message.type() === 'error') consoleErrors.push(message.text()); });

    // The first poll is drawn as soon as /actuator/securechannel answers: /actuator/metrics (the
    // model chart's source) is held until the page shows that poll, and released only then.
    let releaseMetrics;
    const metricsHeld = new Promise(resolve => { releaseMetrics = resolve; });
    await page.route('**/actuator/metrics/**', async route => {
      await metricsHeld;
      await route.continue();
    });
    // A short poll interval, so that the line charts have several samples within seconds.
    await page.goto(opts.url + 'index.html?interval=0.5', { timeout: opts.timeoutMs });
    try {
      await page.waitForFunction(({ lineCharts }) => Number(document.body.dataset.polls || 0) >= 1
          && !document.getElementById('status').textContent.startsWith('waiting')
          && lineCharts.every(id => Number(document.getElementById(id).dataset.points || 0) >= 1),
        { lineCharts: LINE_CHARTS }, { timeout: Math.min(opts.timeoutMs, 15000), polling: 100 });
      summary.firstPollDrawnBeforeMetrics = true;
    } catch (error) {
      failures.push('the first poll was not drawn while /actuator/metrics had not answered: ' + error.message);
    } finally {
      // From here on the route lets every request through at once.
      releaseMetrics();
    }
    // Model time is charted per poll, so send a few REST requests while the page is polling.
    const embedding = (async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise(resolve => setTimeout(resolve, 700));
        const response = await fetch(opts.url + 'embed', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ texts: ['The page draws its own charts.'] }) });
        if (!response.ok) throw new Error('POST /embed answered ' + response.status);
      }
    })();
    await page.waitForFunction(({ lineCharts }) => {
      const points = id => Number(document.getElementById(id).dataset.points || 0);
      return Number(document.body.dataset.polls || 0) >= 4
        && lineCharts.every(id => points(id) >= 6)
        && points('chart-by-size') >= 1
        && points('chart-inference') >= 1;
    }, { lineCharts: LINE_CHARTS }, { timeout: opts.timeoutMs, polling: 200 });
    await embedding;

    // Let one more poll land, then read the page and the endpoint: no traffic runs meanwhile,
    // so both describe the same state.
    const polls = await page.evaluate(() => window.secureChannelDashboard.polls);
    await page.waitForFunction(before => window.secureChannelDashboard.polls > before, polls, { timeout: opts.timeoutMs });
    const report = await getJson(opts.url + 'actuator/securechannel');
    const shown = await page.evaluate(() => Array.from(document.querySelectorAll('[data-metric]')).map(element => ({
      metric: element.dataset.metric, value: element.dataset.value, text: element.textContent, unit: element.dataset.unit || '',
    })));
    for (const { metric, value, text, unit } of shown) {
      const expected = valueAt(report, metric);
      summary.numbers[metric] = { shown: text, endpoint: expected };
      if (typeof expected !== 'number' || Number(value) !== expected) {
        failures.push(`${metric}: page holds ${value}, endpoint says ${expected}`);
      } else if (unit === '' && text.replace(/,/g, '') !== String(expected)) {
        failures.push(`${metric}: page shows "${text}", endpoint says ${expected}`);
      } else if (unit !== '' && !/\d/.test(text)) {
        failures.push(`${metric}: page shows "${text}" for ${expected}`);
      }
    }
    if (report.handshakes.completed < 1 || report.messages.seal.overall.count < 1) {
      failures.push('the endpoint reports no traffic: the test should have sent some first');
    }

    fs.mkdirSync(path.dirname(summary.screenshot), { recursive: true });
    await page.screenshot({ path: summary.screenshot, fullPage: true });
    for (const id of ALL_CHARTS) {
      const png = await page.locator('#' + id).screenshot();
      const pixels = await colouredPixels(page, png);
      const points = Number(await page.locator('#' + id).getAttribute('data-points'));
      summary.charts[id] = { points, colouredPixels: pixels.coloured, size: pixels.width + 'x' + pixels.height };
      if (pixels.coloured < MIN_COLOURED_PIXELS) {
        failures.push(`${id} looks blank in the screenshot: ${pixels.coloured} coloured pixels`);
      }
    }
    const whole = await colouredPixels(page, fs.readFileSync(summary.screenshot));
    summary.wholePageColouredPixels = whole.coloured;
    if (consoleErrors.length > 0) {
      failures.push('the page logged errors: ' + consoleErrors.join('; '));
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  summary.failures = failures;
  console.log(JSON.stringify(summary));
  return failures.length === 0 ? 0 : 1;
}

main().then(code => process.exit(code), error => {
  console.log(JSON.stringify({ failures: [String(error && error.stack || error)] }));
  process.exit(2);
});
