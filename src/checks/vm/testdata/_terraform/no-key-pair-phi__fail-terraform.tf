resource "aws_key_pair" "vendor" {
  key_name   = "clinic-vendor-support"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKb0XJqPD5ePfFz2Pj5uyQ0oUbdS1m2q3W4e5R6t7Y8u vendor@example.org"
}

resource "aws_instance" "hl7" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  key_name      = aws_key_pair.vendor.key_name
  tags          = { Name = "clinic-hl7-engine", "data-classification" = "phi" }
}
