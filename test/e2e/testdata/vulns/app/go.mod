module github.com/example-clinic/intake-gateway

go 1.16

require (
	github.com/gin-gonic/gin v1.6.0
	github.com/gorilla/websocket v1.4.0
	github.com/example-clinic/fhir-client v0.3.1
	golang.org/x/net v0.0.0-20210226172049-e18ecbb05110 // indirect
	gopkg.in/yaml.v2 v2.2.8 // indirect
)

require github.com/dgrijalva/jwt-go v3.2.0+incompatible

replace github.com/gorilla/websocket => github.com/gorilla/websocket v1.4.2

replace github.com/example-clinic/fhir-client => ../fhir-client
