# HL7 engine with the AmazonSSMManagedInstanceCore managed policy; a reporting pool whose role
# grants the agent's actions in its own statements.
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

resource "aws_instance" "hl7" {
  ami                  = "ami-0f3c7d07486cad139"
  instance_type        = "m6i.large"
  iam_instance_profile = aws_iam_instance_profile.hl7.name
  tags                 = { Name = "clinic-hl7-engine" }
}

resource "aws_iam_role" "reporting" {
  name = "clinic-reporting-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "ssm_agent" {
  name = "clinic-ssm-agent"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ssm:UpdateInstanceInformation", "ssm:ListInstanceAssociations", "ssm:GetDocument"], Resource = "*" },
      { Effect = "Allow", Action = ["ssmmessages:*", "ec2messages:*"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "reporting_ssm" {
  role       = aws_iam_role.reporting.name
  policy_arn = aws_iam_policy.ssm_agent.arn
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
    arn = aws_iam_instance_profile.reporting.arn
  }
}

resource "aws_autoscaling_group" "reporting" {
  name                = "clinic-reporting-workers"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = ["subnet-0aa11bb22cc33dd44"]
  launch_template {
    name    = aws_launch_template.reporting.name
    version = "$Latest"
  }
}
