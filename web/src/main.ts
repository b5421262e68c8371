import './styles.css';
import { ApiClient } from './api/client';
import { App } from './app';
import { testHooks } from './test-hooks';
import './files/register'; // the SFTP file panel beside every terminal

testHooks();
const root = document.getElementById('app');
if (root === null) {
  throw new Error('index.html has no #app element');
}
void new App(root, new ApiClient()).start();
