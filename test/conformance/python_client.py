"""Drive the sandbox with the official Kubernetes Python client (Debian python3-kubernetes), typed API.

Run by test/conformance/python-client.test.ts with KUBECONFIG set; prints one "ok <step>" line per
check and exits non-zero (with the client's own exception) on the first failure.
"""
import os
import sys

from kubernetes import client, config, watch

config.load_kube_config(config_file=os.environ["KUBECONFIG"])
api = client.ApiClient()
core = client.CoreV1Api(api)
apps = client.AppsV1Api(api)
custom = client.CustomObjectsApi(api)

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"


def ok(step):
    print("ok " + step, flush=True)


def patch_as(content_type, call, *args):
    # python3-kubernetes 22 picks the patch type itself; a default header overrides its choice.
    api.set_default_header("Content-Type", content_type)
    try:
        return call(*args)
    finally:
        api.default_headers.pop("Content-Type", None)


def watch_names(func, *args, **kwargs):
    names = []
    w = watch.Watch()
    for event in w.stream(func, *args, timeout_seconds=3, **kwargs):
        obj = event["object"]
        names.append(obj["metadata"]["name"] if isinstance(obj, dict) else obj.metadata.name)
        if len(names) >= 2:
            w.stop()
    return names


# Nodes: typed deserialisation needs a complete nodeInfo.
nodes = core.list_node()
assert len(nodes.items) >= 6, nodes.items
assert nodes.items[0].status.node_info.boot_id
ok("list nodes")
node = core.read_node("worker-1")
assert node.status.node_info.kernel_version and node.status.addresses
assert node.status.conditions[0].last_heartbeat_time is not None
ok("read node")
patched = patch_as(STRATEGIC, core.patch_node, "worker-1", {"metadata": {"labels": {"py": "strategic"}}})
assert patched.metadata.labels["py"] == "strategic"
patched = patch_as(MERGE, core.patch_node, "worker-1", {"metadata": {"labels": {"py": "merge"}}})
assert patched.metadata.labels["py"] == "merge"
patched = patch_as(JSON_PATCH, core.patch_node, "worker-1", [{"op": "remove", "path": "/metadata/labels/py"}])
assert "py" not in (patched.metadata.labels or {})
ok("patch node (strategic, merge, json)")
assert watch_names(core.list_node), "a watch with watch=True yielded nothing"
ok("watch nodes")

# Pods: container statuses with imageID; owned by a ReplicaSet owned by a Deployment.
pods = core.list_namespaced_pod("kubesphere-system")
pod = pods.items[0]
status = pod.status.container_statuses[0]
assert status.image_id and status.container_id and status.ready and status.started
owner = pod.metadata.owner_references[0]
assert owner.kind == "ReplicaSet", owner
rs = apps.read_namespaced_replica_set(owner.name, "kubesphere-system")
assert rs.metadata.owner_references[0].kind == "Deployment"
ok("list pods, owners")
pod = core.read_namespaced_pod(pod.metadata.name, "kubesphere-system")
patched = patch_as(
    STRATEGIC, core.patch_namespaced_pod, pod.metadata.name, "kubesphere-system",
    {"metadata": {"annotations": {"py": "1"}}},
)
assert patched.metadata.annotations["py"] == "1"
assert watch_names(core.list_namespaced_pod, "kubesphere-system")
ok("read, patch, watch pods")

# Namespaces.
assert any(n.metadata.name == "demo-app" for n in core.list_namespace().items)
ns = patch_as(MERGE, core.patch_namespace, "demo-db", {"metadata": {"labels": {"py": "1"}}})
assert core.read_namespace("demo-db").metadata.labels["py"] == "1"
assert watch_names(core.list_namespace)
ok("namespaces: list, read, patch, watch")

# ConfigMaps.
cms = core.list_namespaced_config_map("kubesphere-system")
cm = core.read_namespaced_config_map("nodegroup-config", "kubesphere-system")
assert "nodegroup.yaml" in cm.data
patched = patch_as(
    JSON_PATCH, core.patch_namespaced_config_map, "nodegroup-config", "kubesphere-system",
    [{"op": "add", "path": "/metadata/labels/py", "value": "1"}],
)
assert patched.metadata.labels["py"] == "1"
assert watch_names(core.list_config_map_for_all_namespaces)
ok("configmaps: list, read, patch, watch")

# Deployments.
deployments = apps.list_namespaced_deployment("kubesphere-system")
assert {d.metadata.name for d in deployments.items} >= {"nodegroup-apiserver", "nodegroup-controller-manager"}
d = apps.read_namespaced_deployment("nodegroup-apiserver", "kubesphere-system")
assert d.status.available_replicas == 1
patched = patch_as(
    STRATEGIC, apps.patch_namespaced_deployment, "nodegroup-apiserver", "kubesphere-system",
    {"metadata": {"labels": {"py": "1"}}},
)
assert patched.metadata.labels["py"] == "1"
assert watch_names(apps.list_deployment_for_all_namespaces)
ok("deployments: list, read, patch, watch")

# Events (the controller's, after a bind through the KAPI by the test).
events = core.list_event_for_all_namespaces()
assert any(e.reason == "NodeBound" for e in events.items), [e.reason for e in events.items]
e = events.items[0]
core.read_namespaced_event(e.metadata.name, e.metadata.namespace)
patch_as(MERGE, core.patch_namespaced_event, e.metadata.name, e.metadata.namespace, {"metadata": {"labels": {"py": "1"}}})
assert watch_names(core.list_event_for_all_namespaces)
ok("events: list, read, patch, watch")

# Services.
services = core.list_service_for_all_namespaces()
svc = core.read_namespaced_service("nodegroup-apiserver", "kubesphere-system")
assert svc.spec.cluster_ip and svc.spec.ports[0].port == 443
patch_as(MERGE, core.patch_namespaced_service, "nodegroup-apiserver", "kubesphere-system", {"metadata": {"labels": {"py": "1"}}})
assert watch_names(core.list_namespaced_service, "kubesphere-system") == ["nodegroup-apiserver"]
ok("services: list, read, patch, watch")

# NodeGroups through CustomObjectsApi.
G, V, P = "infra.kubesphere.io", "v1alpha1", "nodegroups"
groups = custom.list_cluster_custom_object(G, V, P)
assert groups["kind"] == "NodeGroupList" and groups["items"]
ng = custom.get_cluster_custom_object(G, V, P, "edge-a")
assert ng["status"]["state"] == "active"
patched = patch_as(MERGE, custom.patch_cluster_custom_object, G, V, P, "edge-a", {"spec": {"alias": "from python"}})
assert patched["spec"]["alias"] == "from python"
patched = patch_as(JSON_PATCH, custom.patch_cluster_custom_object, G, V, P, "edge-a",
                   [{"op": "replace", "path": "/spec/description", "value": "py"}])
assert patched["spec"]["description"] == "py"
assert watch_names(custom.list_cluster_custom_object, G, V, P) == ["edge-a"]
ok("nodegroups (CustomObjectsApi): list, get, patch, watch")

# Workspaces as KubeSphere 4.1 serves them.
ws = custom.get_cluster_custom_object("tenant.kubesphere.io", "v1beta1", "workspaces", "team-a")
assert ws["apiVersion"] == "tenant.kubesphere.io/v1beta1"
ok("workspaces v1beta1")
sys.exit(0)
