#!/usr/bin/env node
// The `proofdrop` command. It exists before the build (npm links bins at install, before `prepare`
// builds dist/), and runs the built CLI.
import '../dist/cli.js';
