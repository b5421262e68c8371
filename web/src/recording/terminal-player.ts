import type * as AsciinemaPlayer from 'asciinema-player';
import 'asciinema-player/dist/bundle/asciinema-player.css';
import { h } from '../ui/dom';
import { wholeLines } from './cast-lines';
import type { PlaybackState } from './playback';

/** What the page hears from a {@link TerminalRecordingView}. */
export interface TerminalPlayerEvents {
  stateChanged(state: PlaybackState, detail: string): void;
}

/**
 * A terminal recording (asciicast v2) played by npm asciinema-player in `#terminal-player`: the player's own controls
 * (play/pause, a seek bar with the exit marker, fullscreen, its keyboard shortcuts) and a speed the page chooses. The
 * file is fetched whole from the recordings API (`GET /api/recordings/<id>/file`, with the session's cookie), an
 * unfinished last line dropped, then handed to the player. The player has no speed setter, so a new speed makes a new
 * player at the same moment, playing if the old one was.
 */
export class TerminalRecordingView {
  readonly element: HTMLElement;
  private readonly mount: HTMLElement;
  private library: typeof AsciinemaPlayer | null = null;
  private player: AsciinemaPlayer.Player | null = null;
  private cast: string | null = null;
  private speed = 1;
  private playing = false;
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly events: TerminalPlayerEvents,
  ) {
    this.mount = h('div', { id: 'terminal-player', class: 'terminal-player' });
    this.element = h('div', { class: 'terminal-player-stage' }, this.mount);
  }

  /** Fetches the file and shows the player, paused at the start. */
  async load(): Promise<void> {
    this.events.stateChanged('loading', '');
    const response = await fetch(this.url, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
      throw new Error(await errorOf(response));
    }
    const text = wholeLines(await response.text());
    // Loaded when first needed: the module touches the DOM as it is evaluated (the bundle still holds it, so nothing is fetched).
    this.library = await import('asciinema-player');
    if (this.disposed) return;
    this.cast = text;
    this.create(0, false);
  }

  /** Plays at `speed` (0.5x-16x) from where it is now. */
  setSpeed(speed: number): void {
    if (speed === this.speed || !(speed > 0)) return;
    this.speed = speed;
    if (this.player === null) return;
    const at = this.player.getCurrentTime();
    const wasPlaying = this.playing;
    this.player.dispose();
    this.player = null;
    this.create(at, wasPlaying);
  }

  dispose(): void {
    this.disposed = true;
    this.player?.dispose();
    this.player = null;
  }

  private create(startAt: number, play: boolean): void {
    const cast = this.cast;
    const library = this.library;
    if (cast === null || library === null) return;
    this.mount.replaceChildren();
    const player = library.create({ data: () => new Response(cast) }, this.mount, {
      autoPlay: play,
      preload: true,
      startAt,
      speed: this.speed,
      fit: 'both',
      controls: true,
      terminalFontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    });
    this.player = player;
    player.addEventListener('play', () => this.changed('playing', true));
    player.addEventListener('playing', () => this.changed('playing', true));
    player.addEventListener('pause', () => this.changed('paused', false));
    player.addEventListener('ended', () => this.changed('ended', false));
    this.changed(play ? 'playing' : 'paused', play);
  }

  private changed(state: PlaybackState, playing: boolean): void {
    if (this.disposed) return;
    this.playing = playing;
    this.events.stateChanged(state, '');
  }
}

/** The sentence of an API error answer (`{ "error": ... }`), or the HTTP status. */
async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return `the recording could not be read (HTTP ${response.status})`;
}
