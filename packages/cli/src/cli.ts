#!/usr/bin/env node
// The `efficientdl` executable: runs main() on the process arguments and sets the exit code
// (without process.exit, so piped stdout is flushed first).
import { main } from './main.js';
import { processIo } from './io.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), processIo());
