@acceptance
Feature: Acceptance 9: the target is left as it was
  Runs last: every change of the acceptance is undone and every object it created is gone (on
  the embedded sandbox, the whole compared state equals the state before the run).

  @capability:cleanup
  Scenario: Nothing the acceptance created is left
    Then nothing the acceptance created is left
