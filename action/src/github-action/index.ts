/** Entry GitHub Actions runs (bundled to action/dist/index.js); the logic is `run()` in main.ts. */
import { run } from './main.js';

await run();
