resource "aws_instance" "dicom_router" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.xlarge"
  tags          = { Name = "clinic-dicom-router", "data-classification" = "phi" }
}
