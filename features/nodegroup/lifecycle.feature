Feature: Nodegroup lifecycle
  An operator creates, patches and deletes nodegroups. Every change is checked
  before and after, and whatever a scenario creates is removed when it ends.

  Scenario: Create a nodegroup and read it back
    When I create nodegroup "canary" with alias "Canary site" and manager "admin"
    Then nodegroup "canary" is in state "active"
    And nodegroup "canary" has alias "Canary site"
    And nodegroup "canary" has finalizer "finalizers.nodegroups.kubesphere.io"
    And the nodegroup list includes "canary"

  Scenario: Patch the description of a nodegroup, leaving the rest alone
    Given a new nodegroup "patched" with alias "Before"
    When I patch nodegroup "patched" setting description to "Rack 7, second floor"
    Then nodegroup "patched" has description "Rack 7, second floor"
    And nodegroup "patched" has alias "Before"

  Scenario: Change the alias with a raw JSON Patch
    Given a new nodegroup "raw"
    When I apply this JSON Patch to nodegroup "raw":
      """
      [{"op": "add", "path": "/spec/alias", "value": "Raw alias"}]
      """
    Then nodegroup "raw" has alias "Raw alias"

  Scenario: A JSON Patch whose test fails changes nothing
    Given a new nodegroup "guarded" with alias "Kept"
    When I try to apply this JSON Patch to nodegroup "guarded":
      """
      [{"op": "test", "path": "/spec/alias", "value": "Other"},
       {"op": "replace", "path": "/spec/alias", "value": "Lost"}]
      """
    Then the request is refused with 422
    And nodegroup "guarded" has alias "Kept"

  Scenario: Delete a nodegroup with nothing bound
    Given a new nodegroup "short-lived"
    When I delete nodegroup "short-lived"
    Then nodegroup "short-lived" is gone

  Scenario: Delete hangs while a node is still bound, until the node is unbound
    Given a new nodegroup "sticky"
    And node "${NODE}" is bound to nodegroup "sticky"
    When I delete nodegroup "sticky"
    Then nodegroup "sticky" is in state "terminating"
    And nodegroup "sticky" still has finalizer "finalizers.nodegroups.kubesphere.io"
    And nodegroup "sticky" has an event "NodesStillBound"
    When I unbind node "${NODE}" from nodegroup "sticky"
    Then nodegroup "sticky" is gone
