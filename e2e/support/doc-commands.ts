/**
 * The shell commands of a Markdown guide, in order: every non-empty, non-comment line of its
 * ```sh blocks. The getting-started e2e walks them with {@link DocWalk}, which fails when the
 * test runs a command the guide does not show next, or ends with commands left over — so the
 * guide and the suite cannot drift apart.
 */
import { readFileSync } from 'node:fs';

export function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  let inShell = false;
  for (const line of markdown.split('\n')) {
    const fence = /^```(\S*)/.exec(line.trim());
    if (fence !== null) {
      inShell = !inShell && fence[1] === 'sh';
      continue;
    }
    const text = line.trim();
    if (inShell && text !== '' && !text.startsWith('#')) commands.push(text);
  }
  return commands;
}

export class DocWalk {
  readonly #commands: readonly string[];
  #next = 0;

  constructor(path: string) {
    this.#commands = shellCommands(readFileSync(path, 'utf8'));
  }

  /** Claims the guide's next command, which must be `command`; returns it. */
  take(command: string): string {
    const expected = this.#commands[this.#next];
    if (expected !== command) {
      throw new Error(
        `the guide's command #${this.#next + 1} is ${JSON.stringify(expected)}, but the test runs ${JSON.stringify(command)}`,
      );
    }
    this.#next += 1;
    return command;
  }

  /** Commands of the guide the test has not run. */
  remaining(): readonly string[] {
    return this.#commands.slice(this.#next);
  }
}
