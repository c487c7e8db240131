# The VM tier of a clinic's integration platform (source of clinic-vm-plan.json; regenerate with
# src/checks/vm/testdata/_terraform/generate.sh). The network comes from another stack, so
# subnets and the VPC are variables. Every name, id and secret is made up.

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

variable "public_subnet_id" {
  type    = string
  default = "subnet-0123456789abcdef0"
}

variable "hospital_vpn_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

resource "aws_kms_key" "ebs" {
  description             = "EBS volumes and backups of the clinic HL7 tier"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# ---------------------------------------------------------------- HL7 interface engine (PHI)

resource "aws_security_group" "hl7" {
  name        = "clinic-hl7-engine"
  description = "HL7 MLLP and the engine console from the hospital VPN"
  vpc_id      = var.vpc_id

  ingress {
    description = "MLLP from the hospital VPN"
    from_port   = 2575
    to_port     = 2575
    protocol    = "tcp"
    cidr_blocks = [var.hospital_vpn_cidr]
  }

  ingress {
    description = "Engine administrator console"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [var.hospital_vpn_cidr]
  }

  egress {
    description = "HTTPS to AWS APIs and the EHR vendor"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# "temporary" vendor access that never went away
resource "aws_vpc_security_group_ingress_rule" "hl7_vendor_ssh" {
  security_group_id = aws_security_group.hl7.id
  description       = "Engine vendor support"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_iam_role" "hl7" {
  name = "clinic-hl7-engine"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "hl7_ssm" {
  role       = aws_iam_role.hl7.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "hl7" {
  name = "clinic-hl7-engine"
  role = aws_iam_role.hl7.name
}

# the engine vendor's support key, imported once and installed on every host they touch
resource "aws_key_pair" "vendor" {
  key_name   = "clinic-vendor-support"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKb0XJqPD5ePfFz2Pj5uyQ0oUbdS1m2q3W4e5R6t7Y8u vendor-support@example.org"
}

resource "aws_instance" "hl7" {
  ami                         = "ami-0f3c7d07486cad139"
  instance_type               = "m6i.large"
  subnet_id                   = var.private_subnet_ids[0]
  vpc_security_group_ids      = [aws_security_group.hl7.id]
  iam_instance_profile        = aws_iam_instance_profile.hl7.name
  associate_public_ip_address = false
  key_name                    = aws_key_pair.vendor.key_name
  monitoring                  = true
  disable_api_termination     = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 40
    encrypted   = true
    kms_key_id  = aws_kms_key.ebs.arn
  }

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    dnf -y install java-17-amazon-corretto-headless
    systemctl enable --now mcservice
  EOT

  tags = {
    Name                  = "clinic-hl7-engine"
    "data-classification" = "phi"
    "Patch Group"         = "clinic-prod-linux"
    backup                = "daily-35d"
    Owner                 = "integration-team"
  }
}

resource "aws_ebs_volume" "hl7_data" {
  availability_zone = "us-east-1a"
  size              = 200
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.ebs.arn
  tags = {
    Name                  = "clinic-hl7-message-store"
    "data-classification" = "phi"
    snapshot              = "hourly"
  }
}

resource "aws_volume_attachment" "hl7_data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.hl7_data.id
  instance_id = aws_instance.hl7.id
}

# ------------------------------------------------------------- reporting worker pool (PHI)

resource "aws_security_group" "reporting" {
  name        = "clinic-reporting-workers"
  description = "Reporting workers"
  vpc_id      = var.vpc_id

  egress {
    description = "Everything outbound"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "reporting_from_hl7" {
  type                     = "ingress"
  security_group_id        = aws_security_group.reporting.id
  description              = "Report requests from the interface engine"
  protocol                 = "tcp"
  from_port                = 8080
  to_port                  = 8080
  source_security_group_id = aws_security_group.hl7.id
}

resource "aws_iam_role" "reporting" {
  name = "clinic-reporting-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "reporting_exports" {
  name = "report-exports"
  role = aws_iam_role.reporting.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "arn:aws:s3:::clinic-reports-prod/*"
    }]
  })
}

resource "aws_iam_instance_profile" "reporting" {
  name = "clinic-reporting-worker"
  role = aws_iam_role.reporting.name
}

resource "aws_launch_template" "reporting" {
  name          = "clinic-reporting-worker"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "c6i.xlarge"

  iam_instance_profile {
    name = aws_iam_instance_profile.reporting.name
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    delete_on_termination       = true
    security_groups             = [aws_security_group.reporting.id]
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  monitoring {
    enabled = false
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 50
      volume_type = "gp3"
      encrypted   = "true"
      kms_key_id  = aws_kms_key.ebs.arn
    }
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    export REPORT_DB_PASSWORD='Rep0rt1ng-Pr0d-2024'
    exec /opt/reporting/bin/worker --db postgres://reporting@reports.clinic.internal:5432/reports
  EOT
  )

  tag_specifications {
    resource_type = "instance"
    tags = {
      Name          = "clinic-reporting-worker"
      "Patch Group" = "clinic-reporting"
    }
  }
}

resource "aws_autoscaling_group" "reporting" {
  name                = "clinic-reporting-workers"
  min_size            = 1
  max_size            = 4
  desired_capacity    = 2
  vpc_zone_identifier = var.private_subnet_ids
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.reporting.id
    version = "$Latest"
  }

  tag {
    key                 = "data-classification"
    value               = "phi"
    propagate_at_launch = true
  }
}

