/**
 * Lets xterm.js's DOM renderer draw under the gateway's Content-Security-Policy (Hosting/SecurityHeaders.cs:
 * `default-src 'self'`, so no inline styles), without loosening it.
 *
 * xterm.js 6 writes part of its styling inline: `<style>` elements inside the terminal (the theme's ANSI colours,
 * selection and cursor colours, row layout, scrollbar colours) and `style` attributes set with `setAttribute` on
 * cells in 24-bit colour. The browser refuses both under this policy (the `<style>` gets no sheet, the attribute
 * is not applied). Styles set through the CSSOM are not inline markup and the policy allows them, so this bridge
 * watches the terminal's subtree and
 * - mirrors every `<style>` element's text into a constructed stylesheet adopted by the document
 *   (`document.adoptedStyleSheets`), kept in step as xterm rewrites it and dropped when xterm removes it;
 * - applies a refused `style` attribute through `element.style.cssText`.
 * The browser still reports each refusal (a console message); nothing is loaded from elsewhere and nothing inline
 * runs.
 */
export class InlineStyleBridge {
  private readonly sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  private readonly observer: MutationObserver;

  constructor(
    private readonly root: HTMLElement,
    private readonly doc: Document = root.ownerDocument,
  ) {
    this.observer = new MutationObserver((records) => this.changed(records));
    this.observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style'] });
    this.scan(root);
  }

  /** How many `<style>` elements are mirrored now. */
  get mirrored(): number {
    return this.sheets.size;
  }

  /** Applies what changed since the last mutation callback now (before reading styles right after xterm wrote). */
  flush(): void {
    this.changed(this.observer.takeRecords());
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
      if (record.type === 'attributes') {
        this.applyStyleAttribute(record.target);
        continue;
      }
      const style = this.owningStyle(record.target);
      if (style !== null) {
        stylesChanged = true; // text of a <style> changed
        continue;
      }
      for (const node of record.addedNodes) {
        stylesChanged = this.scan(node) || stylesChanged;
      }
      for (const node of record.removedNodes) {
        stylesChanged = stylesChanged || node.nodeName === 'STYLE' || (node instanceof Element && node.querySelector('style') !== null);
      }
    }
    if (stylesChanged) {
      this.syncSheets();
    }
  }

  /** Fixes the style attributes in a newly added subtree; true when it holds a `<style>`. */
  private scan(node: Node): boolean {
    if (!(node instanceof Element)) {
      return false;
    }
    this.applyStyleAttribute(node);
    for (const styled of node.querySelectorAll('[style]')) {
      this.applyStyleAttribute(styled);
    }
    const hasStyle = node.nodeName === 'STYLE' || node.querySelector('style') !== null;
    if (hasStyle) {
      this.syncSheets();
    }
    return hasStyle;
  }

  /** A `style` attribute the policy refused leaves `element.style` empty: apply it through the CSSOM. */
  private applyStyleAttribute(node: Node): void {
    if (!(node instanceof HTMLElement)) {
      return;
    }
    const text = node.getAttribute('style');
    if (text !== null && text.trim() !== '' && node.style.length === 0) {
      node.style.cssText = text;
    }
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
