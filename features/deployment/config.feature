@readonly @smoke
Feature: Nodegroup deployment and configuration
  The nodegroup server runs in kubesphere-system with its config in the
  nodegroup-config ConfigMap. Nothing here changes the target.

  Scenario Outline: The <section> section of the nodegroup config is enabled
    Then the nodegroup config has <section> enabled

    Examples:
      | section    |
      | scheduling |
      | policy     |
      | rbac       |
      | ippool     |

  Scenario: The nodegroup server is deployed and running
    Then every nodegroup deployment is available
    And every nodegroup pod is Running and Ready
    When I run kubectl "get pods -n kubesphere-system"
    Then kubectl succeeds
    And the kubectl output includes "nodegroup-controller-manager"
