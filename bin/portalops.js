#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install`/`npm ci` through `prepare`, by `npm start`,
// or by `npm run build`) when it was compiled from the sources as they are now. Otherwise, after
// an edit or in a clone not yet built, it runs the TypeScript sources through tsx: slower to start,
// never stale.
import module from 'node:module';
import { isDistFresh } from './dist-state.js';

// Node 22+ keeps compiled code between runs; Node 20 has no such cache and skips this.
module.enableCompileCache?.();
// `portalops jobs | head` closing the pipe early is not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

let runCli;
if (process.env.PORTALOPS_FROM_SOURCES !== '1' && isDistFresh()) {
  ({ runCli } = await import('../dist/cli/main.js'));
} else {
  if (process.stderr.isTTY && process.env.PORTALOPS_FROM_SOURCES !== '1')
    process.stderr.write(
      'portalops: running from sources (dist/ is missing or older); `npm run build` starts faster.\n',
    );
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
