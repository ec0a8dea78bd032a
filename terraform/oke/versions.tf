terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 7.30"
    }
  }
}

# Credentials come from the OCI CLI's configuration file (~/.oci/config), written by
# `oci setup config`; nothing secret lives in this directory or in terraform.tfvars.
provider "oci" {
  config_file_profile = var.oci_config_profile
  region              = var.region
}
