@readonly @smoke
Feature: Inspect nodegroups
  Before changing anything, an operator reads the nodegroups through the KAPI
  and checks them the way kubectl shows them. Nothing here changes the target.

  Scenario: List the nodegroups
    When I list the nodegroups
    Then the nodegroup list includes "${NODEGROUP}"

  Scenario: Get a nodegroup and check its state and finalizer
    When I get nodegroup "${NODEGROUP}"
    Then nodegroup "${NODEGROUP}" is in state "active"
    And nodegroup "${NODEGROUP}" has finalizer "finalizers.nodegroups.kubesphere.io"

  Scenario: A nodegroup that does not exist
    Then nodegroup "no-such-nodegroup" does not exist

  Scenario: See the nodes of a nodegroup as kubectl shows them
    When I run kubectl "get nodes --show-labels"
    Then kubectl succeeds
    And the kubectl output includes "${NODE}"
