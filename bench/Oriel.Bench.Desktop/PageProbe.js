// Installed by the Oriel desktop benchmark in every page before the client's scripts run
// (Playwright AddInitScript). The same script measures both clients:
//  * every WebSocket the page opens counts the payload bytes and messages it receives;
//  * window.__bench.start(selector) runs a requestAnimationFrame loop that draws the canvas
//    matching `selector` scaled down into a small canvas, hashes the pixels and counts a frame
//    each time the hash differs from the previous tick's (a distinct state the user could see).
(() => {
  if (window.__bench) return;
  const SAMPLE_WIDTH = 320;
  const SAMPLE_HEIGHT = 180;
  const stats = {
    bytes: 0,
    messages: 0,
    sockets: 0,
    extensions: [],
    frames: 0,
    ticks: 0,
    sampleMs: 0,
    canvasSize: '',
    sampling: false,
    error: '',
  };
  const NativeWebSocket = window.WebSocket;
  // A constructor that returns a genuine WebSocket (not a subclass instance: noVNC inspects the
  // object's own prototype for `send` etc.), with a counting listener attached.
  function BenchWebSocket(url, protocols) {
    const ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    stats.sockets += 1;
    ws.addEventListener('open', () => stats.extensions.push(ws.extensions || ''));
    ws.addEventListener('message', (e) => {
      const d = e.data;
      stats.messages += 1;
      if (typeof d === 'string') stats.bytes += d.length;
      else if (d instanceof ArrayBuffer) stats.bytes += d.byteLength;
      else if (d && typeof d.size === 'number') stats.bytes += d.size;
    });
    return ws;
  }
  BenchWebSocket.prototype = NativeWebSocket.prototype;
  for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) {
    Object.defineProperty(BenchWebSocket, name, { value: NativeWebSocket[name] });
  }
  window.WebSocket = BenchWebSocket;

  let sample = null;
  let context = null;
  let lastHash = -1;

  function hashCanvas(source) {
    if (sample === null) {
      sample = document.createElement('canvas');
      sample.width = SAMPLE_WIDTH;
      sample.height = SAMPLE_HEIGHT;
      context = sample.getContext('2d', { willReadFrequently: true, alpha: false });
      context.imageSmoothingEnabled = true;
      context.imageSmoothingQuality = 'low';
    }
    context.drawImage(source, 0, 0, source.width, source.height, 0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT);
    const pixels = new Uint32Array(context.getImageData(0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT).data.buffer);
    // FNV-1a over 32-bit words.
    let h = 0x811c9dc5;
    for (let i = 0; i < pixels.length; i++) {
      h = Math.imul(h ^ pixels[i], 0x01000193);
    }
    return h >>> 0;
  }

  function tick(selector) {
    if (!stats.sampling) return;
    try {
      const canvas = document.querySelector(selector);
      if (canvas && canvas.width > 0 && canvas.height > 0) {
        stats.ticks += 1;
        stats.canvasSize = canvas.width + 'x' + canvas.height;
        const t0 = performance.now();
        const h = hashCanvas(canvas);
        stats.sampleMs += performance.now() - t0;
        if (h !== lastHash) {
          stats.frames += 1;
          lastHash = h;
        }
      }
    } catch (e) {
      stats.error = String(e);
    }
    requestAnimationFrame(() => tick(selector));
  }

  window.__bench = {
    stats,
    start(selector) {
      if (stats.sampling) return;
      stats.sampling = true;
      requestAnimationFrame(() => tick(selector));
    },
    snapshot() {
      return {
        bytes: stats.bytes,
        messages: stats.messages,
        sockets: stats.sockets,
        extensions: stats.extensions.join(';'),
        frames: stats.frames,
        ticks: stats.ticks,
        sampleMs: stats.sampleMs,
        canvasSize: stats.canvasSize,
        nowMs: performance.now(),
        error: stats.error,
      };
    },
  };
})();
