/**
 * The base of the library's errors: a stable `code` a caller can branch on, and a `name` that is
 * the class's own, so a message printed with its name says which error it is.
 */
export abstract class CodedError<Code extends string> extends Error {
  abstract readonly code: Code;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
