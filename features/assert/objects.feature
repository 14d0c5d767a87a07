Feature: Check any object against the fields that matter
  As Chainsaw's assert: the document names only the fields to check; maps match by key, lists
  element by element. Any kind the API serves, namespaced ones as "namespace/name".

  Scenario: A node carries its role and addresses
    Then the node "${NODE}" matches:
      """
      metadata:
        labels:
          node-role.kubernetes.io/worker: ""
      status:
        addresses:
          - type: InternalIP
          - type: Hostname
            address: ${NODE}
      """

  Scenario: A bound node matches its group, another node does not
    Given a new nodegroup "site"
    When I bind node "${NODE}" to nodegroup "site"
    Then the node "${NODE}" matches:
      """
      metadata:
        labels:
          apps.edgewize.io/nodegroup: site
      """
    And the node "${OTHER_NODE}" does not match:
      """
      metadata:
        labels:
          apps.edgewize.io/nodegroup: site
      """

  Scenario: Namespaced objects and the nodegroup itself
    Then the deployment "kubesphere-system/nodegroup-controller-manager" matches:
      """
      metadata:
        labels:
          app.kubernetes.io/part-of: nodegroup
      """
    And the configmap "nodegroup-config" in namespace "kubesphere-system" matches:
      """
      metadata:
        name: nodegroup-config
      """
    And the nodegroup "${NODEGROUP}" matches:
      """
      spec:
        alias: Edge site A
      status:
        state: active
      """
