@troubleshooting
Feature: Troubleshoot a node label edited by hand
  A node is in a nodegroup when it carries the label apps.edgewize.io/nodegroup. When
  someone edits that label by hand after the bind, the node silently leaves the group:
  the KAPI still thinks it bound the node, and workloads pinned to the group stop landing
  there. The diagnosis compares the label with the node's last binding event.

  @sandbox-only
  Scenario: The group label was removed from a bound node by hand
    Given a new nodegroup "racks"
    And node "${NODE}" is bound to nodegroup "racks"
    And someone removes the label "apps.edgewize.io/nodegroup" from node "${NODE}" by hand
    Then kubectl does not list node "${NODE}" in nodegroup "racks"
    When I diagnose nodegroup "racks"
    Then the "node-labels" check fails with "node ${NODE}: label drift"
    And its likely cause is that "the node label was edited by hand after the bind"
    And it recommends running "kubectl label node ${NODE} apps.edgewize.io/nodegroup=racks --overwrite"
    When I run the recommended command
    Then node "${NODE}" belongs to nodegroup "racks"
    And kubectl lists node "${NODE}" in nodegroup "racks"
    And the diagnosis of nodegroup "racks" for node "${NODE}" is healthy

  @diagnose-only @readonly
  Scenario: Diagnose-only: the node labels match the bindings
    When I diagnose nodegroup "${NODEGROUP}"
    And I run what the "node-labels" check recommends, where repairs are allowed
    Then the "node-labels" check of nodegroup "${NODEGROUP}" passes
