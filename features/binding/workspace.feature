Feature: Bind and unbind workspaces
  Binding a workspace marks it with its parent nodegroup and binds every
  namespace of the workspace as well.

  Scenario: Bind a workspace and its namespaces follow
    Given a new nodegroup "team"
    And workspace "${WORKSPACE}" is in no nodegroup
    When I bind workspace "${WORKSPACE}" to nodegroup "team"
    Then workspace "${WORKSPACE}" belongs to nodegroup "team"
    And namespace "${WORKSPACE_NAMESPACE}" belongs to nodegroup "team"
    When I unbind workspace "${WORKSPACE}" from nodegroup "team"
    Then workspace "${WORKSPACE}" belongs to no nodegroup
    And namespace "${WORKSPACE_NAMESPACE}" belongs to no nodegroup

  Scenario: A workspace that does not exist is refused
    Given a new nodegroup "wsless"
    When I try to bind workspace "no-such-workspace" to nodegroup "wsless"
    Then the request is refused with 404
