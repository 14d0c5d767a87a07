@acceptance
Feature: Acceptance 2: every route of the nodegroup API
  Create, list, get, patch, bind and unbind (node, namespace, workspace) and delete, on a new
  group, a new namespace, a new workspace and the node the environment names (NODE), each
  write verified; the scenario's cleanup puts everything back.

  @capability:api-routes
  Scenario: Every route of the nodegroup API answers on disposable objects
    Given a new namespace "routes-ns"
    And a new workspace "routes-ws"
    Then every route of the nodegroup API answers for node "${NODE}", namespace "routes-ns" and workspace "routes-ws"
