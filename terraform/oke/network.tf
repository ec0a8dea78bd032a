# The VCN and its three regional subnets, laid out as OKE's "flannel overlay" network expects:
#   api    public subnet for the Kubernetes API endpoint (6443 from api_allowed_cidrs, 12250 from nodes)
#   nodes  the worker nodes (private behind a NAT gateway, or public when private_nodes = false)
#   lb     public subnet for the load balancers Kubernetes Services of type LoadBalancer create
# Pods get addresses from the overlay (10.244.0.0/16), not from the VCN.

locals {
  api_cidr   = cidrsubnet(var.vcn_cidr, 8, 0)
  nodes_cidr = cidrsubnet(var.vcn_cidr, 8, 10)
  lb_cidr    = cidrsubnet(var.vcn_cidr, 8, 20)
  anywhere   = "0.0.0.0/0"
  # The "All <region> Services in Oracle Services Network" label: OKE's control plane, OCIR, Object Storage.
  oracle_services = data.oci_core_services.all.services[0]
}

data "oci_core_services" "all" {
  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_vcn" "this" {
  compartment_id = var.compartment_ocid
  cidr_blocks    = [var.vcn_cidr]
  display_name   = "${var.cluster_name}-vcn"
  dns_label      = "todoactors"
}

resource "oci_core_internet_gateway" "this" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-igw"
  enabled        = true
}

resource "oci_core_nat_gateway" "this" {
  count          = var.private_nodes ? 1 : 0
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-nat"
}

resource "oci_core_service_gateway" "this" {
  count          = var.private_nodes ? 1 : 0
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-sgw"

  services {
    service_id = local.oracle_services.id
  }
}

resource "oci_core_route_table" "public" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-public"

  route_rules {
    destination       = local.anywhere
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.this.id
  }
}

resource "oci_core_route_table" "private" {
  count          = var.private_nodes ? 1 : 0
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-private"

  route_rules {
    destination       = local.anywhere
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_nat_gateway.this[0].id
  }

  route_rules {
    destination       = local.oracle_services.cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.this[0].id
  }
}

resource "oci_core_security_list" "api" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-api"

  dynamic "ingress_security_rules" {
    for_each = var.api_allowed_cidrs
    content {
      description = "kubectl, helm and CI to the Kubernetes API"
      protocol    = "6"
      source      = ingress_security_rules.value
      tcp_options {
        min = 6443
        max = 6443
      }
    }
  }

  ingress_security_rules {
    description = "worker nodes to the Kubernetes API"
    protocol    = "6"
    source      = local.nodes_cidr
    tcp_options {
      min = 6443
      max = 6443
    }
  }

  ingress_security_rules {
    description = "worker nodes to the OKE control plane"
    protocol    = "6"
    source      = local.nodes_cidr
    tcp_options {
      min = 12250
      max = 12250
    }
  }

  ingress_security_rules {
    description = "path MTU discovery"
    protocol    = "1"
    source      = local.nodes_cidr
    icmp_options {
      type = 3
      code = 4
    }
  }

  egress_security_rules {
    description      = "the control plane to OKE's own services"
    protocol         = "6"
    destination      = local.oracle_services.cidr_block
    destination_type = "SERVICE_CIDR_BLOCK"
    tcp_options {
      min = 443
      max = 443
    }
  }

  egress_security_rules {
    description = "the control plane to the kubelets and the pods (webhooks, logs, exec)"
    protocol    = "6"
    destination = local.nodes_cidr
  }

  egress_security_rules {
    description = "path MTU discovery"
    protocol    = "1"
    destination = local.nodes_cidr
    icmp_options {
      type = 3
      code = 4
    }
  }
}

resource "oci_core_security_list" "nodes" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-nodes"

  ingress_security_rules {
    description = "node to node and pod to pod (flannel VXLAN)"
    protocol    = "all"
    source      = local.nodes_cidr
  }

  ingress_security_rules {
    description = "the control plane to the kubelets and the pods"
    protocol    = "6"
    source      = local.api_cidr
  }

  ingress_security_rules {
    description = "load balancers to NodePorts"
    protocol    = "6"
    source      = local.lb_cidr
    tcp_options {
      min = 30000
      max = 32767
    }
  }

  ingress_security_rules {
    description = "load balancers to kube-proxy's health check"
    protocol    = "6"
    source      = local.lb_cidr
    tcp_options {
      min = 10256
      max = 10256
    }
  }

  ingress_security_rules {
    description = "path MTU discovery"
    protocol    = "1"
    source      = local.anywhere
    icmp_options {
      type = 3
      code = 4
    }
  }

  egress_security_rules {
    description = "image pulls (ghcr.io), the managed Kafka and PostgreSQL endpoints, the Kubernetes API, OKE"
    protocol    = "all"
    destination = local.anywhere
  }
}

resource "oci_core_security_list" "lb" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.cluster_name}-lb"

  ingress_security_rules {
    description = "HTTP (redirects to HTTPS, and cert-manager's HTTP-01 challenge)"
    protocol    = "6"
    source      = local.anywhere
    tcp_options {
      min = 80
      max = 80
    }
  }

  ingress_security_rules {
    description = "HTTPS"
    protocol    = "6"
    source      = local.anywhere
    tcp_options {
      min = 443
      max = 443
    }
  }

  egress_security_rules {
    description = "to the NodePorts of the ingress controller"
    protocol    = "6"
    destination = local.nodes_cidr
    tcp_options {
      min = 30000
      max = 32767
    }
  }

  egress_security_rules {
    description = "to kube-proxy's health check"
    protocol    = "6"
    destination = local.nodes_cidr
    tcp_options {
      min = 10256
      max = 10256
    }
  }
}

resource "oci_core_subnet" "api" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.this.id
  cidr_block                 = local.api_cidr
  display_name               = "${var.cluster_name}-api"
  dns_label                  = "api"
  route_table_id             = oci_core_route_table.public.id
  security_list_ids          = [oci_core_security_list.api.id]
  prohibit_public_ip_on_vnic = false
}

resource "oci_core_subnet" "nodes" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.this.id
  cidr_block                 = local.nodes_cidr
  display_name               = "${var.cluster_name}-nodes"
  dns_label                  = "nodes"
  route_table_id             = var.private_nodes ? oci_core_route_table.private[0].id : oci_core_route_table.public.id
  security_list_ids          = [oci_core_security_list.nodes.id]
  prohibit_public_ip_on_vnic = var.private_nodes
}

resource "oci_core_subnet" "lb" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.this.id
  cidr_block                 = local.lb_cidr
  display_name               = "${var.cluster_name}-lb"
  dns_label                  = "lb"
  route_table_id             = oci_core_route_table.public.id
  security_list_ids          = [oci_core_security_list.lb.id]
  prohibit_public_ip_on_vnic = false
}
