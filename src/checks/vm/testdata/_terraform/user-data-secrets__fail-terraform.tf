# Credentials copied into boot scripts: a MySQL password on the command line, an access key in a
# launch template, and a gzip-compressed script of a launch configuration.
resource "aws_instance" "billing_export" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "t3.medium"
  user_data     = <<-EOT
    #!/bin/bash
    mysqldump -h billing.clinic.internal -u export -pBillingExp0rt! claims > /tmp/claims.sql
  EOT
}

resource "aws_launch_template" "uploader" {
  name          = "clinic-uploader"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "c6i.large"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    aws configure set aws_access_key_id AKIAZ3EXAMPLE7QWERTY
    aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  EOT
  )
}

resource "aws_launch_configuration" "legacy" {
  name              = "clinic-legacy-reports"
  image_id          = "ami-0f3c7d07486cad139"
  instance_type     = "t3.small"
  user_data_base64  = base64gzip("#!/bin/bash\ncurl -u reports:R3ports2019 https://reports.clinic.internal/sync\n")
}
