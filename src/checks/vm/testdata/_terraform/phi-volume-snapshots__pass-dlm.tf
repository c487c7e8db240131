# A DLM policy for INSTANCE resources snapshots every volume of the tagged PHI host.
resource "aws_iam_role" "dlm" {
  name = "clinic-dlm"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dlm.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_dlm_lifecycle_policy" "phi_hosts" {
  description        = "Daily snapshots of PHI hosts"
  execution_role_arn = aws_iam_role.dlm.arn
  policy_details {
    resource_types = ["INSTANCE"]
    target_tags    = { backup = "dlm-daily" }
    schedule {
      name = "daily-35"
      create_rule {
        interval = 24
      }
      retain_rule {
        count = 35
      }
    }
  }
}

resource "aws_instance" "hl7" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  tags          = { Name = "clinic-hl7-engine", "data-classification" = "phi", backup = "dlm-daily" }
}

resource "aws_ebs_volume" "messages" {
  availability_zone = "us-east-1a"
  size              = 100
  encrypted         = true
  tags              = { Name = "clinic-hl7-messages" }
}

resource "aws_volume_attachment" "messages" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.messages.id
  instance_id = aws_instance.hl7.id
}