# ------------------------------------------------------------------- vendor jump host

resource "aws_security_group" "jump" {
  name        = "clinic-vendor-jump"
  description = "Vendor jump host"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "SSH to the interface engine"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.60.0.0/16"]
  }
}

resource "aws_instance" "jump" {
  ami                    = "ami-0f3c7d07486cad139"
  instance_type          = "t3.micro"
  subnet_id              = var.public_subnet_id
  vpc_security_group_ids = [aws_security_group.jump.id]
  key_name               = aws_key_pair.vendor.key_name

  root_block_device {
    encrypted = true
  }

  # scratch space for the vendor's diagnostic dumps
  ebs_block_device {
    device_name = "/dev/sdg"
    volume_size = 20
    volume_type = "gp3"
    encrypted   = false
  }

  tags = {
    Name = "clinic-vendor-jump"
  }
}

resource "aws_eip" "jump" {
  domain = "vpc"
  tags = {
    Name = "clinic-vendor-jump"
  }
}

resource "aws_eip_association" "jump" {
  allocation_id = aws_eip.jump.id
  instance_id   = aws_instance.jump.id
}

# ----------------------------------------------------------------------------- patching

resource "aws_ssm_patch_baseline" "al2023" {
  name             = "clinic-al2023-security"
  description      = "Security updates seven days after release"
  operating_system = "AMAZON_LINUX_2023"

  approval_rule {
    approve_after_days = 7
    compliance_level   = "CRITICAL"
    patch_filter {
      key    = "CLASSIFICATION"
      values = ["Security"]
    }
    patch_filter {
      key    = "SEVERITY"
      values = ["Critical", "Important"]
    }
  }
}

resource "aws_ssm_patch_group" "prod_linux" {
  baseline_id = aws_ssm_patch_baseline.al2023.id
  patch_group = "clinic-prod-linux"
}

resource "aws_ssm_default_patch_baseline" "al2023" {
  baseline_id      = aws_ssm_patch_baseline.al2023.id
  operating_system = "AMAZON_LINUX_2023"
}

# Automation runbooks log their script output to CloudWatch Logs
resource "aws_ssm_service_setting" "automation_logs" {
  setting_id    = "/ssm/automation/customer-script-log-destination"
  setting_value = "CloudWatch"
}

resource "aws_ssm_maintenance_window" "sunday" {
  name     = "clinic-sunday-patching"
  schedule = "cron(0 6 ? * SUN *)"
  duration = 3
  cutoff   = 1
}

resource "aws_ssm_maintenance_window_target" "prod_linux" {
  window_id     = aws_ssm_maintenance_window.sunday.id
  name          = "clinic-prod-linux"
  resource_type = "INSTANCE"
  targets {
    key    = "tag:Patch Group"
    values = ["clinic-prod-linux"]
  }
}

resource "aws_ssm_maintenance_window_task" "patch" {
  window_id       = aws_ssm_maintenance_window.sunday.id
  name            = "install-security-patches"
  task_type       = "RUN_COMMAND"
  task_arn        = "AWS-RunPatchBaseline"
  priority        = 1
  max_concurrency = "1"
  max_errors      = "0"

  targets {
    key    = "WindowTargetIds"
    values = [aws_ssm_maintenance_window_target.prod_linux.id]
  }

  task_invocation_parameters {
    run_command_parameters {
      timeout_seconds = 3600
      parameter {
        name   = "Operation"
        values = ["Install"]
      }
    }
  }
}

resource "aws_ssm_association" "inventory" {
  name                = "AWS-GatherSoftwareInventory"
  association_name    = "clinic-software-inventory"
  schedule_expression = "rate(1 day)"
  targets {
    key    = "tag:Patch Group"
    values = ["clinic-prod-linux"]
  }
}

# ------------------------------------------------------------------------------ backups

resource "aws_backup_vault" "clinic" {
  name        = "clinic-hl7-prod"
  kms_key_arn = aws_kms_key.ebs.arn
}

resource "aws_backup_plan" "daily" {
  name = "clinic-daily-35d"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.clinic.name
    schedule          = "cron(0 5 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_iam_role" "backup" {
  name = "clinic-backup"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "backup.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

# every resource, narrowed to those tagged for the daily plan
resource "aws_backup_selection" "tagged" {
  name         = "daily-35d-tagged"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = ["*"]
  condition {
    string_equals {
      key   = "aws:ResourceTag/backup"
      value = "daily-35d"
    }
  }
}

# hourly snapshots of the HL7 message store between the daily backups
resource "aws_iam_role" "dlm" {
  name = "clinic-dlm"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dlm.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "dlm" {
  role       = aws_iam_role.dlm.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

resource "aws_dlm_lifecycle_policy" "hl7_hourly" {
  description        = "Hourly snapshots of the HL7 message store"
  execution_role_arn = aws_iam_role.dlm.arn

  policy_details {
    resource_types = ["VOLUME"]
    target_tags = {
      snapshot = "hourly"
    }
    schedule {
      name      = "hourly-48"
      copy_tags = true
      create_rule {
        interval      = 1
        interval_unit = "HOURS"
      }
      retain_rule {
        count = 48
      }
    }
  }
}
