# A fax gateway launched without an instance profile: SSM Agent has no credentials to register.
resource "aws_instance" "fax_gateway" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "t3.medium"
  subnet_id     = "subnet-0aa11bb22cc33dd44"
  tags          = { Name = "clinic-fax-gateway" }
}
