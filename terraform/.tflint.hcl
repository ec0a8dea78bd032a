# tflint for every module under terraform/, run by `npm run deploy:check`.
# Offline on purpose: only the terraform ruleset that tflint bundles (no `source`, so nothing is
# downloaded and `tflint --init` is never needed). Provider-specific rulesets (oci, azurerm,
# google) would have to be fetched from GitHub, which the project's machines cannot reach.
config {
  call_module_type = "local"
  force            = false
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
