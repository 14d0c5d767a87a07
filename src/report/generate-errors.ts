/** Why a report could not be generated. Every message says what was wrong and what to do. */

export type ReportErrorKind =
  /** The results folder is missing or holds no Allure result. */
  | 'no-results'
  /** The folder holds something else: cucumber JSON, JUnit XML, another tool's files. */
  | 'other-layout'
  /** allure-commandline needs Java and none runs. */
  | 'java-missing'
  /** allure-commandline ran and failed. */
  | 'allure-failed'
  /** The generated page would load something from another host. */
  | 'not-self-contained';

export class ReportError extends Error {
  constructor(
    readonly kind: ReportErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

/** Appended to every failure: the good report stays where it was. */
export const NOTHING_REPLACED = 'the previous report, if any, was left as it was';
