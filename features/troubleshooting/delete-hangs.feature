@troubleshooting
Feature: Troubleshoot a nodegroup delete that hangs
  A delete answers 200, yet the nodegroup stays in state terminating. The controller
  keeps its finalizer while any node still carries the group's label, and a controller
  that never gets to the finalizer leaves it there for good. The diagnosis tells the two
  apart and names the command that lets the delete finish.

  @sandbox-only @destructive
  Scenario: A node still bound holds the delete until it is unbound
    Given a new nodegroup "sticky"
    And node "${NODE}" is bound to nodegroup "sticky"
    When I delete nodegroup "sticky"
    Then nodegroup "sticky" is in state "terminating"
    And nodegroup "sticky" still has finalizer "finalizers.nodegroups.kubesphere.io"
    When I diagnose nodegroup "sticky"
    Then the "finalizer" check fails with "delete hangs: 1 node(s) still bound: ${NODE}"
    And its likely cause is that "the controller keeps finalizer finalizers.nodegroups.kubesphere.io until no node carries apps.edgewize.io/nodegroup=sticky"
    And it recommends running "nodegroup-api unbind node --nodegroup sticky --node ${NODE}"
    When I run the recommended command
    Then nodegroup "sticky" is gone
    And node "${NODE}" belongs to no nodegroup

  @sandbox-only @destructive
  Scenario: A finalizer the controller never removes is removed by hand
    Given a new nodegroup "jammed"
    And the controller never removes the finalizer of nodegroup "jammed"
    When I delete nodegroup "jammed"
    Then nodegroup "jammed" is in state "terminating"
    And nodegroup "jammed" still has finalizer "finalizers.nodegroups.kubesphere.io"
    When I diagnose nodegroup "jammed"
    Then the "finalizer" check fails with "finalizer finalizers.nodegroups.kubesphere.io stuck with no node bound"
    And its likely cause is that "the controller has not removed its finalizer"
    And it recommends a command starting with "kubectl patch nodegroup jammed --type=json -p"
    When I run the recommended command
    Then nodegroup "jammed" is gone

  @diagnose-only @readonly
  Scenario: Diagnose-only: no delete of the nodegroup hangs
    When I diagnose nodegroup "${NODEGROUP}"
    And I run what the "finalizer" check recommends, where repairs are allowed
    Then the "finalizer" check of nodegroup "${NODEGROUP}" passes
