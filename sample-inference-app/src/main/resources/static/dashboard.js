// Live charts of /actuator/securechannel, drawn on <canvas> with no library: the page has to
// work offline, and a few line and bar charts do not need one.
(function () {
  'use strict';

  const params = new URLSearchParams(window.location.search);
  const POLL_MS = Math.max(500, 1000 * (Number(params.get('interval')) || 2));
  const WINDOW = 90;
  const COLORS = { p50: '#2f6fde', p95: '#e09b14', p99: '#d63b3b', active: '#12936b', opened: '#6a5bd6',
    seal: '#2f6fde', open: '#d63b3b', 'secure-channel': '#12936b', rest: '#6a5bd6' };
  const SIZE_CLASSES = ['le-2KiB', 'le-8KiB', 'le-512KiB', 'gt-512KiB'];
  const TRANSPORTS = ['secure-channel', 'rest'];

  const samples = [];
  let polls = 0;
  let lastInference = null;

  document.getElementById('interval').textContent = String(POLL_MS / 1000);
  document.getElementById('window').textContent = String(WINDOW);

  // ------------------------------------------------------------------ data

  function valueAt(report, path) {
    return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), report);
  }

  async function fetchJson(url) {
    const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(url + ' answered ' + response.status);
    }
    return response.json();
  }

  // Model time per request over the last poll: the change in the timer's total over the change in its count.
  async function inferenceMeans() {
    const readings = {};
    for (const transport of TRANSPORTS) {
      const timer = await fetchJson('actuator/metrics/sample.inference?tag=transport:' + transport);
      const stat = name => (timer.measurements.find(m => m.statistic === name) || { value: 0 }).value;
      readings[transport] = { count: stat('COUNT'), total: stat('TOTAL_TIME') };
    }
    const means = {};
    for (const transport of TRANSPORTS) {
      const now = readings[transport];
      const before = lastInference && lastInference[transport];
      const requests = before ? now.count - before.count : 0;
      means[transport] = requests > 0 ? 1e6 * (now.total - before.total) / requests : null;
    }
    lastInference = readings;
    return means;
  }

  // The report is drawn as soon as it arrives; the model chart follows when /actuator/metrics
  // answers, so a slow or missing metrics endpoint never holds the page (nor its first poll) back.
  async function poll() {
    try {
      const report = await fetchJson('actuator/securechannel');
      const sample = { time: Date.now(), report, inference: null };
      samples.push(sample);
      if (samples.length > WINDOW) {
        samples.shift();
      }
      polls++;
      render(report);
      setStatus('updated ' + new Date().toLocaleTimeString() + ' (' + polls + ' polls)', false);
      try {
        sample.inference = await inferenceMeans();
        renderInference();
      } catch (ignored) {
        // The metrics endpoint is optional; the model chart then says so.
      }
    } catch (error) {
      setStatus('cannot read /actuator/securechannel: ' + error.message, true);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  function setStatus(text, isError) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.classList.toggle('error', isError);
  }

  // ------------------------------------------------------------------ formatting

  // Three significant digits are plenty for latencies that vary far more than that between runs.
  function threeDigits(value) {
    return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  }

  function formatMicros(us) {
    if (us === 0) return '0';
    if (us >= 1e6) return threeDigits(us / 1e6) + ' s';
    if (us >= 1000) return threeDigits(us / 1000) + ' ms';
    return threeDigits(us) + ' \u00b5s';
  }

  function formatBytes(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + ' MiB';
    if (bytes >= 1024) return (bytes / 1024).toFixed(1) + ' KiB';
    return bytes + ' B';
  }

  function format(value, unit) {
    if (typeof value !== 'number') return '-';
    if (unit === 'us') return formatMicros(value);
    if (unit === 'bytes') return formatBytes(value);
    return value.toLocaleString('en-US');
  }

  // ------------------------------------------------------------------ rendering

  function render(report) {
    document.querySelectorAll('[data-metric]').forEach(element => {
      const value = valueAt(report, element.dataset.metric);
      element.dataset.value = value == null ? '' : String(value);
      element.textContent = format(value, element.dataset.unit);
    });
    const attestation = report.attestation || {};
    document.getElementById('attestation').textContent = 'attestation: ' + attestation.provider
      + (attestation.secure ? ' (secure)' : ' (insecure: development only)');

    percentileChart('chart-handshake', 'handshakes.latency');
    percentileChart('chart-seal', 'messages.seal.overall');
    percentileChart('chart-open', 'messages.open.overall');
    lineChart(document.getElementById('chart-sessions'), [
      series('active', sample => valueAt(sample.report, 'sessions.active')),
      series('opened', sample => valueAt(sample.report, 'sessions.opened')),
    ], value => value.toFixed(0), { integer: true });
    barChart(document.getElementById('chart-by-size'), SIZE_CLASSES, [
      { label: 'seal', values: SIZE_CLASSES.map(size => valueAt(report, 'messages.seal.bySize.' + size + '.p99Micros') || 0) },
      { label: 'open', values: SIZE_CLASSES.map(size => valueAt(report, 'messages.open.bySize.' + size + '.p99Micros') || 0) },
    ], formatMicros);
    renderInference();
    document.body.dataset.polls = String(polls);
  }

  function renderInference() {
    const inferenceCanvas = document.getElementById('chart-inference');
    if (samples.some(sample => sample.inference)) {
      lineChart(inferenceCanvas, TRANSPORTS.map(transport =>
        series(transport, sample => sample.inference ? sample.inference[transport] : null)), formatMicros);
    } else {
      emptyChart(inferenceCanvas, 'model time needs /actuator/metrics');
    }
  }

  function percentileChart(id, path) {
    lineChart(document.getElementById(id), ['p50', 'p95', 'p99'].map(p =>
      series(p, sample => valueAt(sample.report, path + '.' + p + 'Micros'))), formatMicros);
  }

  function series(label, pick) {
    return { label, points: samples.map(sample => ({ time: sample.time, value: pick(sample) })) };
  }

  // A canvas sized for the screen's pixel density; returns the context and the CSS size.
  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = '11px system-ui, sans-serif';
    return { context, width, height };
  }

  // A round axis maximum: 1, 2 or 5 times a power of ten, at least the data's maximum.
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 5, 10]) {
      if (step * power >= max) return step * power;
    }
    return 10 * power;
  }

  function frame(context, width, height, top, formatTick) {
    const plot = { left: 64, right: width - 10, top: 22, bottom: height - 22 };
    context.strokeStyle = '#e3e7ef';
    context.fillStyle = '#5d6678';
    context.lineWidth = 1;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const y = plot.bottom - (plot.bottom - plot.top) * i / 4;
      context.beginPath();
      context.moveTo(plot.left, Math.round(y) + 0.5);
      context.lineTo(plot.right, Math.round(y) + 0.5);
      context.stroke();
      context.fillText(formatTick(top * i / 4), plot.left - 6, y);
    }
    return plot;
  }

  function legend(context, labels, right) {
    let x = right;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const label of labels.slice().reverse()) {
      context.fillStyle = '#1d2330';
      context.fillText(label, x, 9);
      x -= context.measureText(label).width + 6;
      context.fillStyle = COLORS[label] || '#888';
      context.fillRect(x - 10, 5, 10, 8);
      x -= 22;
    }
  }

  function emptyChart(canvas, message) {
    const { context, width, height } = prepare(canvas);
    context.fillStyle = '#5d6678';
    context.textAlign = 'center';
    context.fillText(message, width / 2, height / 2);
    canvas.dataset.points = '0';
  }

  // A line chart over the polling window; an integer chart keeps its four grid steps whole numbers.
  function lineChart(canvas, allSeries, formatTick, { integer = false } = {}) {
    const { context, width, height } = prepare(canvas);
    const values = allSeries.flatMap(s => s.points.map(p => p.value)).filter(v => typeof v === 'number');
    if (values.length === 0) {
      emptyChart(canvas, 'no data yet');
      return;
    }
    const max = Math.max(...values);
    const top = integer ? 4 * Math.max(1, Math.ceil(max / 4)) : niceMax(max);
    const plot = frame(context, width, height, top, formatTick);
    const newest = samples[samples.length - 1].time;
    const span = Math.max(POLL_MS * (WINDOW - 1), 1);
    const x = time => plot.right - (plot.right - plot.left) * (newest - time) / span;
    const y = value => plot.bottom - (plot.bottom - plot.top) * value / top;

    context.fillStyle = '#5d6678';
    context.textAlign = 'left';
    context.textBaseline = 'alphabetic';
    context.fillText('-' + Math.round(span / 1000) + ' s', plot.left, height - 6);
    context.textAlign = 'right';
    context.fillText('now', plot.right, height - 6);

    let plotted = 0;
    for (const s of allSeries) {
      context.strokeStyle = COLORS[s.label] || '#888';
      context.fillStyle = context.strokeStyle;
      context.lineWidth = 2;
      context.beginPath();
      let drawing = false;
      for (const point of s.points) {
        if (typeof point.value !== 'number') {
          drawing = false;
          continue;
        }
        const px = x(point.time);
        const py = y(point.value);
        if (drawing) {
          context.lineTo(px, py);
        } else {
          context.moveTo(px, py);
          drawing = true;
        }
        plotted++;
      }
      context.stroke();
      // A dot on the newest value, so a single sample is visible too.
      const last = s.points.filter(p => typeof p.value === 'number').pop();
      if (last) {
        context.beginPath();
        context.arc(x(last.time), y(last.value), 3, 0, 2 * Math.PI);
        context.fill();
      }
    }
    legend(context, allSeries.map(s => s.label), plot.right);
    canvas.dataset.points = String(plotted);
  }

  function barChart(canvas, groups, allSeries, formatTick) {
    const { context, width, height } = prepare(canvas);
    const top = niceMax(Math.max(...allSeries.flatMap(s => s.values)));
    const plot = frame(context, width, height, top, formatTick);
    const groupWidth = (plot.right - plot.left) / groups.length;
    const barWidth = Math.min(36, groupWidth * 0.7 / allSeries.length);
    let drawn = 0;
    groups.forEach((group, g) => {
      const start = plot.left + groupWidth * g + (groupWidth - barWidth * allSeries.length) / 2;
      allSeries.forEach((s, i) => {
        const barHeight = (plot.bottom - plot.top) * s.values[g] / top;
        context.fillStyle = COLORS[s.label] || '#888';
        context.fillRect(start + i * barWidth, plot.bottom - barHeight, barWidth - 2, barHeight);
        if (s.values[g] > 0) drawn++;
      });
      context.fillStyle = '#5d6678';
      context.textAlign = 'center';
      context.textBaseline = 'alphabetic';
      context.fillText(group, plot.left + groupWidth * (g + 0.5), height - 6);
    });
    legend(context, allSeries.map(s => s.label), plot.right);
    canvas.dataset.points = String(drawn);
  }

  window.addEventListener('resize', () => {
    if (samples.length > 0) render(samples[samples.length - 1].report);
  });

  // For tests and the curious: what the page last showed.
  window.secureChannelDashboard = {
    get polls() { return polls; },
    get lastReport() { return samples.length ? samples[samples.length - 1].report : null; },
  };

  poll();
}());
