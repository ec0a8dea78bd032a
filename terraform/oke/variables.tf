variable "tenancy_ocid" {
  description = "OCID of the tenancy (Profile > Tenancy in the console); availability domains are listed from it."
  type        = string
}

variable "compartment_ocid" {
  description = "OCID of the compartment that holds the network and the cluster."
  type        = string
}

variable "region" {
  description = "Region identifier, e.g. eu-frankfurt-1. Always Free resources exist only in the tenancy's home region."
  type        = string
}

variable "oci_config_profile" {
  description = "Profile of ~/.oci/config whose API key Terraform signs its requests with."
  type        = string
  default     = "DEFAULT"
}

variable "cluster_name" {
  description = "Name of the OKE cluster; also the prefix of every other resource's display name."
  type        = string
  default     = "todo-actors"
}

variable "kubernetes_version" {
  description = "Kubernetes version of the control plane and the nodes, as OKE names it (`oci ce cluster-options get --cluster-option-id all`)."
  type        = string
  default     = "v1.33.1"

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+$", var.kubernetes_version))
    error_message = "The kubernetes_version must look like v1.33.1."
  }
}

variable "vcn_cidr" {
  description = "Address range of the VCN; the three subnets are /24s carved out of it."
  type        = string
  default     = "10.0.0.0/16"
}

variable "api_allowed_cidrs" {
  description = "Address ranges allowed to reach the Kubernetes API endpoint on 6443: your own address and CI's, e.g. [\"203.0.113.7/32\"]. Required, no default: the API is never open to the internet by omission."
  type        = list(string)

  validation {
    condition     = length(var.api_allowed_cidrs) > 0 && alltrue([for c in var.api_allowed_cidrs : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "api_allowed_cidrs must list one or more CIDR blocks, none of them a /0 (the whole internet)."
  }
}

variable "private_nodes" {
  description = "Put the worker nodes in a private subnet behind a NAT gateway. An account that has not been upgraded to Pay As You Go has a NAT gateway limit of 0: set false there, and the nodes get public addresses that their security list still closes to everything but the VCN."
  type        = bool
  default     = true
}

variable "node_count" {
  description = "Number of worker nodes."
  type        = number
  default     = 2
}

variable "node_ocpus" {
  description = "OCPUs of each VM.Standard.A1.Flex node. Always Free: 4 OCPUs in total across the tenancy."
  type        = number
  default     = 2
}

variable "node_memory_gbs" {
  description = "Memory of each node in GB. Always Free: 24 GB in total across the tenancy."
  type        = number
  default     = 12
}

variable "node_boot_volume_gbs" {
  description = "Boot volume of each node in GB (50 is the minimum; Always Free covers 200 GB of block storage in total)."
  type        = number
  default     = 50
}

variable "stay_in_always_free" {
  description = "Refuse a node pool larger than the Always Free allowance (4 OCPUs, 24 GB, 200 GB of boot volumes)."
  type        = bool
  default     = true
}

variable "node_image_id" {
  description = "OCID of the node image; null picks the newest Oracle Linux 8 aarch64 OKE image for kubernetes_version."
  type        = string
  default     = null
}

variable "ssh_public_key" {
  description = "SSH public key installed on the nodes (null: no SSH access)."
  type        = string
  default     = null
}
