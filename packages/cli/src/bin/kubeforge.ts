#!/usr/bin/env node
import { createCli } from '../cli.ts';

await createCli(process.argv.slice(2)).parseAsync();
