# The clinic's HL7 interface engine: one VM that receives ADT and ORU feeds from the hospital over
# MLLP and hands them to the intake worker. `terraform show -json` of its plan is hl7-engine.plan.json
# (regenerate: see README.md). Every id and secret is made up.

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "subnet_id" {
  type    = string
  default = "subnet-0aa11bb22cc33dd44"
}

resource "aws_security_group" "hl7_engine" {
  name        = "clinic-hl7-engine"
  description = "MLLP from the hospital VPN; SSH for the vendor"
  vpc_id      = var.vpc_id

  ingress {
    description = "MLLP from the hospital VPN"
    from_port   = 2575
    to_port     = 2575
    protocol    = "tcp"
    cidr_blocks = ["10.40.0.0/16"]
  }

  # VIOLATION: SSH open to the internet "for the vendor's support engineers"
  ingress {
    description = "Vendor SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_iam_role" "hl7_engine" {
  name = "clinic-hl7-engine"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "hl7_engine_ssm" {
  role       = aws_iam_role.hl7_engine.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "hl7_engine" {
  name = "clinic-hl7-engine"
  role = aws_iam_role.hl7_engine.name
}

resource "aws_instance" "hl7_engine" {
  ami                     = "ami-0c55b159cbfafe1f0"
  instance_type           = "m6i.large"
  subnet_id               = var.subnet_id
  vpc_security_group_ids  = [aws_security_group.hl7_engine.id]
  iam_instance_profile    = aws_iam_instance_profile.hl7_engine.name
  monitoring              = true
  disable_api_termination = true

  # VIOLATION: IMDSv1 stays available
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  root_block_device {
    volume_size = 30
    encrypted   = true
  }

  tags = {
    Name                = "clinic-hl7-engine"
    environment         = "prod"
    team                = "integrations"
    data-classification = "phi"
    "Patch Group"       = "clinic-prod"
  }
}

# Backups: the AWS Backup plan of template.yaml selects every resource tagged data-classification=phi.
# VIOLATION: the message archive holds PHI and is not encrypted
resource "aws_ebs_volume" "hl7_archive" {
  availability_zone = "us-east-1a"
  size              = 200
  type              = "gp3"
  encrypted         = false
  tags = {
    Name                = "clinic-hl7-archive"
    environment         = "prod"
    data-classification = "phi"
  }
}

resource "aws_volume_attachment" "hl7_archive" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.hl7_archive.id
  instance_id = aws_instance.hl7_engine.id
}

resource "aws_ssm_patch_baseline" "clinic" {
  name             = "clinic-amazon-linux"
  operating_system = "AMAZON_LINUX_2023"
  approval_rule {
    approve_after_days = 7
    patch_filter {
      key    = "CLASSIFICATION"
      values = ["Security", "Bugfix"]
    }
  }
}

resource "aws_ssm_patch_group" "clinic_prod" {
  baseline_id = aws_ssm_patch_baseline.clinic.id
  patch_group = "clinic-prod"
}
