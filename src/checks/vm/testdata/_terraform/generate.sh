#!/usr/bin/env bash
# Regenerates the Terraform plan fixtures of the VM checks (and the clinic VM tier plan of the
# Terraform reader tests) with a real `terraform plan` / `terraform show -json`, offline.
#
#   bash src/checks/vm/testdata/_terraform/generate.sh [name.tf ...]
#
# Needs terraform and a local provider mirror (TF_PLUGIN_DIR, default /opt/tf-plugins) holding
# hashicorp/aws 5.100.0. The AWS provider plans resource creation without calling AWS: the
# credentials are dummies given through the environment, and account id lookup is skipped.
# `<check>__<fixture>.tf` becomes `../<check>/<fixture>.json`; `clinic-vm-plan.tf` in
# src/sources/terraform/testdata becomes `clinic-vm-plan.json` beside it. Output is indented
# with two spaces (as `jq .` writes it) so findings point at lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
plugins="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TF_CLI_CONFIG_FILE=/dev/null AWS_ACCESS_KEY_ID=fixture AWS_SECRET_ACCESS_KEY=fixture AWS_EC2_METADATA_DISABLED=true TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

sources=("$@")
if [ ${#sources[@]} -eq 0 ]; then
  sources=("$here"/*.tf "$root/src/sources/terraform/testdata/clinic-vm-plan.tf")
fi
for src in "${sources[@]}"; do
  src="$(cd "$(dirname "$src")" && pwd)/$(basename "$src")"
  base="$(basename "$src" .tf)"
  if [[ "$base" == *__* ]]; then out="$here/../${base%%__*}/${base#*__}.json"; else out="$(dirname "$src")/$base.json"; fi
  dir="$work/$base"
  mkdir -p "$dir"
  cp "$here/provider.tf.txt" "$dir/provider.tf"
  cp "$src" "$dir/main.tf"
  (cd "$dir" && terraform init -input=false -plugin-dir="$plugins" >/dev/null && terraform plan -input=false -refresh=false -lock=false -out=plan.out >/dev/null && terraform show -json plan.out >plan.json)
  mkdir -p "$(dirname "$out")"
  out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
  node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2],JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1],"utf8")),null,2)+"\n")' "$dir/plan.json" "$out"
  echo "wrote ${out#$root/}"
done
