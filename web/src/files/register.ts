import { registerTerminalPanel } from '../terminal/extensions';
import { mountFilePanel } from './panel';

/**
 * Adds the SFTP file panel beside every terminal (the terminal page's side-panel registry). Loaded once, for its
 * effect, from `main.ts`: `import './files/register';`.
 */
registerTerminalPanel('files', mountFilePanel, 'Files');
