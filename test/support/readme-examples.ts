/**
 * The example commands of a Markdown document: the lines of its fenced code blocks that run `program`, with
 * backslash-continued lines joined, as a reader would paste them into a shell.
 */
export function exampleCommands(markdown: string, program: string): string[] {
  const commands: string[] = [];
  let fence: string | null = null;
  let pending = '';
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null) {
      if (marker) fence = marker;
      continue;
    }
    if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
      fence = null;
      pending = '';
      continue;
    }
    const joined = pending + line;
    if (/\\\s*$/.test(joined)) {
      pending = joined.replace(/\\\s*$/, ' ');
      continue;
    }
    pending = '';
    const command = joined.trim();
    if (command === program || command.startsWith(`${program} `)) commands.push(command);
  }
  return commands;
}

/** The example with the documented address replaced by where the service under test listens. */
export function retarget(command: string, documented: string, actual: string): string {
  return command.split(documented).join(actual);
}
