@acceptance @readonly
Feature: Acceptance 1: the installation as deployed
  Read-only checks of what is installed: the nodegroup server, its config, its API, and the
  read-only user's rights. Safe against production: nothing is changed (a write the viewer is
  wrongly allowed can only create a disposable nodegroup, which the cleanup deletes).

  @capability:deployment
  Scenario: The nodegroup server is deployed, its pods Running and Ready
    Then every nodegroup deployment is available
    And every nodegroup pod is Running and Ready

  @capability:config
  Scenario: The nodegroup config is valid with every section enabled
    Then the nodegroup config has scheduling enabled
    And the nodegroup config has policy enabled
    And the nodegroup config has rbac enabled
    And the nodegroup config has ippool enabled

  @capability:discovery
  Scenario: The nodegroup API is discovered through Kubernetes and answers through the KAPI
    When I run kubectl "api-resources --api-group infra.kubesphere.io"
    Then kubectl succeeds
    And the kubectl output includes "nodegroups"
    When I list the nodegroups

  @capability:rbac
  Scenario: The read-only user reads the nodegroups and is refused every write
    Given I am the user "viewer"
    Then the user can list the nodegroups
    When the user tries every write of the nodegroup API on nodegroup "viewer-probe" and node "${NODE}"
    Then every one of those requests is forbidden
