# Baselines exist, but the PACS proxy is untagged and the scheduler's group is registered nowhere.
resource "aws_ssm_patch_baseline" "al2023" {
  name             = "clinic-al2023-security"
  operating_system = "AMAZON_LINUX_2023"
  approval_rule {
    approve_after_days = 7
    patch_filter {
      key    = "CLASSIFICATION"
      values = ["Security"]
    }
  }
}

resource "aws_ssm_patch_group" "prod" {
  baseline_id = aws_ssm_patch_baseline.al2023.id
  patch_group = "clinic-prod-linux"
}

resource "aws_instance" "pacs_proxy" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  tags          = { Name = "clinic-pacs-proxy" }
}

resource "aws_instance" "scheduler" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "t3.large"
  tags          = { Name = "clinic-scheduler", "Patch Group" = "clinic-prod-windows" }
}
