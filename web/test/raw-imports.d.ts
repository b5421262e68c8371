/** Vite's `?raw` imports (vitest): a file's text, used for the shared `.hex` byte vectors under tests/. */
declare module '*?raw' {
  const text: string;
  export default text;
}
