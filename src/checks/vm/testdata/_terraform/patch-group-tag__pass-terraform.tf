# The HL7 engine's Patch Group is registered with a baseline; the worker pool's group is patched by
# a maintenance window that targets the tag its instances get at launch.
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

resource "aws_instance" "hl7" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  tags          = { Name = "clinic-hl7-engine", "Patch Group" = "clinic-prod-linux" }
}

resource "aws_ssm_maintenance_window" "nightly" {
  name     = "clinic-workers-nightly"
  schedule = "cron(0 3 * * ? *)"
  duration = 2
  cutoff   = 1
}

resource "aws_ssm_maintenance_window_target" "workers" {
  window_id     = aws_ssm_maintenance_window.nightly.id
  resource_type = "INSTANCE"
  targets {
    key    = "tag:PatchGroup"
    values = ["clinic-workers"]
  }
}

resource "aws_launch_template" "worker" {
  name          = "clinic-worker"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "c6i.large"
}

resource "aws_autoscaling_group" "workers" {
  name                = "clinic-workers"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = ["subnet-0aa11bb22cc33dd44"]
  launch_template {
    id      = aws_launch_template.worker.id
    version = "$Latest"
  }
  tag {
    key                 = "PatchGroup"
    value               = "clinic-workers"
    propagate_at_launch = true
  }
}
