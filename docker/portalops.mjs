// The container's `portalops` command: runs the compiled CLI (dist/, built in the image) with the
// container's arguments (`start` by default). The image carries no TypeScript sources.
const { runCli } = await import('../dist/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
