/**
 * Shell words, one way for the whole tree: quoting for a POSIX shell and splitting a line a person
 * wrote (a runbook's kubectl step), both by `shlex` (a port of Python's shlex). Every command line
 * the project prints (nodegroup-api, kubectl, curl) is quoted here; nothing ever hands a line to a
 * shell, and no line we printed is read back.
 */
import { join, quote, split } from 'shlex';

/** One word, quoted only when it needs it (`it's` -> `'it'"'"'s'`). */
export const shellQuote = (word: string): string => quote(word);

/** argv as one command line a person can paste. */
export const commandLine = (argv: readonly string[]): string => join([...argv]);

/** The words of a line as a POSIX shell splits them (quotes and escapes removed). */
export const shellWords = (line: string): string[] => split(line);
