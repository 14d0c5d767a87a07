@troubleshooting
Feature: Troubleshoot a nodegroup controller that is down
  The KAPI records each bind as a request and the controller applies it. When the
  controller hangs, every request answers 200 and nothing converges: the node waits,
  unlabelled, and the controller pod shows READY 0/1. The diagnosis names the pending
  requests and the restart that brings the controller back.

  @sandbox-only @destructive
  Scenario: A bind is accepted but never applied
    Given a new nodegroup "frozen"
    And the nodegroup controller hangs
    When I ask to bind node "${NODE}" to nodegroup "frozen"
    Then node "${NODE}" waits to join nodegroup "frozen"
    And the nodegroup controller is not Ready
    When I run kubectl "get pods -n kubesphere-system"
    Then the kubectl output includes "0/1"
    When I diagnose nodegroup "frozen" for node "${NODE}"
    Then the "controller-health" check fails with "nodegroup-controller-manager"
    And its likely cause is that "the controller is not running: nothing converges"
    And it names the request still waiting: "node/${NODE} -> frozen"
    And it recommends running "kubectl rollout restart deployment/nodegroup-controller-manager -n kubesphere-system"
    When I run the recommended command
    Then the nodegroup controller is Ready
    And every nodegroup pod is Running and Ready
    And node "${NODE}" belongs to nodegroup "frozen"
    And the diagnosis of nodegroup "frozen" for node "${NODE}" is healthy

  @diagnose-only @readonly
  Scenario: Diagnose-only: the nodegroup controller is up
    When I diagnose nodegroup "${NODEGROUP}"
    And I run what the "controller-health" check recommends, where repairs are allowed
    Then the "controller-health" check of nodegroup "${NODEGROUP}" passes
