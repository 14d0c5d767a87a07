Feature: Bind and unbind many nodes at once
  Edge sites have many nodes: a batch binds every node a label selector picks, or the nodes of a
  table, with a bounded number of requests in flight, one ledger entry per node and one wait for
  all of them. A node the server refuses is named; the others stay bound and are undone by cleanup.

  Scenario: Bind the edge nodes by selector and unbind them again
    Given a new nodegroup "site"
    When I bind the nodes matching "node-role.kubernetes.io/edge" to nodegroup "site"
    Then the nodes matching "node-role.kubernetes.io/edge" belong to nodegroup "site"
    And node "edge-node-1" belongs to nodegroup "site"
    When I unbind the nodes matching "node-role.kubernetes.io/edge" from nodegroup "site"
    Then the nodes matching "node-role.kubernetes.io/edge" belong to no nodegroup

  Scenario: Bind the nodes of a table
    Given a new nodegroup "racks"
    When I bind these nodes to nodegroup "racks":
      | node          |
      | ${NODE}       |
      | ${OTHER_NODE} |
    Then these nodes belong to nodegroup "racks":
      | node          |
      | ${NODE}       |
      | ${OTHER_NODE} |

  @sandbox-only
  Scenario: One refused node is named, the others are bound
    Given a new nodegroup "partial"
    And the KAPI answers 500 to binding node "edge-node-2"
    When I try to bind the nodes matching "node-role.kubernetes.io/edge" to nodegroup "partial"
    Then the batch failed for node "edge-node-2" only
    And node "edge-node-1" belongs to nodegroup "partial"
    And node "edge-node-2" belongs to no nodegroup

  Scenario: A selector that matches no node is a failure, not a pass
    Given a new nodegroup "empty"
    When I try to bind the nodes matching "site=nowhere" to nodegroup "empty"
    Then the batch changed nothing because no nodes match

  Scenario: A table with a repeated node is refused before any change
    Given a new nodegroup "careful"
    When I try to bind these nodes to nodegroup "careful":
      | node    |
      | ${NODE} |
      | ${NODE} |
    Then the batch is refused: "row 3 repeats node ${NODE} of row 2"
