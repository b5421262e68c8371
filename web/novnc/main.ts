// The noVNC viewer page, served by the gateway at /novnc/?target=<id>. Stock noVNC (vendored through npm,
// bundled by build.mjs) speaks RFB itself over the gateway's authenticated passthrough channel
// /api/sessions/<id>/rfb. The page opens the WebSocket itself so that it can show the gateway's close reason
// (noVNC's own disconnect event only says whether the close was clean).
import RFB from '@novnc/novnc';

type State = 'connecting' | 'connected' | 'disconnected' | 'failed';

const status = document.getElementById('status') as HTMLElement;
const title = document.getElementById('title') as HTMLElement;
const screen = document.getElementById('screen') as HTMLElement;

function show(state: State, text: string): void {
  document.body.dataset.state = state;
  status.textContent = text;
}

/** The WebSocket URL of the passthrough channel: same origin, target id in the path, nothing in the query. */
export function passthroughUrl(location: Location, targetId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(targetId)}/rfb`;
}

function closeText(event: CloseEvent): string {
  if (event.reason) return event.reason;
  switch (event.code) {
    case 1000: return 'The session ended.';
    case 1006: return 'The connection to the gateway was lost (or the gateway refused it: sign in again, or check that you may use this target).';
    default: return `The gateway closed the connection (code ${event.code}).`;
  }
}

function start(): void {
  const targetId = new URLSearchParams(window.location.search).get('target');
  if (!targetId) {
    show('failed', 'No target: open this page from the target list.');
    return;
  }
  title.textContent = targetId;
  const socket = new WebSocket(passthroughUrl(window.location, targetId), ['binary']);
  let closeReason: string | null = null;
  socket.addEventListener('close', (event) => {
    closeReason = closeText(event);
  });

  const rfb = new RFB(screen, socket, { shared: true });
  rfb.scaleViewport = true;
  rfb.resizeSession = false;
  rfb.addEventListener('connect', () => {
    show('connected', 'Connected');
    rfb.focus();
  });
  rfb.addEventListener('disconnect', (event) => {
    const clean = (event as CustomEvent<{ clean: boolean }>).detail?.clean ?? false;
    // The close event has fired by now when the gateway closed with a reason.
    window.setTimeout(() => {
      show(clean ? 'disconnected' : 'failed', closeReason ?? (clean ? 'Disconnected.' : 'The connection was lost.'));
    }, 0);
  });
  rfb.addEventListener('securityfailure', (event) => {
    const reason = (event as CustomEvent<{ reason?: string }>).detail?.reason;
    show('failed', `The desktop server refused the login${reason ? `: ${reason}` : '.'}`);
  });
  rfb.addEventListener('credentialsrequired', () => {
    // The gateway logs in to the target itself and offers noVNC only security None, so this never
    // happens with Oriel; if it does, the browser must not be the one holding the target's password.
    rfb.disconnect();
    show('failed', 'The desktop server asked the browser for credentials; Oriel keeps them in the gateway. Ask an administrator.');
  });
  rfb.addEventListener('desktopname', (event) => {
    const name = (event as CustomEvent<{ name: string }>).detail?.name;
    if (name) document.title = `${name} · noVNC · Oriel`;
  });
}

start();
