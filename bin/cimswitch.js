#!/usr/bin/env node
// Entry point of the `cimswitch` command: runs the compiled CLI from dist/.
import '../dist/cli.js';
