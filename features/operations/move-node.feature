@operation
Feature: Move a node between nodegroups
  An operation: the node leaves FROM_GROUP for TO_GROUP and stays there. On a live environment
  both groups must exist and MOVE_NODE must be in FROM_GROUP already (the runbook checks it); the
  embedded sandbox stages that first. On a protected environment the move itself needs
  --allow-destructive: it takes the node out of a group this run does not own.

  Scenario: Move a node to another nodegroup
    Given nodegroup "${FROM_GROUP}" exists (staged on the sandbox)
    And nodegroup "${TO_GROUP}" exists (staged on the sandbox)
    And node "${MOVE_NODE}" is in nodegroup "${FROM_GROUP}" (staged on the sandbox)
    When I bind node "${MOVE_NODE}" to nodegroup "${TO_GROUP}"
    Then node "${MOVE_NODE}" belongs to nodegroup "${TO_GROUP}"
    And kubectl does not list node "${MOVE_NODE}" in nodegroup "${FROM_GROUP}"
