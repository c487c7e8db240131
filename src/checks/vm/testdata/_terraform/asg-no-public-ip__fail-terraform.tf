resource "aws_launch_template" "worker" {
  name          = "clinic-reporting-worker"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "c6i.large"
  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
  }
}

resource "aws_autoscaling_group" "workers" {
  name                = "clinic-reporting-workers"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = ["subnet-0aa11bb22cc33dd44"]
  launch_template {
    id      = aws_launch_template.worker.id
    version = "$Latest"
  }
}
