import { exportFileUrl, recordingFileUrl, recordingOwnFileUrl, type ApiClient } from '../api/client';
import type { RecordingDetails } from '../api/types';
import { CanvasSurface } from '../desktop/canvas-surface';
import { layoutDesktop, type Size } from '../desktop/scaling';
import { formatBytes, formatDuration } from '../recording/format-display';
import { OrecKind } from '../recording/format';
import { tryDecodeHeader, type OrecHeader } from '../recording/header';
import { PLAYBACK_SPEEDS, RecordingPlayback, type PlaybackState } from '../recording/playback';
import { HttpRangeSource, type RangeSource } from '../recording/range-source';
import { RendererSink } from '../recording/renderer-sink';
import { TerminalRecordingView } from '../recording/terminal-player';
import { routeHash } from '../router';
import { h } from '../ui/dom';
import type { Toaster } from '../ui/toast';
import type { Page } from './page';

/** Bytes read first for the header (a header is at most 65551 bytes; nearly always under 1 KiB). */
const HEADER_PROBE_BYTES = 16 * 1024;
const CLOCK_INTERVAL_MS = 200;
const EXPORT_POLL_MS = 1000;

const STATE_LABELS: Readonly<Record<PlaybackState, string>> = {
  loading: 'Loading…',
  seeking: 'Seeking…',
  playing: 'Playing',
  paused: 'Paused',
  ended: 'Ended',
  error: 'Error',
};

/** Reads the header of a recording with bounded Range requests. */
export async function readRecordingHeader(source: RangeSource): Promise<OrecHeader> {
  const first = await source.read(0, HEADER_PROBE_BYTES);
  let header = tryDecodeHeader(first.bytes);
  if (header === undefined && first.bytes.length >= 12) {
    const needed = 12 + ((first.bytes[10]! << 8) | first.bytes[11]!) + 4;
    header = tryDecodeHeader((await source.read(0, needed)).bytes);
  }
  if (header === undefined) {
    throw new Error('the recording has no complete header');
  }
  return header;
}

/**
 * The recording player (`#/recordings/<id>`): the recorded desktop drawn by the live client's renderer on
 * `#player-canvas`, play/pause (`#player-play`), speed (`#player-speed`, 0.5x-16x), a timeline with the activity
 * histogram (`#player-histogram`) under a seek slider (`#player-seek`, milliseconds), the clock (`#player-time`), and
 * video export (`#export-format`, `#export-start`, `#export-progress`, `#export-download`). Input on the canvas goes
 * nowhere: the player is read-only. State for tests on `#player`: `data-state` (loading|seeking|playing|paused|ended|
 * error), `data-position-us`, `data-seeks` (seeks finished), `data-desktop-size`.
 *
 * A terminal recording (kind `asciicast`) plays instead in npm asciinema-player (`#terminal-player`,
 * {@link TerminalRecordingView}) with its own play/pause and seek bar, the same speed choice (`#player-speed`) and a
 * link to the `.cast` file (`#player-download`); `#player` has `data-kind="asciicast"` and the same `data-state`. Terminal
 * recordings have no video export.
 */
export class RecordingPlayerPage implements Page {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly viewport: HTMLElement;
  private readonly title: HTMLElement;
  private readonly details: HTMLElement;
  private readonly status: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly seekInput: HTMLInputElement;
  private readonly histogram: HTMLCanvasElement;
  private readonly clock: HTMLElement;
  private readonly exportFormat: HTMLSelectElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly exportProgress: HTMLProgressElement;
  private readonly exportStatus: HTMLElement;
  private readonly exportLink: HTMLAnchorElement;
  private readonly surface: CanvasSurface;
  private readonly body: HTMLElement;
  private readonly controls: HTMLElement;
  private terminal: TerminalRecordingView | null = null;
  private sink: RendererSink<ImageBitmap> | null = null;
  private playback: RecordingPlayback | null = null;
  private remote: Size = { width: 0, height: 0 };
  private clockTimer: number | undefined;
  private exportTimer: number | undefined;
  private resizeObserver: ResizeObserver | null = null;
  private recording: RecordingDetails | null = null;
  private dragging = false;
  private seeks = 0;
  private disposed = false;

