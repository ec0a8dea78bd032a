output "cluster_id" {
  description = "OCID of the OKE cluster (for `oci ce cluster create-kubeconfig --cluster-id`)."
  value       = oci_containerengine_cluster.this.id
}

output "kubernetes_endpoint" {
  description = "URL of the cluster's public Kubernetes API endpoint."
  value       = "https://${oci_containerengine_cluster.this.endpoints[0].public_endpoint}"
}

output "kubeconfig" {
  description = "A kubeconfig for the cluster; its user runs `oci ce cluster generate-token`, so the OCI CLI must be installed and configured where it is used."
  value       = data.oci_containerengine_cluster_kube_config.this.content
  sensitive   = true
}

output "node_pool_id" {
  description = "OCID of the A1 node pool."
  value       = oci_containerengine_node_pool.a1.id
}

output "load_balancer_subnet_id" {
  description = "OCID of the subnet where Services of type LoadBalancer get their load balancers."
  value       = oci_core_subnet.lb.id
}

output "vcn_id" {
  description = "OCID of the VCN (OCI Database with PostgreSQL and OCI Streaming private endpoints go in it)."
  value       = oci_core_vcn.this.id
}
