#!/usr/bin/env node
// The command line: runs the compiled CLI in dist/ with plain Node (built by `npm run build`, which
// `npm ci` runs too). On Node >= 22.1 compiled code is cached between runs (a faster start-up).
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
