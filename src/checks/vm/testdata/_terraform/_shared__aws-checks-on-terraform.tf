# How the AWS checks of the foundation judge Terraform VM shapes they were first written for in
# CloudFormation: Elastic IPs (on the instance and through an association), subnets that map
# public addresses, instances that take IMDS, profile and volumes from a launch template.
resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.70.0.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.70.10.0/24"
}

# PHI hosts exposed three ways
resource "aws_instance" "dicom" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  subnet_id     = aws_subnet.private.id
  tags          = { Name = "clinic-dicom-router", "data-classification" = "phi" }
}

resource "aws_eip" "dicom" {
  domain = "vpc"
}

resource "aws_eip_association" "dicom" {
  allocation_id = aws_eip.dicom.id
  instance_id   = aws_instance.dicom.id
}

resource "aws_instance" "lab" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "t3.large"
  subnet_id     = aws_subnet.private.id
  tags          = { Name = "clinic-lab-interface", "data-classification" = "phi" }
}

resource "aws_eip" "lab" {
  domain   = "vpc"
  instance = aws_instance.lab.id
}

resource "aws_instance" "pacs" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.xlarge"
  subnet_id     = aws_subnet.public.id
  tags          = { Name = "clinic-pacs-viewer", "data-classification" = "phi" }
}

# everything from a launch template
resource "aws_iam_role" "app" {
  name = "clinic-app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_instance_profile" "app" {
  name = "clinic-app"
  role = aws_iam_role.app.name
}

resource "aws_launch_template" "app" {
  name          = "clinic-app"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  iam_instance_profile {
    name = aws_iam_instance_profile.app.name
  }
  metadata_options {
    http_tokens = "required"
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 30
      encrypted   = "false"
    }
  }
}

resource "aws_instance" "app" {
  subnet_id = aws_subnet.private.id
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
  tags = { Name = "clinic-app", "data-classification" = "phi" }
}
