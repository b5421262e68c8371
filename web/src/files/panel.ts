import './panel.css';
import { ApiError } from '../api/api-error';
import { formatBytes } from '../recording/format-display';
import { h } from '../ui/dom';
import { downloadUrl, FilesApi, type FileEntry, type FileListing } from './files-api';
import { breadcrumb, joinPath, nameProblem } from './paths';
import { ChunkedUpload, UploadCancelled, type UploadSource } from './upload';

/** The panels mounted so far, by container, so mounting again (a reconnect) stops the previous one's uploads. */
const mounted = new WeakMap<HTMLElement, FilePanel>();

/**
 * Draws the SFTP file panel of the live SSH session `sessionId` into `container` (replacing what it holds): a
 * breadcrumb of the directory shown, its entries (name, size, modified), entering directories and going up,
 * downloading (a link to the gateway's download endpoint), uploading (file picker or drag and drop; 4 MiB chunks with
 * a progress bar and a Cancel button), new folder, rename, delete (after a confirmation). Buttons the role does not
 * allow are not shown; failures are shown as the gateway's sentence. Hooks: `.file-panel[data-path]`, `.file-crumbs`,
 * rows `.file-row[data-name][data-kind]`, `.file-enter`, `.file-download`, `.file-rename`, `.file-delete`,
 * `.file-up`, `.file-refresh`, `.file-mkdir`, `.file-upload`, `.file-upload-input`, `.file-transfer` (with
 * `progress`, `.file-transfer-cancel`), `.file-status`.
 */
export function mountFilePanel(container: HTMLElement, sessionId: string): void {
  mounted.get(container)?.dispose();
  const panel = new FilePanel(new FilesApi(sessionId), sessionId);
  mounted.set(container, panel);
  container.replaceChildren(panel.element);
  void panel.load('');
}

class FilePanel {
  readonly element: HTMLElement;
  private readonly crumbs: HTMLElement;
  private readonly status: HTMLElement;
  private readonly transfers: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly form: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private readonly upButton: HTMLButtonElement;
  private readonly mkdirButton: HTMLButtonElement;
  private readonly uploadButton: HTMLButtonElement;
  private readonly uploads = new Set<ChunkedUpload>();
  private queue: Promise<void> = Promise.resolve();
  private listing: FileListing | null = null;
  private loadSerial = 0;
  private disposed = false;

