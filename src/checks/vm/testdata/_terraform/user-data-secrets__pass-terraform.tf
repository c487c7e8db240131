# Boot scripts that fetch their secrets at run time.
resource "aws_instance" "hl7" {
  ami           = "ami-0f3c7d07486cad139"
  instance_type = "m6i.large"
  user_data     = <<-EOT
    #!/bin/bash
    set -euo pipefail
    DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id clinic/hl7/db --query SecretString --output text)"
    export DB_PASSWORD
    export DB_PASSWORD_FILE=/run/secrets/hl7-db
    systemctl enable --now mcservice
  EOT
}

resource "aws_launch_template" "worker" {
  name          = "clinic-worker"
  image_id      = "ami-0f3c7d07486cad139"
  instance_type = "c6i.large"
  user_data = base64encode(<<-EOT
    #cloud-config
    runcmd:
      - [ /opt/worker/bin/start, --token-param, /clinic/worker/token ]
  EOT
  )
}
