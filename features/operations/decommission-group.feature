@operation
Feature: Decommission a nodegroup
  An operation: everything OLD_SITE holds is unbound (nodes, namespaces, workspaces), then the
  group is deleted and verified gone. On a live environment the group must exist and hold
  OLD_SITE_NODE and OLD_SITE_NAMESPACE (the sandbox stages them). Deleting a group this run did
  not create needs --allow-destructive on every live environment; `npm run revert` recreates it
  and binds its targets again.

  Scenario: Decommission a nodegroup
    Given nodegroup "${OLD_SITE}" exists (staged on the sandbox)
    And node "${OLD_SITE_NODE}" is in nodegroup "${OLD_SITE}" (staged on the sandbox)
    And namespace "${OLD_SITE_NAMESPACE}" is in nodegroup "${OLD_SITE}" (staged on the sandbox)
    When I unbind everything from nodegroup "${OLD_SITE}"
    Then nodegroup "${OLD_SITE}" holds nothing
    When I delete nodegroup "${OLD_SITE}"
    Then nodegroup "${OLD_SITE}" is gone
