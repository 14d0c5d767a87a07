/** Ask for credentials on a terminal: the password without echo. */
import { UsageError } from '../kapi/errors';

export interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface PromptOutput {
  write(text: string): unknown;
}

/** Read one line; with `hidden`, in raw mode so nothing typed is echoed. */
export function prompt(
  question: string,
  input: PromptInput,
  output: PromptOutput,
  hidden: boolean,
): Promise<string> {
  output.write(question);
  if (hidden) input.setRawMode?.(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      if (hidden) input.setRawMode?.(false);
      input.off('data', onData);
      input.pause();
      if (hidden) output.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new UsageError('login cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (!hidden || ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}
