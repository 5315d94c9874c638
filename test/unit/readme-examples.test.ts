import { exampleCommands, retarget } from '../support/readme-examples';

describe('exampleCommands', () => {
  it('takes the lines that run the program from fenced code blocks only', () => {
    const md = [
      'Run curl to search:',
      'curl http://not-in-a-block',
      '```bash',
      'npm start',
      "curl --get --data-urlencode 'q=上海精神' http://localhost:3000/api/search",
      '  curl http://localhost:3000/healthz   # indented',
      'curlish --not-curl',
      '```',
      '',
      '~~~',
      'curl http://localhost:3000/readyz',
      '~~~',
    ].join('\n');
    expect(exampleCommands(md, 'curl')).toEqual([
      "curl --get --data-urlencode 'q=上海精神' http://localhost:3000/api/search",
      'curl http://localhost:3000/healthz   # indented',
      'curl http://localhost:3000/readyz',
    ]);
  });

  it('joins backslash-continued lines into one command', () => {
    const md = ['```sh', 'curl --get \\', "  --data-urlencode 'q=SCO' \\", '  http://localhost:3000/api/search', '```'].join('\n');
    expect(exampleCommands(md, 'curl')).toEqual(["curl --get    --data-urlencode 'q=SCO'    http://localhost:3000/api/search"]);
  });

  it('does not close a block on a shorter or different fence', () => {
    const md = ['````md', '```', 'curl http://localhost:3000/a', '````', 'curl http://outside'].join('\n');
    expect(exampleCommands(md, 'curl')).toEqual(['curl http://localhost:3000/a']);
  });
});

describe('retarget', () => {
  it('replaces every occurrence of the documented address', () => {
    expect(retarget('curl http://localhost:3000/a http://localhost:3000/b', 'http://localhost:3000', 'http://127.0.0.1:4321')).toBe(
      'curl http://127.0.0.1:4321/a http://127.0.0.1:4321/b',
    );
  });
});
