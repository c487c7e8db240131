resource "aws_instance" "hl7" {
  ami                     = "ami-0f3c7d07486cad139"
  instance_type           = "m6i.large"
  disable_api_termination = true
  tags                    = { Name = "clinic-hl7-engine", "data-classification" = "phi" }
}
