/**
 * Lets xterm.js's DOM renderer draw under the gateway's Content-Security-Policy (Hosting/SecurityHeaders.cs:
 * `default-src 'self'`, so no inline styles), without loosening it.
 *
 * xterm.js 6 writes part of its styling inline: `<style>` elements inside the terminal (the theme's ANSI colours,
 * selection and cursor colours, row layout, scrollbar colours) and `style` attributes set with `setAttribute` on
 * cells in 24-bit colour. The browser refuses both under this policy (the `<style>` gets no sheet; the attribute is
 * not applied, and xterm's next CSSOM write on the cell replaces it). Styles set through the CSSOM are not inline
 * markup and the policy allows them, so:
 * - {@link InlineStyleBridge} watches the terminal's subtree and mirrors every `<style>` element's text into a
 *   constructed stylesheet adopted by the document (`document.adoptedStyleSheets`), kept in step as xterm rewrites it
 *   and dropped when xterm removes it;
 * - {@link routeStyleAttributesThroughCssom} makes `setAttribute('style', text)` from scripts set
 *   `element.style.cssText` instead (what the script could do itself). Style attributes in markup the parser reads
 *   are still refused: the policy keeps guarding against injected HTML.
 * The browser still reports each refused `<style>` (a console message); nothing is loaded from elsewhere and no
 * inline script runs.
 */

let routed = false;

/** Installs the `setAttribute('style', …)` → `style.cssText` route once for the page (see above). */
export function routeStyleAttributesThroughCssom(): void {
  if (routed || typeof Element === 'undefined') {
    return;
  }
  routed = true;
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function setAttributeViaCssom(this: Element, name: string, value: string): void {
    if ((this instanceof HTMLElement || this instanceof SVGElement) && name.toLowerCase() === 'style') {
      this.style.cssText = String(value);
      return;
    }
    setAttribute.call(this, name, value);
  };
}

/** Mirrors the `<style>` elements under one root (the terminal) into adopted stylesheets while it lives (see above). */
export class InlineStyleBridge {
  private readonly sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  private readonly observer: MutationObserver;

  constructor(
    private readonly root: HTMLElement,
    private readonly doc: Document = root.ownerDocument,
  ) {
    this.observer = new MutationObserver((records) => this.changed(records));
    this.observer.observe(root, { subtree: true, childList: true, characterData: true });
    if (this.holdsStyle(root)) {
      this.syncSheets();
    }
  }

  /** Stops watching and withdraws the mirrored sheets. */
  dispose(): void {
    this.observer.disconnect();
    const ours = new Set<CSSStyleSheet>(this.sheets.values());
    this.sheets.clear();
    this.doc.adoptedStyleSheets = this.doc.adoptedStyleSheets.filter((s) => !ours.has(s));
  }

  private changed(records: readonly MutationRecord[]): void {
    let stylesChanged = false;
    for (const record of records) {
      const style = this.owningStyle(record.target);
      if (style !== null) {
        stylesChanged = true; // text of a <style> changed
        continue;
      }
      for (const node of record.addedNodes) {
        stylesChanged = this.holdsStyle(node) || stylesChanged;
      }
      for (const node of record.removedNodes) {
        stylesChanged = this.holdsStyle(node) || stylesChanged;
      }
    }
    if (stylesChanged) {
      this.syncSheets();
    }
  }

  /** Whether a subtree is or holds a `<style>`. */
  private holdsStyle(node: Node): boolean {
    return node instanceof Element && (node.nodeName === 'STYLE' || node.querySelector('style') !== null);
  }

  private owningStyle(node: Node): HTMLStyleElement | null {
    if (node instanceof HTMLStyleElement) {
      return node;
    }
    const parent = node.parentNode;
    return parent instanceof HTMLStyleElement ? parent : null;
  }

  /** Brings the adopted sheets in line with the `<style>` elements now in the subtree. */
  private syncSheets(): void {
    const present = new Set<HTMLStyleElement>(this.root.querySelectorAll('style'));
    let changed = false;
    for (const [element, sheet] of this.sheets) {
      if (!present.has(element)) {
        this.sheets.delete(element);
        this.doc.adoptedStyleSheets = this.doc.adoptedStyleSheets.filter((s) => s !== sheet);
        changed = true;
      }
    }
    for (const element of present) {
      let sheet = this.sheets.get(element);
      if (sheet === undefined) {
        sheet = new CSSStyleSheet();
        this.sheets.set(element, sheet);
        changed = true;
      }
      sheet.replaceSync(element.textContent ?? '');
    }
    if (changed) {
      const ours = new Set<CSSStyleSheet>(this.sheets.values());
      this.doc.adoptedStyleSheets = [...this.doc.adoptedStyleSheets.filter((s) => !ours.has(s)), ...this.sheets.values()];
    }
  }
}
