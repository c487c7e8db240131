# Only the data volume is snapshotted (a DLM VOLUME policy); the root volume of the PHI host is not.
resource "aws_iam_role" "dlm" {
  name = "clinic-dlm"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dlm.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_dlm_lifecycle_policy" "data_volumes" {
  description        = "Hourly snapshots of data volumes"
  execution_role_arn = aws_iam_role.dlm.arn
  policy_details {
    resource_types = ["VOLUME"]
    target_tags    = { snapshot = "hourly" }
    schedule {
      name = "hourly-48"
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

resource "aws_instance" "hl7" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  root_block_device {
    volume_size = 40
    encrypted   = true
  }
  tags = { Name = "clinic-hl7-engine", "data-classification" = "phi" }
}

resource "aws_ebs_volume" "messages" {
  availability_zone = "us-east-1a"
  size              = 100
  encrypted         = true
  tags              = { Name = "clinic-hl7-messages", snapshot = "hourly" }
}

resource "aws_volume_attachment" "messages" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.messages.id
  instance_id = aws_instance.hl7.id
}
