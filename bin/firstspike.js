#!/usr/bin/env node
// The command line: runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` runs too).
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