  constructor(
    private readonly api: FilesApi,
    sessionId: string,
  ) {
    this.crumbs = h('nav', { class: 'file-crumbs', 'aria-label': 'Folder' });
    this.status = h('p', { class: 'file-status muted small', role: 'status', hidden: true });
    this.transfers = h('div', { class: 'file-transfers', 'aria-live': 'polite' });
    this.form = h('div', { class: 'file-form', hidden: true });
    this.body = h('tbody');
    this.fileInput = h('input', { type: 'file', class: 'file-upload-input', multiple: true, hidden: true, onchange: () => this.uploadPicked() });
    this.upButton = h('button', { type: 'button', class: 'button small file-up', title: 'Up one folder', onclick: () => this.up() }, 'Up');
    this.mkdirButton = h('button', { type: 'button', class: 'button small file-mkdir', hidden: true, onclick: () => this.askName('New folder', '', (name) => this.mkdir(name)) }, 'New folder');
    this.uploadButton = h('button', { type: 'button', class: 'button small primary file-upload', hidden: true, onclick: () => this.fileInput.click() }, 'Upload');
    const table = h(
      'table',
      { class: 'file-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            ['Name', 'file-name-col'],
            ['Size', 'file-size-col'],
            ['Modified', 'file-modified-col'],
            ['', 'file-actions-col'],
          ].map(([label, cls]) => h('th', { scope: 'col', class: cls }, label)),
        ),
      ),
      this.body,
    );
    const drop = h('div', { class: 'file-drop' }, table);
    drop.addEventListener('dragover', (ev) => this.dragOver(ev, drop));
    drop.addEventListener('dragleave', () => drop.classList.remove('file-drop-active'));
    drop.addEventListener('drop', (ev) => this.dropped(ev, drop));
    this.element = h(
      'section',
      { class: 'file-panel', 'data-session-id': sessionId, 'aria-label': 'Files' },
      this.crumbs,
      h(
        'div',
        { class: 'file-toolbar' },
        this.upButton,
        h('button', { type: 'button', class: 'button small file-refresh', onclick: () => void this.reload() }, 'Refresh'),
        this.mkdirButton,
        this.uploadButton,
        this.fileInput,
      ),
      this.form,
      this.status,
      this.transfers,
      drop,
    );
  }

  /** Stops the uploads of a panel that is no longer shown. */
  dispose(): void {
    this.disposed = true;
    for (const upload of this.uploads) {
      upload.cancel();
    }
  }

  /** Lists `path` (the home directory when empty) and draws it. */
  async load(path: string): Promise<void> {
    const serial = ++this.loadSerial;
    this.element.classList.add('file-loading');
    try {
      const listing = await this.api.list(path);
      if (serial !== this.loadSerial || this.disposed) {
        return;
      }
      this.listing = listing;
      this.draw(listing);
      this.showStatus(listing.truncated ? `Showing ${listing.entries.length} of ${listing.total} entries.` : null);
    } catch (error) {
      if (serial === this.loadSerial && !this.disposed) {
        this.showError(error);
      }
    } finally {
      if (serial === this.loadSerial) {
        this.element.classList.remove('file-loading');
      }
    }
  }

  private reload(): Promise<void> {
    return this.load(this.listing?.path ?? '');
  }

  private up(): void {
    if (this.listing?.parent != null) {
      void this.load(this.listing.parent);
    }
  }

  private draw(listing: FileListing): void {
    this.element.dataset['path'] = listing.path;
    this.crumbs.replaceChildren(
      ...breadcrumb(listing.path).map((crumb, i, all) => {
        // "/" first, then the names with a "/" drawn between them (after the root's own).
        const cls = i >= 2 ? 'file-crumb file-crumb-sep' : 'file-crumb';
        return i === all.length - 1
          ? h('span', { class: `${cls} file-crumb-current`, 'aria-current': 'location' }, crumb.name)
          : h('button', { type: 'button', class: cls, title: crumb.path, onclick: () => void this.load(crumb.path) }, crumb.name);
      }),
    );
    this.upButton.disabled = listing.parent === null;
    this.mkdirButton.hidden = !listing.mayUpload;
    this.uploadButton.hidden = !listing.mayUpload;
    this.body.replaceChildren(...listing.entries.map((entry) => this.row(entry, listing)));
    if (listing.entries.length === 0) {
      this.body.append(h('tr', {}, h('td', { class: 'muted small', colspan: 4 }, 'This folder is empty.')));
    }
  }

  private row(entry: FileEntry, listing: FileListing): HTMLElement {
    const enterable = entry.kind === 'directory' || entry.kind === 'link';
    const downloadable = listing.mayDownload && (entry.kind === 'file' || entry.kind === 'link');
    const modified = new Date(entry.modified);
    const when = Number.isNaN(modified.getTime()) ? '' : modified.toLocaleString();
    // The name's tooltip also says when it changed: a narrow panel has no room for that column.
    const tip = when === '' ? entry.name : `${entry.name}, modified ${when}`;
    const name = enterable
      ? h('button', { type: 'button', class: 'file-name file-enter', title: `Open ${tip}`, onclick: () => void this.load(entry.path) }, entry.name)
      : h('span', { class: 'file-name', title: tip }, entry.name);
    return h(
      'tr',
      { class: `file-row file-${entry.kind}`, 'data-name': entry.name, 'data-kind': entry.kind },
      h(
        'td',
        {},
        h('div', { class: 'file-name-cell' }, h('span', { class: 'file-icon', 'aria-hidden': 'true' }, entry.kind === 'directory' ? '▸' : entry.kind === 'link' ? '↪' : '·'), name),
      ),
      h('td', { class: 'file-size' }, entry.kind === 'file' ? formatBytes(entry.size) : ''),
      h('td', { class: 'file-modified' }, h('time', { datetime: entry.modified }, when)),
      // Symbols with their words as the accessible name and tooltip: three words side by side do not fit the panel.
      h(
        'td',
        {},
        h(
          'div',
          { class: 'file-row-actions' },
          downloadable
            ? h(
                'a',
                { class: 'button small file-action file-download', href: downloadUrl(this.api.sessionId, entry.path), download: entry.name, title: `Download ${entry.name}`, 'aria-label': `Download ${entry.name}` },
                '\u2193',
              )
            : null,
          listing.mayUpload
            ? h(
                'button',
                { type: 'button', class: 'button small file-action file-rename', title: `Rename ${entry.name}`, 'aria-label': `Rename ${entry.name}`, onclick: () => this.askName(`Rename ${entry.name}`, entry.name, (to) => this.rename(entry, to)) },
                '\u270E',
              )
            : null,
          listing.mayUpload
            ? h('button', { type: 'button', class: 'button small danger file-action file-delete', title: `Delete ${entry.name}`, 'aria-label': `Delete ${entry.name}`, onclick: () => void this.remove(entry) }, '\u2715')
            : null,
        ),
      ),
    );
  }

  /** An inline form asking for a name; `done` runs with a name that passes the early checks. */
  private askName(title: string, initial: string, done: (name: string) => Promise<void>): void {
    const input = h('input', { type: 'text', class: 'file-form-name', value: initial, 'aria-label': title, spellcheck: false, autocomplete: 'off' });
    const error = h('span', { class: 'form-error small', role: 'alert' });
    const close = (): void => {
      this.form.hidden = true;
      this.form.replaceChildren();
    };
    const submit = (ev: Event): void => {
      ev.preventDefault();
      const name = input.value;
      const problem = nameProblem(name);
      if (problem !== null) {
        error.textContent = problem;
        return;
      }
      close();
      void done(name);
    };
    this.form.replaceChildren(
      h(
        'form',
        { class: 'file-form-inner', onsubmit: submit },
        h('label', {}, title, input),
        h('button', { type: 'submit', class: 'button small primary file-form-ok' }, 'OK'),
        h('button', { type: 'button', class: 'button small file-form-cancel', onclick: close }, 'Cancel'),
        error,
      ),
    );
    this.form.hidden = false;
    input.focus();
    input.select();
  }

  private async mkdir(name: string): Promise<void> {
    const dir = this.listing?.path ?? '';
    await this.act(() => this.api.mkdir(joinPath(dir, name)), `Created ${name}.`);
  }

  private async rename(entry: FileEntry, to: string): Promise<void> {
    if (to === entry.name) {
      return;
    }
    const dir = this.listing?.path ?? '';
    await this.act(() => this.api.rename(entry.path, joinPath(dir, to)), `Renamed ${entry.name} to ${to}.`);
  }

  private async remove(entry: FileEntry): Promise<void> {
    const what = entry.kind === 'directory' ? `the folder ${entry.name} (it must be empty)` : entry.name;
    if (!window.confirm(`Delete ${what}? This cannot be undone.`)) {
      return;
    }
    await this.act(() => this.api.remove(entry.path), `Deleted ${entry.name}.`);
  }

  /** Runs a change, then shows the folder again and the outcome. */
  private async act(change: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await change();
      await this.reload();
      this.showStatus(done);
    } catch (error) {
      this.showError(error);
    }
  }

  // ---- uploads --------------------------------------------------------------------------------------------------

  private uploadPicked(): void {
    const files = [...(this.fileInput.files ?? [])];
    this.fileInput.value = '';
    this.enqueue(files);
  }

  private dragOver(ev: DragEvent, drop: HTMLElement): void {
    if (this.listing?.mayUpload !== true || !(ev.dataTransfer?.types.includes('Files') ?? false)) {
      return;
    }
    ev.preventDefault();
    ev.dataTransfer!.dropEffect = 'copy';
    drop.classList.add('file-drop-active');
  }

  private dropped(ev: DragEvent, drop: HTMLElement): void {
    drop.classList.remove('file-drop-active');
    if (this.listing?.mayUpload !== true) {
      return;
    }
    ev.preventDefault();
    this.enqueue([...(ev.dataTransfer?.files ?? [])]);
  }

  /** Uploads files into the folder shown now, one after another. */
  private enqueue(files: File[]): void {
    const listing = this.listing;
    if (listing === null) {
      return;
    }
    for (const file of files) {
      const problem = nameProblem(file.name);
      if (problem !== null) {
        this.showStatus(`${file.name}: ${problem}`, true);
        continue;
      }
      if (listing.entries.some((e) => e.name === file.name) && !window.confirm(`${file.name} exists in this folder. Replace it?`)) {
        continue;
      }
      const item = this.transferItem(joinPath(listing.path, file.name), file);
      this.queue = this.queue.then(() => item());
    }
  }

  /** Draws a waiting transfer; returns what runs it. */
  private transferItem(path: string, file: UploadSource & { readonly name: string }): () => Promise<void> {
    const bar = h('progress', { max: Math.max(1, file.size), value: 0 });
    const label = h('span', { class: 'file-transfer-label small' }, `${file.name}: waiting`);
    const upload = new ChunkedUpload(path, file, (p, offset, body, final, signal) => this.api.putChunk(p, offset, body, final, signal), (progress) => {
      bar.value = progress.sent;
      label.textContent = `${file.name}: ${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`;
    });
    const cancel = h('button', { type: 'button', class: 'button small file-transfer-cancel', onclick: () => upload.cancel() }, 'Cancel');
    const row = h('div', { class: 'file-transfer', 'data-path': path, 'data-state': 'waiting' }, label, bar, cancel);
    this.transfers.append(row);
    this.uploads.add(upload);
    return async () => {
      try {
        if (upload.cancelled || this.disposed) {
          throw new UploadCancelled();
        }
        row.dataset['state'] = 'sending';
        await upload.run();
        row.dataset['state'] = 'done';
        row.remove();
        await this.reloadIfShown(path);
        this.showStatus(`Uploaded ${file.name} (${formatBytes(file.size)}).`);
      } catch (error) {
        row.dataset['state'] = error instanceof UploadCancelled ? 'cancelled' : 'failed';
        cancel.remove();
        label.textContent = `${file.name}: ${error instanceof Error ? error.message : String(error)}`;
        label.classList.add(error instanceof UploadCancelled ? 'muted' : 'form-error');
        const dismiss = h('button', { type: 'button', class: 'button small file-transfer-dismiss', onclick: () => row.remove() }, 'Dismiss');
        row.append(dismiss);
        // What reached the server before the failure or the cancel stays there: list it, so it can be seen and deleted.
        if (upload.sent > 0 || error instanceof UploadCancelled) {
          await this.reloadIfShown(path);
        }
      } finally {
        this.uploads.delete(upload);
      }
    };
  }

  /** Lists the folder shown again when `path` is in it. */
  private async reloadIfShown(path: string): Promise<void> {
    if (!this.disposed && this.listing !== null && joinPath(this.listing.path, path.slice(path.lastIndexOf('/') + 1)) === path) {
      await this.reload();
    }
  }

  // ---- status -----------------------------------------------------------------------------------------------------

  private showStatus(text: string | null, isError = false): void {
    this.status.hidden = text === null;
    this.status.textContent = text ?? '';
    this.status.className = isError ? 'file-status form-error small' : 'file-status muted small';
  }

  private showError(error: unknown): void {
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    this.showStatus(message, true);
  }
}
