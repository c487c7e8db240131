resource "aws_instance" "hl7" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
}

resource "aws_launch_template" "worker" {
  name          = "clinic-worker"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "c6i.large"
  monitoring {
    enabled = false
  }
}

resource "aws_autoscaling_group" "workers" {
  name                = "clinic-workers"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = ["subnet-0aa11bb22cc33dd44"]
  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.worker.id
      }
      override {
        instance_type = "c6i.large"
      }
      override {
        instance_type = "c7i.large"
      }
    }
  }
}
