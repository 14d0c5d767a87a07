@troubleshooting
Feature: Troubleshoot an IPPool that is not synced
  With ippool enabled, each nodegroup has an IPPool, and its bound namespaces are
  annotated with it. When the controller's IPPool updates fail, the group reports the
  condition IPPoolSynced=False with an IPPoolSyncFailed event, and namespaces bound
  meanwhile get no IPPool. The diagnosis points at the IPPool; once updates work again
  the controller catches up on its own.

  @sandbox-only
  Scenario: IPPool updates fail while a namespace is bound
    Given a new nodegroup "pods"
    And updates of IPPools fail
    When I bind namespace "${NAMESPACE}" to nodegroup "pods"
    Then nodegroup "pods" reports its IPPool out of sync
    And nodegroup "pods" has an event "IPPoolSyncFailed"
    And namespace "${NAMESPACE}" no longer uses the IPPool of nodegroup "pods"
    When I diagnose nodegroup "pods" for namespace "${NAMESPACE}"
    Then the "ippool-sync" check fails with "IPPool pods-ippool not synced: IPPoolSyncFailed"
    And its likely cause is that "failed to sync IPPool pods-ippool"
    And it recommends running "kubectl get ippools -l infra.kubesphere.io/ippool-pods=pods -o yaml"
    When I run the recommended command
    And IPPool updates work again
    Then nodegroup "pods" reports its IPPool in sync
    And namespace "${NAMESPACE}" uses the IPPool of nodegroup "pods"
    And the diagnosis of nodegroup "pods" for namespace "${NAMESPACE}" is healthy

  @diagnose-only @readonly
  Scenario: Diagnose-only: the IPPool of the nodegroup is in sync
    When I diagnose nodegroup "${NODEGROUP}"
    And I run what the "ippool-sync" check recommends, where repairs are allowed
    Then the "ippool-sync" check of nodegroup "${NODEGROUP}" passes
