Feature: Bind and unbind namespaces
  Binding a namespace labels it and its nodegroup, and, with scheduling and
  ippool enabled, annotates the namespace with the node selector and IPPool.

  Scenario: Bind a namespace and check every object it touches
    Given a new nodegroup "tenants"
    And namespace "${NAMESPACE}" is in no nodegroup
    When I bind namespace "${NAMESPACE}" to nodegroup "tenants"
    Then namespace "${NAMESPACE}" belongs to nodegroup "tenants"
    And nodegroup "tenants" lists namespace "${NAMESPACE}"
    And namespace "${NAMESPACE}" schedules onto nodegroup "tenants"
    And namespace "${NAMESPACE}" uses the IPPool of nodegroup "tenants"
    And kubectl lists namespace "${NAMESPACE}" in nodegroup "tenants"
    When I unbind namespace "${NAMESPACE}" from nodegroup "tenants"
    Then namespace "${NAMESPACE}" belongs to no nodegroup
    And nodegroup "tenants" no longer lists namespace "${NAMESPACE}"
    And namespace "${NAMESPACE}" has no scheduling annotation
    And namespace "${NAMESPACE}" no longer uses the IPPool of nodegroup "tenants"

  Scenario: Binding a namespace twice is harmless
    Given a new nodegroup "again"
    And namespace "${NAMESPACE}" is bound to nodegroup "again"
    When I bind namespace "${NAMESPACE}" to nodegroup "again"
    Then namespace "${NAMESPACE}" belongs to nodegroup "again"

  Scenario: A namespace that does not exist is refused
    Given a new nodegroup "nsless"
    When I try to bind namespace "no-such-namespace" to nodegroup "nsless"
    Then the request is refused with 404