  constructor(
    private readonly api: ApiClient,
    private readonly recordingId: string,
    private readonly toaster: Toaster,
  ) {
    this.canvas = h('canvas', { id: 'player-canvas', 'aria-label': 'Recorded desktop' });
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.surface = new CanvasSurface(this.canvas);
    this.viewport = h('div', { class: 'desktop-viewport scale-fit' }, this.canvas);
    this.title = h('span', { class: 'desktop-title' }, recordingId);
    this.status = h('span', { id: 'player-status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
    this.details = h('span', { class: 'muted small player-details' });

    this.playButton = h('button', { type: 'button', class: 'tool', id: 'player-play', disabled: true, onclick: () => this.togglePlay() }, 'Play');
    this.speed = h('select', { id: 'player-speed', class: 'tool', 'aria-label': 'Speed' }, ...PLAYBACK_SPEEDS.map((s) => h('option', { value: String(s) }, `${s}x`)));
    this.speed.value = '1';
    this.speed.addEventListener('change', () => this.playback?.setSpeed(Number(this.speed.value)));
    this.seekInput = h('input', { type: 'range', id: 'player-seek', min: 0, max: 0, step: 100, value: 0, disabled: true, 'aria-label': 'Position' });
    this.seekInput.addEventListener('input', () => {
      this.dragging = true;
      this.showClock(Number(this.seekInput.value) * 1000);
    });
    this.seekInput.addEventListener('change', () => {
      this.dragging = false;
      void this.seekTo(Number(this.seekInput.value) * 1000);
    });
    this.histogram = h('canvas', { id: 'player-histogram', class: 'player-histogram', 'aria-hidden': 'true' });
    this.clock = h('span', { id: 'player-time', class: 'player-time' }, '0:00 / 0:00');

    this.exportFormat = h('select', { id: 'export-format', 'aria-label': 'Video format' }, h('option', { value: 'webm' }, 'WebM'), h('option', { value: 'mp4' }, 'MP4'));
    this.exportButton = h('button', { type: 'button', class: 'button small', id: 'export-start', onclick: () => void this.startExport() }, 'Export video');
    this.exportProgress = h('progress', { id: 'export-progress', max: 1, value: 0, hidden: true });
    this.exportStatus = h('span', { id: 'export-status', class: 'muted small', role: 'status' });
    this.exportLink = h('a', { id: 'export-download', class: 'button small primary', hidden: true, download: '' }, 'Download video');

    const toolbar = h(
      'div',
      { class: 'desktop-toolbar', role: 'toolbar', 'aria-label': 'Player controls' },
      h('a', { class: 'tool tool-back', href: routeHash({ name: 'recordings' }) }, '← Recordings'),
      this.title,
      this.details,
      h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
      this.status,
      h('span', { class: 'toolbar-spacer' }),
      this.exportFormat,
      this.exportButton,
      this.exportProgress,
      this.exportStatus,
      this.exportLink,
    );
    this.body = h('div', { class: 'desktop-body' }, h('div', { class: 'desktop-stage' }, this.viewport));
    this.controls = h(
      'div',
      { class: 'player-controls' },
      this.playButton,
      this.speed,
      h('div', { class: 'player-timeline' }, this.histogram, this.seekInput),
      this.clock,
    );
    this.element = h(
      'div',
      { id: 'player', class: 'desktop player', tabindex: -1, 'data-state': 'loading', 'data-position-us': '0', 'data-seeks': '0', onkeydown: (ev) => this.key(ev as KeyboardEvent) },
      toolbar,
      this.body,
      this.controls,
    );
  }

  mounted(): void {
    this.resizeObserver = new ResizeObserver(() => {
      this.layout();
      this.drawHistogram();
    });
    this.resizeObserver.observe(this.viewport);
    this.element.focus({ preventScroll: true });
    void this.open();
  }

  dispose(): void {
    this.disposed = true;
    this.resizeObserver?.disconnect();
    window.clearInterval(this.clockTimer);
    window.clearTimeout(this.exportTimer);
    this.playback?.dispose();
    this.sink?.dispose();
    this.terminal?.dispose();
  }

  private async open(): Promise<void> {
    let details: RecordingDetails;
    let header: OrecHeader;
    const source = new HttpRangeSource(recordingFileUrl(this.recordingId));
    try {
      details = await this.api.recording(this.recordingId);
      if (this.disposed) return;
      this.recording = details;
      this.showDetails(details);
      if (details.kind === 'asciicast') {
        await this.openTerminal();
        return;
      }
      header = await readRecordingHeader(source);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.disposed) return;
    if (header.kind !== OrecKind.Tdp) {
      this.fail(new Error(`this recording (kind ${header.kind}) cannot be played in the browser yet`));
      return;
    }
    this.sink = new RendererSink(this.surface, {
      desktopResized: (size) => this.desktopResized(size),
      framesAcked: () => undefined,
      cursorChanged: () => undefined,
      clipboardReceived: () => undefined,
      notify: (message, severity) => this.toaster.show(message, severity),
    });
    const timeline = details.timeline;
    if (timeline === null) {
      this.fail(new Error('the recording has no timeline'));
      return;
    }
    const durationUs = Math.max(timeline.durationUs, 0);
    this.playback = new RecordingPlayback({
      source,
      headerLength: header.length,
      timeline,
      sink: this.sink,
      events: { stateChanged: (state, detail) => this.stateChanged(state, detail) },
    });
    this.seekInput.max = String(Math.ceil(durationUs / 1000));
    this.seekInput.disabled = false;
    this.playButton.disabled = false;
    this.drawHistogram();
    this.clockTimer = window.setInterval(() => this.tick(), CLOCK_INTERVAL_MS);
    await this.seekTo(0);
  }

  /** A terminal recording: asciinema-player in place of the canvas, the speed choice kept, no export. */
  private async openTerminal(): Promise<void> {
    this.element.dataset['kind'] = 'asciicast';
    for (const control of [this.exportFormat, this.exportButton, this.exportProgress, this.exportStatus, this.exportLink]) {
      control.hidden = true;
    }
    const terminal = new TerminalRecordingView(recordingOwnFileUrl(this.recordingId), {
      stateChanged: (state, detail) => this.stateChanged(state, detail),
    });
    this.terminal = terminal;
    this.body.replaceChildren(terminal.element);
    this.speed.onchange = () => terminal.setSpeed(Number(this.speed.value));
    this.controls.replaceChildren(
      h('label', { class: 'player-speed-label' }, 'Speed ', this.speed),
      h('a', { class: 'button small', id: 'player-download', href: recordingOwnFileUrl(this.recordingId), download: `${this.recordingId}.cast` }, 'Download .cast'),
    );
    await terminal.load();
  }

  private async seekTo(timeUs: number): Promise<void> {
    const playback = this.playback;
    if (playback === null) return;
    await playback.seek(timeUs);
    if (this.disposed || playback.state === 'error') return;
    this.seeks++;
    this.element.dataset['seeks'] = String(this.seeks);
    this.tick();
  }

  /** Space or k plays/pauses; ← and → seek 5 s back and forward (not while a control other than the slider has focus). */
  private key(ev: KeyboardEvent): void {
    const playback = this.playback;
    const target = ev.target as HTMLElement | null;
    if (playback === null || (target !== null && target !== this.element && target !== this.seekInput && target !== this.canvas)) {
      return;
    }
    if (ev.key === ' ' || ev.key === 'k') {
      ev.preventDefault();
      this.togglePlay();
    } else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
      ev.preventDefault();
      void this.seekTo(playback.currentTimeUs + (ev.key === 'ArrowLeft' ? -5_000_000 : 5_000_000));
    }
  }

  private togglePlay(): void {
    const playback = this.playback;
    if (playback === null) return;
    if (playback.state === 'playing') {
      playback.pause();
    } else {
      playback.play();
    }
  }

  private stateChanged(state: PlaybackState, detail: string): void {
    this.element.dataset['state'] = state;
    this.status.textContent = detail !== '' ? detail : STATE_LABELS[state];
    this.playButton.textContent = state === 'playing' ? 'Pause' : state === 'ended' ? 'Replay' : 'Play';
    this.playButton.setAttribute('aria-pressed', String(state === 'playing'));
    if (state === 'error') {
      this.playButton.disabled = true;
    }
    this.tick();
  }

  private tick(): void {
    const playback = this.playback;
    if (playback === null) return;
    const us = playback.currentTimeUs;
    this.element.dataset['positionUs'] = String(Math.round(us));
    if (!this.dragging) {
      this.seekInput.value = String(Math.round(us / 1000));
      this.showClock(us);
    }
  }

  private showClock(us: number): void {
    const duration = this.playback?.durationUs ?? 0;
    this.clock.textContent = `${formatDuration(us / 1000)} / ${formatDuration(duration / 1000)}`;
  }

  private showDetails(d: RecordingDetails): void {
    this.title.textContent = `${d.target} · ${d.user}`;
    document.title = `${d.target} · recording · Oriel`;
    const started = new Date(d.started);
    this.details.textContent = `${Number.isNaN(started.getTime()) ? d.started : started.toLocaleString()} · ${formatDuration(d.durationMs)} · ${formatBytes(d.sizeBytes)}${d.status !== 'complete' ? ` · ${d.status}${d.problem !== null ? `: ${d.problem}` : ''}` : ''}`;
  }

  private desktopResized(size: Size): void {
    this.remote = size;
    this.element.dataset['desktopSize'] = `${size.width}x${size.height}`;
    this.layout();
  }

  private layout(): void {
    if (this.remote.width === 0) return;
    const display = layoutDesktop('fit', this.remote, { width: this.viewport.clientWidth, height: this.viewport.clientHeight });
    this.canvas.style.width = `${display.cssWidth}px`;
    this.canvas.style.height = `${display.cssHeight}px`;
  }

  /** Bars of ServerData bytes per time bucket, scaled to the busiest bucket. */
  private drawHistogram(): void {
    const bytes = this.recording?.timeline?.histogram.bytes ?? [];
    const width = Math.max(1, this.histogram.clientWidth);
    const height = Math.max(1, this.histogram.clientHeight);
    this.histogram.width = width;
    this.histogram.height = height;
    const ctx = this.histogram.getContext('2d');
    if (ctx === null || bytes.length === 0) return;
    const max = Math.max(1, ...bytes);
    const bar = width / bytes.length;
    ctx.fillStyle = '#5b8def';
    bytes.forEach((b, i) => {
      const barHeight = b === 0 ? 0 : Math.max(1, Math.round((Math.sqrt(b) / Math.sqrt(max)) * height));
      ctx.fillRect(Math.floor(i * bar), height - barHeight, Math.max(1, Math.ceil(bar)), barHeight);
    });
  }

  private async startExport(): Promise<void> {
    const format = this.exportFormat.value === 'mp4' ? 'mp4' : 'webm';
    this.exportButton.disabled = true;
    this.exportLink.hidden = true;
    this.exportProgress.hidden = false;
    this.exportProgress.value = 0;
    this.exportStatus.textContent = 'Queued…';
    try {
      const { jobId } = await this.api.startExport(this.recordingId, format);
      this.pollExport(jobId);
    } catch (error) {
      this.exportFailed(error);
    }
  }

  private pollExport(jobId: string): void {
    this.exportTimer = window.setTimeout(() => {
      void (async () => {
        try {
          const job = await this.api.exportJob(jobId);
          if (this.disposed) return;
          this.exportProgress.value = Math.min(1, Math.max(0, job.progress));
          if (job.state === 'done') {
            this.exportProgress.hidden = true;
            this.exportStatus.textContent = '';
            this.exportLink.href = exportFileUrl(jobId);
            this.exportLink.hidden = false;
            this.exportButton.disabled = false;
          } else if (job.state === 'failed') {
            this.exportFailed(new Error(job.error ?? 'the export failed'));
          } else {
            this.exportStatus.textContent = job.state === 'queued' ? 'Queued…' : `Exporting ${Math.round(job.progress * 100)}%`;
            this.pollExport(jobId);
          }
        } catch (error) {
          this.exportFailed(error);
        }
      })();
    }, EXPORT_POLL_MS);
  }

  private exportFailed(error: unknown): void {
    if (this.disposed) return;
    this.exportProgress.hidden = true;
    this.exportButton.disabled = false;
    this.exportStatus.textContent = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
  }

  private fail(error: unknown): void {
    if (this.disposed) return;
    const message = error instanceof Error ? error.message : String(error);
    this.element.dataset['state'] = 'error';
    this.status.textContent = `Cannot play this recording: ${message}`;
    this.playButton.disabled = true;
  }
}
