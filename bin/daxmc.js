#!/usr/bin/env node
// The daxmc command: runs the compiled CLI (npm ci runs `prepare`, which builds dist/).
import { run } from "../dist/src/cli/main.js";

await run();
