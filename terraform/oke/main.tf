# An OKE cluster on Oracle Cloud's Always Free tier: a BASIC cluster (no control-plane fee) and one
# node pool of Ampere A1 (arm64) nodes that together stay within the free 4 OCPUs and 24 GB.
# The network is in network.tf; README.md walks from an empty tenancy to the running service.

data "oci_identity_availability_domains" "all" {
  compartment_id = var.tenancy_ocid
}

data "oci_containerengine_node_pool_option" "this" {
  node_pool_option_id = oci_containerengine_cluster.this.id
  compartment_id      = var.compartment_ocid
}

locals {
  node_shape = "VM.Standard.A1.Flex"
  # OKE's own node images for this Kubernetes version on arm64, newest first (as the API lists them),
  # e.g. Oracle-Linux-8.10-aarch64-2025.06.17-0-OKE-1.33.1-803.
  arm_node_images = [
    for s in data.oci_containerengine_node_pool_option.this.sources : s.image_id
    if s.source_type == "IMAGE" && strcontains(s.source_name, "Oracle-Linux-8") && strcontains(s.source_name, "aarch64")
    && strcontains(s.source_name, "OKE-${trimprefix(var.kubernetes_version, "v")}-") && !strcontains(s.source_name, "GPU")
  ]
  node_image_id = var.node_image_id != null ? var.node_image_id : try(local.arm_node_images[0], null)
  # A1 capacity differs between availability domains: offer the pool every one of them.
  availability_domains = data.oci_identity_availability_domains.all.availability_domains[*].name
}

resource "oci_containerengine_cluster" "this" {
  compartment_id     = var.compartment_ocid
  name               = var.cluster_name
  kubernetes_version = var.kubernetes_version
  vcn_id             = oci_core_vcn.this.id
  type               = "BASIC_CLUSTER"

  cluster_pod_network_options {
    cni_type = "FLANNEL_OVERLAY"
  }

  endpoint_config {
    is_public_ip_enabled = true
    subnet_id            = oci_core_subnet.api.id
  }

  options {
    service_lb_subnet_ids = [oci_core_subnet.lb.id]

    kubernetes_network_config {
      pods_cidr     = "10.244.0.0/16"
      services_cidr = "10.96.0.0/16"
    }

    add_ons {
      is_kubernetes_dashboard_enabled = false
      is_tiller_enabled               = false
    }
  }
}

resource "oci_containerengine_node_pool" "a1" {
  cluster_id         = oci_containerengine_cluster.this.id
  compartment_id     = var.compartment_ocid
  name               = "${var.cluster_name}-a1"
  kubernetes_version = var.kubernetes_version
  node_shape         = local.node_shape
  ssh_public_key     = var.ssh_public_key

  node_shape_config {
    ocpus         = var.node_ocpus
    memory_in_gbs = var.node_memory_gbs
  }

  node_source_details {
    source_type             = "IMAGE"
    image_id                = local.node_image_id
    boot_volume_size_in_gbs = var.node_boot_volume_gbs
  }

  node_config_details {
    size = var.node_count

    dynamic "placement_configs" {
      for_each = local.availability_domains
      content {
        availability_domain = placement_configs.value
        subnet_id           = oci_core_subnet.nodes.id
      }
    }
  }

  initial_node_labels {
    key   = "todo-actors/pool"
    value = "a1"
  }

  lifecycle {
    precondition {
      condition     = local.node_image_id != null
      error_message = "OKE offers no Oracle Linux 8 aarch64 image for ${var.kubernetes_version} here; set node_image_id or pick a version from `oci ce node-pool-options get --node-pool-option-id all`."
    }
    precondition {
      condition = !var.stay_in_always_free || (
        var.node_count * var.node_ocpus <= 4 && var.node_count * var.node_memory_gbs <= 24 && var.node_count * var.node_boot_volume_gbs <= 200
      )
      error_message = "The node pool is larger than the Always Free allowance (4 OCPUs, 24 GB, 200 GB of boot volumes in total); shrink it or set stay_in_always_free = false."
    }
  }
}

data "oci_containerengine_cluster_kube_config" "this" {
  cluster_id    = oci_containerengine_cluster.this.id
  token_version = "2.0.0"
  endpoint      = "PUBLIC_ENDPOINT"
}
