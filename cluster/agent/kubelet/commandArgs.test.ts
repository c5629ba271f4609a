import { describe, expect, it } from 'vitest';
import { dockerCommand, expandVars } from './commandArgs';

describe('dockerCommand', () => {
  it('keeps the image entrypoint and cmd when neither command nor args is given', () => {
    expect(dockerCommand({}, {})).toEqual({});
  });

  it('replaces the entrypoint and drops the image cmd when command is given', () => {
    expect(dockerCommand({ command: ['sh', '-c'] }, {})).toEqual({ Entrypoint: ['sh', '-c'], Cmd: [] });
    expect(dockerCommand({ command: ['echo'], args: ['a', 'b'] }, {})).toEqual({
      Entrypoint: ['echo'],
      Cmd: ['a', 'b'],
    });
  });

  it('replaces only the cmd when args alone are given', () => {
    expect(dockerCommand({ args: ['--port', '80'] }, {})).toEqual({ Cmd: ['--port', '80'] });
  });

  it('expands $(VAR) from the environment in command and args', () => {
    expect(
      dockerCommand(
        { command: ['echo', '$(GREETING)'], args: ['$(NAME)!'] },
        { GREETING: 'hi', NAME: 'bob' },
      ),
    ).toEqual({
      Entrypoint: ['echo', 'hi'],
      Cmd: ['bob!'],
    });
  });
});

describe('expandVars', () => {
  it('leaves unknown references and escapes $$ as Kubernetes does', () => {
    expect(expandVars('$(MISSING) $$(HOME) $(A)', { A: 'x', HOME: '/root' })).toBe('$(MISSING) $(HOME) x');
  });
});
