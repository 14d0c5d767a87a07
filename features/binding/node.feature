Feature: Bind and unbind nodes
  Nodes join a nodegroup through the KAPI; the node label
  apps.edgewize.io/nodegroup shows where each node belongs.

  Scenario: Bind a node and unbind it again
    Given a new nodegroup "site"
    And node "${NODE}" is in no nodegroup
    When I bind node "${NODE}" to nodegroup "site"
    Then node "${NODE}" belongs to nodegroup "site"
    And kubectl lists node "${NODE}" in nodegroup "site"
    And nodegroup "site" has an event "NodeBound"
    When I unbind node "${NODE}" from nodegroup "site"
    Then node "${NODE}" belongs to no nodegroup
    And kubectl does not list node "${NODE}" in nodegroup "site"

  Scenario: Bind a node to an existing nodegroup, as the guide writes it
    Given nodegroup "${NODEGROUP}"
    And node "${NODE}" is in no nodegroup
    When I bind node "${NODE}" to nodegroup "${NODEGROUP}"
    Then node "${NODE}" has label "apps.edgewize.io/nodegroup=${NODEGROUP}"
    When I unbind node "${NODE}" from nodegroup "${NODEGROUP}"
    Then node "${NODE}" has no label "apps.edgewize.io/nodegroup"

  Scenario: Move a node from one nodegroup to another
    Given a new nodegroup "first"
    And a new nodegroup "second"
    And node "${NODE}" is bound to nodegroup "first"
    When I bind node "${NODE}" to nodegroup "second"
    Then node "${NODE}" belongs to nodegroup "second"
    And kubectl does not list node "${NODE}" in nodegroup "first"

  Scenario: Binding a node twice is harmless
    Given a new nodegroup "twice"
    And node "${NODE}" is bound to nodegroup "twice"
    When I bind node "${NODE}" to nodegroup "twice"
    Then node "${NODE}" belongs to nodegroup "twice"

  Scenario: Unbinding a node from a group it is not in leaves it where it is
    Given a new nodegroup "home"
    And a new nodegroup "elsewhere"
    And node "${NODE}" is bound to nodegroup "home"
    When I unbind node "${NODE}" from nodegroup "elsewhere"
    Then node "${NODE}" belongs to nodegroup "home"

  Scenario: A node that does not exist is refused
    Given a new nodegroup "strict"
    When I try to bind node "no-such-node" to nodegroup "strict"
    Then the request is refused with 404

  Scenario: A nodegroup that does not exist is refused
    When I try to bind node "${NODE}" to nodegroup "no-such-nodegroup"
    Then the request is refused with 404
    And node "${NODE}" belongs to no nodegroup

  Scenario: A nodegroup being deleted takes no new nodes
    Given a new nodegroup "doomed"
    And node "${NODE}" is bound to nodegroup "doomed"
    When I delete nodegroup "doomed"
    And I try to bind node "${OTHER_NODE}" to nodegroup "doomed"
    Then the request is refused with 409
    And node "${OTHER_NODE}" belongs to no nodegroup
